// 客户归属: which consultant owns a returning client (from the visit pass or phone hash, never a face), credits, 撞单.
import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { and, eq, gt, isNull, lte, ne, or, sql, type Placeholder } from 'drizzle-orm'
import type { Db, Tx } from './db.ts'
import { newId } from './ids.ts'
import { offices } from './offices.ts'
import { staff } from './staff.ts'
import { visits, visitors } from './visits.ts'
import { currentRules, type OwnershipRules } from './channel-rules.ts'
import { appendAudit } from './audit.ts'
import { enqueueNotification } from './notify.ts'
import { preparedInTx } from './tx-memo.ts'

export const ownerSources = ['first-visit', 'transfer'] as const
// how a visit reached its consultant: the rotation, its owner, the rotation on the owner's behalf (代接),
// a manual reassignment, or a consultant serving someone else's client (撞单)
export const receptionRoutes = ['rotation', 'owner', 'on-behalf', 'manual', 'conflict'] as const
export type ReceptionRoute = (typeof receptionRoutes)[number]
export const conflictDecisions = ['keep', 'transfer', 'split'] as const
export type ConflictDecision = (typeof conflictDecisions)[number]

export const clientOwners = sqliteTable(
  'client_owners',
  {
    id: text().primaryKey(),
    officeId: text()
      .notNull()
      .references(() => offices.id),
    visitorId: text()
      .notNull()
      .references(() => visitors.id, { onDelete: 'cascade' }),
    consultantId: text()
      .notNull()
      .references(() => staff.id),
    // the served visit that made this consultant the owner (a first served visit, or a conflict transferred)
    visitId: text().references(() => visits.id, { onDelete: 'set null' }),
    source: text({ enum: ownerSources }).notNull(),
    startedAt: integer().notNull(),
    // end of the protection period (the rules' days from startedAt)
    endsAt: integer().notNull(),
    // ended early: the manager transferred the client
    endedAt: integer(),
    ruleVersion: integer().notNull(),
  },
  (t) => [
    // serves: the owner of a visitor at a time (queue routing, badges, check-in notifications)
    index('client_owners_visitor_idx').on(t.officeId, t.visitorId, t.endsAt),
    // serves: a consultant's own clients
    index('client_owners_consultant_idx').on(t.consultantId, t.endsAt),
    // serves: the ownership a served visit started (reception), and a visit's deletion (ON DELETE SET NULL)
    index('client_owners_visit_idx').on(t.visitId),
  ],
)

export const receptionCredits = sqliteTable(
  'reception_credits',
  {
    visitId: text()
      .primaryKey()
      .references(() => visits.id, { onDelete: 'cascade' }),
    officeId: text()
      .notNull()
      .references(() => offices.id),
    // who serves the visit, and who it counts for (the owner, when served on their behalf)
    consultantId: text()
      .notNull()
      .references(() => staff.id),
    creditedTo: text()
      .notNull()
      .references(() => staff.id),
    ownerId: text().references(() => staff.id),
    route: text({ enum: receptionRoutes }).notNull(),
    // false: this assignment is not the consultant's turn in the rotation (an owner serving their own client)
    countsAsTurn: integer({ mode: 'boolean' }).notNull(),
    at: integer().notNull(),
  },
  (t) => [
    // serves: per-consultant figures of a period
    index('reception_credits_office_idx').on(t.officeId, t.at),
  ],
)

export const ownershipConflicts = sqliteTable(
  'ownership_conflicts',
  {
    id: text().primaryKey(),
    officeId: text()
      .notNull()
      .references(() => offices.id),
    visitorId: text().references(() => visitors.id, { onDelete: 'set null' }),
    visitId: text()
      .notNull()
      .references(() => visits.id, { onDelete: 'cascade' }),
    ownerId: text()
      .notNull()
      .references(() => staff.id),
    servedBy: text()
      .notNull()
      .references(() => staff.id),
    createdAt: integer().notNull(),
    ruleVersion: integer().notNull(),
    decision: text({ enum: conflictDecisions }),
    decisionReason: text(),
    decidedAt: integer(),
    decidedBy: text(),
  },
  (t) => [
    // serves: one conflict per visit
    uniqueIndex('ownership_conflicts_visit_idx').on(t.visitId),
    // serves: open conflicts of an office for the manager
    index('ownership_conflicts_office_idx').on(t.officeId, t.decidedAt),
  ],
)

// the ownership in force for a visitor when a visit began; the visit that started an ownership is not a return
export function ownerAt(
  visitorId: string | Placeholder,
  at: number | Placeholder,
  exceptVisitId: string | Placeholder,
) {
  return and(
    eq(clientOwners.visitorId, visitorId),
    lte(clientOwners.startedAt, at),
    gt(clientOwners.endsAt, at),
    or(isNull(clientOwners.endedAt), gt(clientOwners.endedAt, at)),
    or(isNull(clientOwners.visitId), ne(clientOwners.visitId, exceptVisitId)),
  )
}

export type VisitOwner = { ownerId: string; ownerName: string; onDuty: boolean }

// the owner of this visit's client, if the office's rules keep owners and one is in force
export async function ownerOfVisit(
  db: Db | Tx,
  visit: { id: string; officeId: string; visitorId: string | null; checkedInAt: number },
  rules?: OwnershipRules,
): Promise<VisitOwner | null> {
  if (!visit.visitorId) return null
  const ownership = rules ?? (await currentRules(db, visit.officeId)).body.ownership
  if (ownership.days === null) return null
  const [row] = await preparedInTx(db, 'ownership.owner-of-visit', () =>
    db
      .select({ ownerId: clientOwners.consultantId, ownerName: staff.displayName, onDuty: staff.onDuty })
      .from(clientOwners)
      .innerJoin(staff, eq(staff.id, clientOwners.consultantId))
      .where(
        and(
          eq(clientOwners.officeId, sql.placeholder('officeId')),
          ownerAt(sql.placeholder('visitorId'), sql.placeholder('at'), sql.placeholder('visitId')),
          isNull(staff.disabledAt),
        ),
      )
      .limit(1)
      .prepare(),
  ).all({
    officeId: visit.officeId,
    visitorId: visit.visitorId,
    at: visit.checkedInAt,
    visitId: visit.id,
  })
  return row ?? null
}

// where a waiting visit goes: the rotation, its owner (on duty), its owner later (off duty, office waits), or
// the rotation on the owner's behalf (off duty, office covers)
export type QueueRoute =
  { kind: 'rotation' } | { kind: 'owner' | 'wait' | 'on-behalf'; ownerId: string; ownerName: string }

export function routeOf(owner: VisitOwner | null, rules: OwnershipRules): QueueRoute {
  if (!owner) return { kind: 'rotation' }
  const who = { ownerId: owner.ownerId, ownerName: owner.ownerName }
  if (owner.onDuty) return { kind: 'owner', ...who }
  return { kind: rules.ownerAway === 'wait' ? 'wait' : 'on-behalf', ...who }
}

// after a visit was given to a consultant (same transaction): credit, first ownership, conflict, notifications
export async function recordReception(
  tx: Tx,
  a: {
    officeId: string
    actorId: string
    // the visit as the assignment left it
    visit: typeof visits.$inferSelect
    consultantId: string
    by: 'rotation' | 'manual' | 'owner'
    now: number
  },
): Promise<{ route: ReceptionRoute; conflictId: string | null }> {
  const { visit } = a
  const { version, body } = await currentRules(tx, a.officeId)
  const rules = body.ownership
  const owner = await ownerOfVisit(tx, visit, rules)
  let route: ReceptionRoute = a.by
  let creditedTo = a.consultantId
  if (owner && owner.ownerId === a.consultantId) route = 'owner'
  else if (owner && !owner.onDuty) {
    // the owner is away: whoever serves does so on the owner's behalf (代接), credited to the owner
    route = 'on-behalf'
    creditedTo = owner.ownerId
  } else if (owner) route = 'conflict'
  const countsAsTurn = route === 'owner' ? rules.countsAsTurn : true
  const credit = {
    officeId: a.officeId,
    consultantId: a.consultantId,
    creditedTo,
    ownerId: owner?.ownerId ?? null,
    route,
    countsAsTurn,
    at: a.now,
  }
  await tx
    .insert(receptionCredits)
    .values({ visitId: visit.id, ...credit })
    .onConflictDoUpdate({ target: receptionCredits.visitId, set: credit })
  await enqueueNotification(tx, {
    officeId: a.officeId,
    consultantId: a.consultantId,
    event: 'visit.assigned',
    at: a.now,
  })
  if (!owner && visit.visitorId && rules.days !== null)
    await takeFirstOwnership(tx, {
      ...a,
      visitId: visit.id,
      visitorId: visit.visitorId,
      days: rules.days,
      version,
    })
  let conflictId: string | null = null
  if (route === 'conflict' && owner) {
    conflictId = await openConflict(tx, {
      officeId: a.officeId,
      visitorId: visit.visitorId,
      visitId: visit.id,
      ownerId: owner.ownerId,
      servedBy: a.consultantId,
      actorId: a.actorId,
      version,
      now: a.now,
    })
  }
  return { route, conflictId }
}

// the first served visit makes its consultant the owner; a reassignment of that same visit moves it along
async function takeFirstOwnership(
  tx: Tx,
  a: {
    officeId: string
    actorId: string
    visitId: string
    visitorId: string
    consultantId: string
    days: number
    version: number
    now: number
  },
) {
  const [same] = await preparedInTx(tx, 'ownership.started-by-visit', () =>
    tx
      .select({ id: clientOwners.id, consultantId: clientOwners.consultantId })
      .from(clientOwners)
      .where(and(eq(clientOwners.visitId, sql.placeholder('visitId')), isNull(clientOwners.endedAt)))
      .prepare(),
  ).all({ visitId: a.visitId })
  if (same?.consultantId === a.consultantId) return
  if (same)
    await tx.update(clientOwners).set({ consultantId: a.consultantId }).where(eq(clientOwners.id, same.id))
  else
    await tx.insert(clientOwners).values({
      id: newId(),
      officeId: a.officeId,
      visitorId: a.visitorId,
      consultantId: a.consultantId,
      visitId: a.visitId,
      source: 'first-visit',
      startedAt: a.now,
      endsAt: a.now + a.days * 86_400_000,
      ruleVersion: a.version,
    })
  await appendAudit(tx, {
    at: a.now,
    officeId: a.officeId,
    actorType: 'staff',
    actorId: a.actorId,
    action: 'ownership.started',
    target: a.visitId,
    detail: { consultantId: a.consultantId, days: a.days, ruleVersion: a.version, moved: !!same },
  })
}

async function openConflict(
  tx: Tx,
  a: {
    officeId: string
    visitorId: string | null
    visitId: string
    ownerId: string
    servedBy: string
    actorId: string
    version: number
    now: number
  },
): Promise<string> {
  const [existing] = await tx
    .select({ id: ownershipConflicts.id, decision: ownershipConflicts.decision })
    .from(ownershipConflicts)
    .where(eq(ownershipConflicts.visitId, a.visitId))
  // reassigned again before the manager looked: the open conflict follows who serves now
  if (existing) {
    if (!existing.decision)
      await tx
        .update(ownershipConflicts)
        .set({ servedBy: a.servedBy })
        .where(eq(ownershipConflicts.id, existing.id))
    return existing.id
  }
  const id = newId()
  await tx.insert(ownershipConflicts).values({
    id,
    officeId: a.officeId,
    visitorId: a.visitorId,
    visitId: a.visitId,
    ownerId: a.ownerId,
    servedBy: a.servedBy,
    createdAt: a.now,
    ruleVersion: a.version,
  })
  await appendAudit(tx, {
    at: a.now,
    officeId: a.officeId,
    actorType: 'staff',
    actorId: a.actorId,
    action: 'ownership.conflict',
    target: id,
    detail: { visitId: a.visitId, ownerId: a.ownerId, servedBy: a.servedBy, ruleVersion: a.version },
  })
  await notifyConflictParties(tx, {
    officeId: a.officeId,
    ownerId: a.ownerId,
    servedBy: a.servedBy,
    at: a.now,
  })
  return id
}

// both consultants of a 撞单 conflict are told, once each (the owner may have served the visit)
export async function notifyConflictParties(
  tx: Tx,
  c: { officeId: string; ownerId: string; servedBy: string; at: number },
) {
  for (const consultantId of new Set([c.ownerId, c.servedBy]))
    await enqueueNotification(tx, {
      officeId: c.officeId,
      consultantId,
      event: 'ownership.conflict',
      at: c.at,
    })
}
