// One visit as staff see it (timeline, attribution evidence, notes) and the audited reveal of its phone number.
import { and, asc, desc, eq, or } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import { z } from 'zod'
import type { Db, Tx } from './db.ts'
import { visits, visitors, visitNotes } from './visits.ts'
import { staff, brokers } from './staff.ts'
import { referrals } from './referrals.ts'
import { consents, cameraSessions } from './consents.ts'
import { offices, stations } from './offices.ts'
import { appendAudit } from './audit.ts'
import { revealPhone, type PhoneKeys } from './phone.ts'

export async function visitDetail(db: Db, officeId: string, visitId: string) {
  const consultant = alias(staff, 'consultant')
  const [visit] = await db
    .select({
      id: visits.id,
      officeId: visits.officeId,
      day: visits.day,
      checkedInAt: visits.checkedInAt,
      checkedOutAt: visits.checkedOutAt,
      channel: visits.channel,
      brokerName: brokers.displayName,
      brokerCompany: brokers.company,
      referralId: visits.referralId,
      attributionReason: visits.attributionReason,
      firstVisit: visits.firstVisit,
      status: visits.status,
      consultantName: consultant.displayName,
      assignedAt: visits.assignedAt,
      revision: visits.revision,
      phoneMasked: visitors.phoneMasked,
      hasPhone: visitors.phoneEncrypted,
    })
    .from(visits)
    .leftJoin(visitors, eq(visitors.id, visits.visitorId))
    .leftJoin(brokers, eq(brokers.id, visits.brokerId))
    .leftJoin(consultant, eq(consultant.id, visits.consultantId))
    .where(and(eq(visits.id, visitId), eq(visits.officeId, officeId)))
  if (!visit) return null
  const [referral] = await db
    .select({
      id: referrals.id,
      status: referrals.status,
      reason: referrals.reason,
      createdAt: referrals.createdAt,
      expiresAt: referrals.expiresAt,
      evidenceAt: referrals.evidenceAt,
      arrivedAt: referrals.arrivedAt,
      brokerName: brokers.displayName,
      // the office where the referral was made: this one, or another office of the same developer
      office: { name: offices.name, nameEn: offices.nameEn },
    })
    .from(referrals)
    .innerJoin(brokers, eq(brokers.id, referrals.brokerId))
    .innerJoin(offices, eq(offices.id, referrals.officeId))
    // the visit is this office's, and only the check-in binds a referral to it (sibling offices' included)
    .where(
      visit.referralId
        ? or(eq(referrals.id, visit.referralId), eq(referrals.visitId, visit.id))
        : eq(referrals.visitId, visit.id),
    )
    .orderBy(desc(referrals.createdAt))
    .limit(1)
  const consentRows = await db
    .select({ id: consents.id, grantedAt: consents.grantedAt, withdrawnAt: consents.withdrawnAt })
    .from(consents)
    .where(eq(consents.visitId, visit.id))
    .orderBy(asc(consents.grantedAt))
  const sessions = await db
    .select({
      id: cameraSessions.id,
      stationName: stations.name,
      zone: stations.zone,
      startedAt: cameraSessions.startedAt,
      endedAt: cameraSessions.endedAt,
      dwellMs: cameraSessions.dwellMs,
      attentionMs: cameraSessions.attentionMs,
    })
    .from(cameraSessions)
    .innerJoin(stations, eq(stations.id, cameraSessions.stationId))
    .where(eq(cameraSessions.visitId, visit.id))
    .orderBy(asc(cameraSessions.startedAt))
  const notes = await db
    .select({
      id: visitNotes.id,
      body: visitNotes.body,
      createdAt: visitNotes.createdAt,
      author: staff.displayName,
    })
    .from(visitNotes)
    .innerJoin(staff, eq(staff.id, visitNotes.staffId))
    .where(eq(visitNotes.visitId, visit.id))
    .orderBy(asc(visitNotes.createdAt))
  const { hasPhone, ...rest } = visit
  return {
    visit: { ...rest, hasPhone: Boolean(hasPhone) },
    referral: referral ?? null,
    consents: consentRows,
    sessions,
    notes,
  }
}

export type VisitDetail = NonNullable<Awaited<ReturnType<typeof visitDetail>>>

export const revealInput = z.object({
  visitId: z.string().min(1).max(64),
  // why staff need the full number (call back, hand-over); kept in the audit log
  reason: z.string().trim().min(4, 'reason: say why you need the number').max(200),
})

// the full number, only with a reason, and only after the audit row is written in the same transaction
export async function revealVisitPhone({
  tx,
  keys,
  officeId,
  actorId,
  input,
  now,
}: {
  tx: Tx
  keys: PhoneKeys
  officeId: string
  actorId: string
  input: z.input<typeof revealInput>
  now: number
}): Promise<{ ok: true; phone: string } | { ok: false; failure: 'not-found' | 'no-phone' }> {
  const valid = revealInput.parse(input)
  const [row] = await tx
    .select({ visitId: visits.id, visitorId: visits.visitorId, phoneEncrypted: visitors.phoneEncrypted })
    .from(visits)
    .leftJoin(visitors, eq(visitors.id, visits.visitorId))
    .where(and(eq(visits.id, valid.visitId), eq(visits.officeId, officeId)))
  if (!row) return { ok: false, failure: 'not-found' }
  if (!row.phoneEncrypted) return { ok: false, failure: 'no-phone' }
  await appendAudit(tx, {
    at: now,
    officeId,
    actorType: 'staff',
    actorId,
    action: 'phone.revealed',
    target: row.visitId,
    detail: { reason: valid.reason, visitorId: row.visitorId },
  })
  return { ok: true, phone: await revealPhone(keys, row.phoneEncrypted) }
}

// opening a visit shows personal data (masked phone, notes): the read is logged like any other
export async function auditVisitViewed(
  db: Db | Tx,
  entry: { officeId: string; actorId: string; visitId: string; now: number },
) {
  await appendAudit(db, {
    at: entry.now,
    officeId: entry.officeId,
    actorType: 'staff',
    actorId: entry.actorId,
    action: 'visit.viewed',
    target: entry.visitId,
  })
}
