// Read side of 客户归属: owners of a day's visits, queue routes, a consultant's own clients and conflicts.
import { and, desc, eq, gt, inArray, isNotNull, isNull, lte, or, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import type { Db, Tx } from './db.ts'
import { staff } from './staff.ts'
import { visits } from './visits.ts'
import { currentRules, type OwnershipRules } from './channel-rules.ts'
import { clientOwners, ownershipConflicts, routeOf, type QueueRoute, type VisitOwner } from './ownership.ts'

// the owner in force when each of the day's visits began (a visit that started an ownership is no return);
// `only` narrows it to some of the day's visits (the queue asks about those still waiting)
export async function ownersOfDay(
  db: Db | Tx,
  officeId: string,
  day: string,
  only?: string[],
): Promise<Map<string, VisitOwner>> {
  if (only?.length === 0) return new Map()
  // two indexed reads instead of one join: joined, SQLite's planner walked every owner of the office for
  // each call (the queue asks on every "next"; 4 ms each with two months of history)
  const day_ = await db
    .select({ id: visits.id, visitorId: visits.visitorId, checkedInAt: visits.checkedInAt })
    .from(visits)
    .where(
      and(
        eq(visits.officeId, officeId),
        eq(visits.day, day),
        isNotNull(visits.visitorId),
        only ? inArray(visits.id, only) : undefined,
      ),
    )
  if (day_.length === 0) return new Map()
  const owners = await db
    .select({
      visitorId: clientOwners.visitorId,
      visitId: clientOwners.visitId,
      startedAt: clientOwners.startedAt,
      endsAt: clientOwners.endsAt,
      endedAt: clientOwners.endedAt,
      ownerId: clientOwners.consultantId,
      ownerName: staff.displayName,
      onDuty: staff.onDuty,
    })
    .from(clientOwners)
    .innerJoin(staff, eq(staff.id, clientOwners.consultantId))
    .where(
      and(
        eq(clientOwners.officeId, officeId),
        inArray(clientOwners.visitorId, [...new Set(day_.map((v) => v.visitorId!))]),
        isNull(staff.disabledAt),
      ),
    )
  const found = new Map<string, VisitOwner>()
  for (const visit of day_) {
    // the ownership in force when the visit began, not the one this visit started
    const owner = owners.find(
      (o) =>
        o.visitorId === visit.visitorId &&
        o.startedAt <= visit.checkedInAt &&
        o.endsAt > visit.checkedInAt &&
        (o.endedAt === null || o.endedAt > visit.checkedInAt) &&
        (o.visitId === null || o.visitId !== visit.id),
    )
    if (owner)
      found.set(visit.id, { ownerId: owner.ownerId, ownerName: owner.ownerName, onDuty: owner.onDuty })
  }
  return found
}

// each owned visit's route under the office's current rules ("none" turns ownership off: no routes at all)
export async function routesOf(
  db: Db | Tx,
  officeId: string,
  owners: Map<string, VisitOwner>,
  rules?: OwnershipRules,
): Promise<Map<string, QueueRoute>> {
  const ownership = rules ?? (await currentRules(db, officeId)).body.ownership
  if (ownership.days === null) return new Map()
  return new Map([...owners].map(([visitId, owner]) => [visitId, routeOf(owner, ownership)]))
}

// the rotation ("Next") takes visitors without an owner, and those it serves on an absent owner's behalf
export const takesRotation = (route: QueueRoute | undefined) =>
  !route || route.kind === 'rotation' || route.kind === 'on-behalf'

// a consultant's clients whose ownership is in force now, newest first
export async function myClients(db: Db, consultantId: string, now: number) {
  return db
    .select({
      visitorId: clientOwners.visitorId,
      startedAt: clientOwners.startedAt,
      endsAt: clientOwners.endsAt,
      source: clientOwners.source,
    })
    .from(clientOwners)
    .where(
      and(
        eq(clientOwners.consultantId, consultantId),
        lte(clientOwners.startedAt, now),
        gt(clientOwners.endsAt, now),
        or(isNull(clientOwners.endedAt), gt(clientOwners.endedAt, now)),
      ),
    )
    .orderBy(desc(clientOwners.startedAt))
    .limit(500)
}

// conflicts of an office (open first), or those a consultant is part of (as owner or as the one who served)
export async function listConflicts(
  db: Db,
  { officeId, consultantId, conflictId }: { officeId: string; consultantId?: string; conflictId?: string },
) {
  const owner = alias(staff, 'owner')
  const server = alias(staff, 'server')
  return db
    .select({
      conflict: ownershipConflicts,
      ownerName: owner.displayName,
      servedByName: server.displayName,
      checkedInAt: visits.checkedInAt,
    })
    .from(ownershipConflicts)
    .innerJoin(owner, eq(owner.id, ownershipConflicts.ownerId))
    .innerJoin(server, eq(server.id, ownershipConflicts.servedBy))
    .innerJoin(visits, eq(visits.id, ownershipConflicts.visitId))
    .where(
      and(
        eq(ownershipConflicts.officeId, officeId),
        consultantId
          ? or(eq(ownershipConflicts.ownerId, consultantId), eq(ownershipConflicts.servedBy, consultantId))
          : undefined,
        conflictId ? eq(ownershipConflicts.id, conflictId) : undefined,
      ),
    )
    .orderBy(desc(ownershipConflicts.createdAt))
    .limit(200)
}

// today's visits of a consultant's own clients (returns while owned) and the visits they served today
export async function myDay(
  db: Db,
  { officeId, consultantId, day }: { officeId: string; consultantId: string; day: string },
) {
  const owners = await ownersOfDay(db, officeId, day)
  const todays = await db
    .select({
      id: visits.id,
      checkedInAt: visits.checkedInAt,
      status: visits.status,
      consultantId: visits.consultantId,
      firstVisit: visits.firstVisit,
    })
    .from(visits)
    .where(and(eq(visits.officeId, officeId), eq(visits.day, day)))
    .orderBy(desc(visits.checkedInAt))
  return {
    served: todays.filter((v) => v.consultantId === consultantId),
    returning: todays.filter((v) => owners.get(v.id)?.ownerId === consultantId),
  }
}

// visits of one visitor for the evidence timeline: dates and who served, nothing else
export async function visitHistory(db: Db, visitorId: string | null, visitId: string) {
  const consultant = alias(staff, 'consultant')
  return db
    .select({
      id: visits.id,
      checkedInAt: visits.checkedInAt,
      consultantName: consultant.displayName,
      firstVisit: visits.firstVisit,
    })
    .from(visits)
    .leftJoin(consultant, eq(consultant.id, visits.consultantId))
    .where(visitorId ? eq(visits.visitorId, visitorId) : eq(visits.id, visitId))
    .orderBy(visits.checkedInAt)
    .limit(200)
}

// visits of an office with a conflict the manager has not decided yet (the dashboard marks them)
export async function openConflictVisits(db: Db, officeId: string): Promise<Set<string>> {
  const rows = await db
    .select({ visitId: ownershipConflicts.visitId })
    .from(ownershipConflicts)
    .where(and(eq(ownershipConflicts.officeId, officeId), isNull(ownershipConflicts.decidedAt)))
  return new Set(rows.map((r) => r.visitId))
}

// an assignment is a rotation turn unless recorded otherwise (the rotation reads it to find whose turn is next)
export const isRotationTurn = sql`NOT EXISTS (SELECT 1 FROM "reception_credits" WHERE "reception_credits"."visit_id" = "visits"."id" AND "reception_credits"."counts_as_turn" = 0)`

// a visit's ownership as the visit page shows it: whose returning client, and whether a 撞单 is open on it
export async function visitOwnership(db: Db, officeId: string, visitId: string) {
  const [visit] = await db
    .select()
    .from(visits)
    .where(and(eq(visits.id, visitId), eq(visits.officeId, officeId)))
  if (!visit) return null
  const routes = await routesOf(db, officeId, await ownersOfDay(db, officeId, visit.day))
  const open = await openConflictVisits(db, officeId)
  return { route: routes.get(visit.id), conflict: open.has(visit.id) }
}
