// Appeals (申诉) and arrival confirmations: a broker contests a ruling, a manager decides once, with the evidence.
import { and, desc, eq, gte, inArray, isNull, lt } from 'drizzle-orm'
import { z } from 'zod'
import type { Db, Tx } from './db.ts'
import { newId } from './ids.ts'
import { appeals } from './channel-rules.ts'
import { referrals } from './referrals.ts'
import { visits } from './visits.ts'
import { brokers } from './staff.ts'
import { auditLog } from './audit.ts'

export const appealInput = z.object({
  reason: z.string().trim().min(4, 'reason: at least 4 characters').max(1000),
})
export const decisionInput = z.object({
  decision: z.enum(['upheld', 'overturned']),
  reason: z.string().trim().min(4, 'reason: at least 4 characters').max(1000),
})
// statuses a broker may contest; an arrived referral has nothing to appeal
export const appealable = ['invalid', 'disputed', 'expired'] as const

export class AppealRefused extends Error {}

export async function fileAppeal({
  tx,
  input,
  now,
}: {
  tx: Tx
  input: { referralId: string; brokerId: string; reason: string }
  now: number
}) {
  const { reason } = appealInput.parse(input)
  const [referral] = await tx.select().from(referrals).where(eq(referrals.id, input.referralId))
  if (!referral || referral.brokerId !== input.brokerId) throw new AppealRefused('not-yours')
  const status = referral.status === 'pending' && referral.expiresAt <= now ? 'expired' : referral.status
  if (!(appealable as readonly string[]).includes(status)) throw new AppealRefused('not-appealable')
  const [existing] = await tx
    .select({ id: appeals.id })
    .from(appeals)
    .where(eq(appeals.referralId, referral.id))
  // one appeal per ruling: the decision is final
  if (existing) throw new AppealRefused('already-appealed')
  const id = newId()
  await tx.insert(appeals).values({
    id,
    officeId: referral.officeId,
    referralId: referral.id,
    brokerId: input.brokerId,
    reason,
    createdAt: now,
  })
  return { id, officeId: referral.officeId }
}

// a manager's final decision; overturning moves the client (and the visit, if any) to the appealing broker
export async function decideAppeal({
  tx,
  input,
  now,
}: {
  tx: Tx
  input: {
    appealId: string
    officeId: string
    decidedBy: string
    decision: 'upheld' | 'overturned'
    reason: string
    // the developer's admin decides for every office; an office manager may not take a sibling office's client
    developerWide?: boolean
  }
  now: number
}) {
  const valid = decisionInput.parse(input)
  const [appeal] = await tx
    .select()
    .from(appeals)
    .where(and(eq(appeals.id, input.appealId), eq(appeals.officeId, input.officeId)))
  if (!appeal) throw new AppealRefused('not-found')
  if (appeal.decision) throw new AppealRefused('already-decided')
  const [referral] = await tx.select().from(referrals).where(eq(referrals.id, appeal.referralId))
  const [winner] = referral!.conflictReferralId
    ? await tx.select().from(referrals).where(eq(referrals.id, referral!.conflictReferralId))
    : []
  // one office's manager does not take a client from another office's broker: that is the developer's call
  if (
    valid.decision === 'overturned' &&
    winner &&
    winner.officeId !== appeal.officeId &&
    !input.developerWide
  )
    throw new AppealRefused('other-office')
  await tx
    .update(appeals)
    .set({
      decision: valid.decision,
      decisionReason: valid.reason,
      decidedAt: now,
      decidedBy: input.decidedBy,
    })
    .where(eq(appeals.id, appeal.id))
  const affected = [referral!.brokerId]
  if (valid.decision === 'upheld') {
    await tx.update(referrals).set({ reason: 'appeal-upheld' }).where(eq(referrals.id, referral!.id))
    return { appeal, affectedBrokers: affected }
  }
  // the registration it lost to, if any, now loses; a visit attributed there moves here
  let visitId = referral!.visitId
  if (winner) {
    affected.push(winner.brokerId)
    visitId ??= winner.visitId
    await tx
      .update(referrals)
      .set({ status: 'invalid', reason: 'lost-on-appeal', conflictReferralId: referral!.id, visitId: null })
      .where(eq(referrals.id, winner.id))
  }
  await tx
    .update(referrals)
    .set({ status: visitId ? 'arrived' : 'pending', reason: 'appeal-overturned', overturnedAt: now, visitId })
    .where(eq(referrals.id, referral!.id))
  if (visitId) {
    await tx
      .update(visits)
      .set({
        channel: 'broker',
        brokerId: referral!.brokerId,
        referralId: referral!.id,
        attributionReason: 'appeal-overturned',
      })
      .where(eq(visits.id, visitId))
  }
  return { appeal, affectedBrokers: affected, visitId }
}

// the appeals filed at these offices (the manager's own; for the developer's admin, all of its offices)
export async function listAppeals(db: Db, officeIds: string[]) {
  return db
    .select({ appeal: appeals, broker: brokers.displayName, referral: referrals })
    .from(appeals)
    .innerJoin(brokers, eq(appeals.brokerId, brokers.id))
    .innerJoin(referrals, eq(appeals.referralId, referrals.id))
    .where(inArray(appeals.officeId, officeIds))
    .orderBy(desc(appeals.createdAt))
    .limit(200)
}

export async function appealOfReferral(db: Db, referralId: string) {
  const [appeal] = await db.select().from(appeals).where(eq(appeals.referralId, referralId))
  return appeal ?? null
}

export type EvidenceItem = { at: number; kind: string; detail: string }

// what the manager sees: times, rule version, arrivals, scans and confirmations — nothing biometric
export async function evidenceTimeline(db: Db, referralId: string): Promise<EvidenceItem[]> {
  const [referral] = await db.select().from(referrals).where(eq(referrals.id, referralId))
  if (!referral) return []
  const items: EvidenceItem[] = [
    {
      at: referral.createdAt,
      kind: 'registered',
      detail: `rules v${referral.ruleVersion} · ${referral.phoneMasked ?? '—'}`,
    },
  ]
  if (referral.evidenceAt)
    items.push({ at: referral.evidenceAt, kind: 'earlier-event', detail: referral.reason })
  const related = [referral.id, referral.conflictReferralId].filter((id): id is string => !!id)
  const others = await db.select().from(referrals).where(inArray(referrals.id, related))
  for (const other of others.filter((o) => o.id !== referral.id)) {
    items.push({
      at: other.createdAt,
      kind: 'competing-registration',
      detail: `${other.brokerId} · rules v${other.ruleVersion}`,
    })
  }
  for (const r of [referral, ...others.filter((o) => o.id !== referral.id)]) {
    if (r.visitId) {
      const [visit] = await db.select().from(visits).where(eq(visits.id, r.visitId))
      if (visit)
        items.push({
          at: visit.checkedInAt,
          kind: 'arrival',
          detail: `${visit.channel} · ${visit.attributionReason} · rules v${visit.ruleVersion}`,
        })
    }
    if (r.brokerPresentAt) items.push({ at: r.brokerPresentAt, kind: 'broker-confirmed', detail: r.brokerId })
    if (r.deskConfirmedAt)
      items.push({ at: r.deskConfirmedAt, kind: 'desk-confirmed', detail: r.deskConfirmedBy ?? '' })
  }
  const scans = await db
    .select()
    .from(auditLog)
    .where(
      and(
        inArray(auditLog.target, related),
        inArray(auditLog.action, ['referral.opened', 'referral.created', 'appeal.filed', 'appeal.decided']),
      ),
    )
  for (const scan of scans) items.push({ at: scan.at, kind: scan.action, detail: scan.actorType })
  return items.sort((a, b) => a.at - b.at)
}

// 到访确认: the broker, at the office (proved by a fresh entrance QR), confirms being here with this client
export async function confirmBrokerPresent({
  tx,
  input,
  now,
}: {
  tx: Tx
  input: { referralId: string; brokerId: string }
  now: number
}) {
  const [referral] = await tx.select().from(referrals).where(eq(referrals.id, input.referralId))
  if (!referral || referral.brokerId !== input.brokerId) return null
  await tx.update(referrals).set({ brokerPresentAt: now }).where(eq(referrals.id, referral.id))
  return referral
}

export async function deskConfirm({
  tx,
  input,
  now,
}: {
  tx: Tx
  input: { referralId: string; officeId: string; staffId: string }
  now: number
}) {
  const [referral] = await tx
    .select()
    .from(referrals)
    .where(and(eq(referrals.id, input.referralId), eq(referrals.officeId, input.officeId)))
  if (!referral) return null
  await tx
    .update(referrals)
    .set({ deskConfirmedAt: now, deskConfirmedBy: input.staffId })
    .where(eq(referrals.id, referral.id))
  return referral
}

// a broker's registrations that a presence confirmation can apply to: recent, not lost
export async function confirmableReferrals(db: Db, brokerId: string, now: number) {
  return db
    .select()
    .from(referrals)
    .where(
      and(
        eq(referrals.brokerId, brokerId),
        inArray(referrals.status, ['pending', 'arrived']),
        gte(referrals.expiresAt, now),
        isNull(referrals.brokerPresentAt),
        lt(referrals.createdAt, now + 1),
      ),
    )
    .orderBy(desc(referrals.createdAt))
    .limit(50)
}
