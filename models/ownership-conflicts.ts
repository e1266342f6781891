// 撞单: a consultant served another's client; the manager decides once (keep, transfer, split), with the evidence.
import { and, eq, gt, isNull, or } from 'drizzle-orm'
import { z } from 'zod'
import type { Db, Tx } from './db.ts'
import { newId } from './ids.ts'
import { auditLog, appendAudit } from './audit.ts'
import { currentRules } from './channel-rules.ts'
import {
  clientOwners,
  ownershipConflicts,
  receptionCredits,
  conflictDecisions,
  notifyConflictParties,
} from './ownership.ts'
import { visitHistory } from './ownership-queries.ts'
import type { EvidenceItem } from './appeals.ts'
import { staff } from './staff.ts'

export const conflictDecisionInput = z.object({
  decision: z.enum(conflictDecisions),
  reason: z.string().trim().min(4, 'reason: at least 4 characters').max(1000),
})

export class ConflictRefused extends Error {}

export async function getConflict(db: Db | Tx, officeId: string, id: string) {
  const [row] = await db
    .select()
    .from(ownershipConflicts)
    .where(and(eq(ownershipConflicts.id, id), eq(ownershipConflicts.officeId, officeId)))
  return row ?? null
}

// keep: the client stays the owner's and the visit counts for the owner; transfer: the one who served owns the
// client from now, for a fresh protection period; split: the visit counts for both, the owner stays
export async function decideConflict({
  tx,
  input,
  now,
}: {
  tx: Tx
  input: { conflictId: string; officeId: string; decidedBy: string; decision: string; reason: string }
  now: number
}) {
  const valid = conflictDecisionInput.parse(input)
  const conflict = await getConflict(tx, input.officeId, input.conflictId)
  if (!conflict) throw new ConflictRefused('not-found')
  if (conflict.decision) throw new ConflictRefused('already-decided')
  await tx
    .update(ownershipConflicts)
    .set({
      decision: valid.decision,
      decisionReason: valid.reason,
      decidedAt: now,
      decidedBy: input.decidedBy,
    })
    .where(and(eq(ownershipConflicts.id, conflict.id), isNull(ownershipConflicts.decision)))
  if (valid.decision === 'keep')
    await tx
      .update(receptionCredits)
      .set({ creditedTo: conflict.ownerId })
      .where(eq(receptionCredits.visitId, conflict.visitId))
  if (valid.decision === 'transfer' && conflict.visitorId) {
    const inForce = and(
      eq(clientOwners.visitorId, conflict.visitorId),
      eq(clientOwners.consultantId, conflict.ownerId),
      gt(clientOwners.endsAt, now),
      or(isNull(clientOwners.endedAt), gt(clientOwners.endedAt, now)),
    )
    const [old] = await tx.select().from(clientOwners).where(inForce)
    await tx.update(clientOwners).set({ endedAt: now }).where(inForce)
    const { version, body } = await currentRules(tx, input.officeId)
    await tx.insert(clientOwners).values({
      id: newId(),
      officeId: input.officeId,
      visitorId: conflict.visitorId,
      consultantId: conflict.servedBy,
      visitId: conflict.visitId,
      source: 'transfer',
      startedAt: now,
      endsAt: body.ownership.days ? now + body.ownership.days * 86_400_000 : (old?.endsAt ?? now),
      ruleVersion: version,
    })
    await tx
      .update(receptionCredits)
      .set({ creditedTo: conflict.servedBy })
      .where(eq(receptionCredits.visitId, conflict.visitId))
  }
  await appendAudit(tx, {
    at: now,
    officeId: input.officeId,
    actorType: 'staff',
    actorId: input.decidedBy,
    action: 'ownership.conflict-decided',
    target: conflict.id,
    detail: { decision: valid.decision, reason: valid.reason, visitId: conflict.visitId },
  })
  await notifyConflictParties(tx, {
    officeId: input.officeId,
    ownerId: conflict.ownerId,
    servedBy: conflict.servedBy,
    at: now,
  })
  return { ...conflict, decision: valid.decision }
}

// what the manager sees: when the client became whose, each visit's date and who served it, the conflict and
// its audit trail — never a face, a phone number or a name of the client
export async function conflictEvidence(
  db: Db,
  conflict: typeof ownershipConflicts.$inferSelect,
): Promise<EvidenceItem[]> {
  const items: EvidenceItem[] = []
  if (conflict.visitorId) {
    const owners = await db
      .select({ o: clientOwners, name: staff.displayName })
      .from(clientOwners)
      .innerJoin(staff, eq(staff.id, clientOwners.consultantId))
      .where(eq(clientOwners.visitorId, conflict.visitorId))
    for (const { o, name } of owners) {
      items.push({
        at: o.startedAt,
        kind: `ownership.${o.source}`,
        detail: `${name} · rules v${o.ruleVersion}`,
      })
      if (o.endedAt) items.push({ at: o.endedAt, kind: 'ownership.ended', detail: name })
    }
  }
  for (const v of await visitHistory(db, conflict.visitorId, conflict.visitId)) {
    items.push({
      at: v.checkedInAt,
      kind: v.id === conflict.visitId ? 'visit (conflict)' : 'visit',
      detail: `${v.firstVisit ? 'first' : 'return'} · ${v.consultantName ?? '—'}`,
    })
  }
  const trail = await db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.target, conflict.id)))
  for (const entry of trail) items.push({ at: entry.at, kind: entry.action, detail: entry.actorType })
  return items.sort((a, b) => a.at - b.at)
}
