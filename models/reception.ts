// Reception queue (轮岗接待): who is on duty in what order, assigning waiting visitors, notes and check-out.
import { and, asc, desc, eq, isNotNull, sql } from 'drizzle-orm'
import { z } from 'zod'
import type { Db, Tx } from './db.ts'
import { newId } from './ids.ts'
import { staff } from './staff.ts'
import { visits, visitNotes } from './visits.ts'
import { getOffice } from './offices.ts'
import { localDay } from './time.ts'
import { appendAudit } from './audit.ts'
import { preparedInTx } from './tx-memo.ts'
import { recordReception } from './ownership.ts'
import { isRotationTurn, ownersOfDay, routesOf, takesRotation } from './ownership-queries.ts'

// why a queue verb refused: the caller shows the current state instead of the change
export const queueConflicts = [
  'stale',
  'nobody-waiting',
  'nobody-on-duty',
  'not-found',
  'already-left',
] as const
export type QueueConflict = (typeof queueConflicts)[number]
export type QueueResult<T> = { ok: true; value: T } | { ok: false; conflict: QueueConflict }

const id = z.string().min(1).max(64)
// what the clicker saw: the visit at the head of the queue and its revision
export const assignNextInput = z.object({ visitId: id, revision: z.coerce.number().int().min(0) })
// what a queue verb is given: the transaction, who pressed it where, and the visit and revision they saw
export type QueueVerbArgs = {
  tx: Tx
  officeId: string
  actorId: string
  input: z.input<typeof assignNextInput>
  now: number
}

export const reassignInput = z.object({
  visitId: id,
  consultantId: id,
  revision: z.coerce.number().int().min(0),
})
export const checkOutInput = z.object({ visitId: id, revision: z.coerce.number().int().min(0).optional() })
export const noteInput = z.object({ visitId: id, body: z.string().trim().min(1).max(2000) })
export const dutyInput = z.object({
  staffId: id,
  action: z.enum(['on', 'off', 'up', 'down']),
})

async function officeDay(tx: Tx | Db, officeId: string, now: number): Promise<string> {
  const office = await getOffice(tx, officeId)
  return localDay(now, office?.timeZone ?? 'Asia/Shanghai')
}

// on-duty sales staff of an office in rotation order
export async function dutyRoster(db: Db | Tx, officeId: string) {
  return preparedInTx(db, 'reception.roster', () =>
    db
      .select({ id: staff.id, displayName: staff.displayName, dutyOrder: staff.dutyOrder })
      .from(staff)
      .where(
        and(
          eq(staff.officeId, sql.placeholder('officeId')),
          eq(staff.onDuty, true),
          sql`${staff.disabledAt} IS NULL`,
        ),
      )
      .orderBy(asc(staff.dutyOrder), asc(staff.createdAt))
      .prepare(),
  ).all({ officeId })
}

// the oldest visitor still waiting today whom the rotation may take (not one kept for their owner)
export async function queueHead(db: Db | Tx, officeId: string, day: string) {
  const waiting = await preparedInTx(db, 'reception.waiting', () =>
    db
      .select({ id: visits.id, revision: visits.revision, checkedInAt: visits.checkedInAt })
      .from(visits)
      .where(
        and(
          eq(visits.officeId, sql.placeholder('officeId')),
          eq(visits.day, sql.placeholder('day')),
          eq(visits.status, 'waiting'),
        ),
      )
      // id breaks ties so the dashboard (which derives the head from its list) and this agree
      .orderBy(asc(visits.checkedInAt), asc(visits.id))
      .prepare(),
  ).all({ officeId, day })
  if (waiting.length === 0) return null
  const routes = await routesOf(
    db,
    officeId,
    await ownersOfDay(
      db,
      officeId,
      day,
      waiting.map((w) => w.id),
    ),
  )
  return waiting.find((w) => takesRotation(routes.get(w.id))) ?? null
}

// round robin: the on-duty consultant after the one assigned last today, preferring those not with a visitor
async function nextConsultant(tx: Tx, officeId: string, day: string) {
  const roster = await dutyRoster(tx, officeId)
  if (roster.length === 0) return null
  const [last] = await preparedInTx(tx, 'reception.last-turn', () =>
    tx
      .select({ consultantId: visits.consultantId })
      .from(visits)
      // an owner serving their own returning client took no turn (unless the office's rules say so)
      .where(
        and(
          eq(visits.officeId, sql.placeholder('officeId')),
          eq(visits.day, sql.placeholder('day')),
          isNotNull(visits.assignedAt),
          isRotationTurn,
        ),
      )
      .orderBy(desc(visits.assignedAt))
      .limit(1)
      .prepare(),
  ).all({ officeId, day })
  const busy = new Set(
    (
      await preparedInTx(tx, 'reception.busy', () =>
        tx
          .select({ consultantId: visits.consultantId })
          .from(visits)
          .where(
            and(
              eq(visits.officeId, sql.placeholder('officeId')),
              eq(visits.day, sql.placeholder('day')),
              eq(visits.status, 'with-consultant'),
            ),
          )
          .prepare(),
      ).all({ officeId, day })
    ).map((r) => r.consultantId),
  )
  const start = roster.findIndex((r) => r.id === last?.consultantId) + 1
  const inTurn = Array.from({ length: roster.length }, (_, i) => roster[(start + i) % roster.length]!)
  return inTurn.find((r) => !busy.has(r.id)) ?? inTurn[0]!
}

// "next": the oldest waiting visit goes to the next consultant, only if it is still what the clicker saw
export async function assignNext({
  tx,
  officeId,
  actorId,
  input,
  now,
}: QueueVerbArgs): Promise<QueueResult<{ visitId: string; consultantId: string }>> {
  const seen = assignNextInput.parse(input)
  const day = await officeDay(tx, officeId, now)
  const head = await queueHead(tx, officeId, day)
  if (!head) return { ok: false, conflict: 'nobody-waiting' }
  if (head.id !== seen.visitId || head.revision !== seen.revision) return { ok: false, conflict: 'stale' }
  const consultant = await nextConsultant(tx, officeId, day)
  if (!consultant) return { ok: false, conflict: 'nobody-on-duty' }
  return assignVisit(tx, {
    officeId,
    actorId,
    visitId: head.id,
    revision: head.revision,
    consultantId: consultant.id,
    by: 'rotation',
    now,
  })
}

// gives a visit to a consultant only if nobody changed it since `revision` was read (the rotation also
// needs it still waiting); audited in the same transaction, with its credit and ownership
export async function assignVisit(
  tx: Tx,
  a: {
    officeId: string
    actorId: string
    visitId: string
    revision: number
    consultantId: string
    by: 'rotation' | 'manual' | 'owner'
    now: number
  },
): Promise<QueueResult<{ visitId: string; consultantId: string }>> {
  const manual = a.by === 'manual'
  const updated = await preparedInTx(tx, `reception.assign.${manual ? 'any' : 'waiting'}`, () => {
    const unchanged = and(
      eq(visits.id, sql.placeholder('visitId')),
      eq(visits.revision, sql.placeholder('revision')),
    )
    return tx
      .update(visits)
      .set({
        status: 'with-consultant',
        consultantId: sql`${sql.placeholder('consultantId')}`,
        assignedAt: sql`${sql.placeholder('now')}`,
        revision: sql`${sql.placeholder('revision')} + 1`,
      })
      .where(manual ? unchanged : and(unchanged, eq(visits.status, 'waiting')))
      .returning()
      .prepare()
  }).all({ visitId: a.visitId, revision: a.revision, consultantId: a.consultantId, now: a.now })
  if (updated.length !== 1) return { ok: false, conflict: 'stale' }
  const { route } = await recordReception(tx, { ...a, visit: updated[0]! })
  await appendAudit(tx, {
    at: a.now,
    officeId: a.officeId,
    actorType: 'staff',
    actorId: a.actorId,
    action: 'visit.assigned',
    target: a.visitId,
    detail: { consultantId: a.consultantId, by: a.by, route },
  })
  return { ok: true, value: { visitId: a.visitId, consultantId: a.consultantId } }
}

// manual reassignment to any active staff member of the same office
export async function reassign({
  tx,
  officeId,
  actorId,
  input,
  now,
}: {
  tx: Tx
  officeId: string
  actorId: string
  input: z.input<typeof reassignInput>
  now: number
}): Promise<QueueResult<{ visitId: string; consultantId: string }>> {
  const valid = reassignInput.parse(input)
  const [member] = await tx
    .select({ id: staff.id })
    .from(staff)
    .where(
      and(eq(staff.id, valid.consultantId), eq(staff.officeId, officeId), sql`${staff.disabledAt} IS NULL`),
    )
  const visit = await visitInOffice(tx, officeId, valid.visitId)
  if (!member || !visit) return { ok: false, conflict: 'not-found' }
  if (visit.status === 'left') return { ok: false, conflict: 'already-left' }
  if (visit.revision !== valid.revision) return { ok: false, conflict: 'stale' }
  return assignVisit(tx, {
    officeId,
    actorId,
    visitId: visit.id,
    revision: visit.revision,
    consultantId: member.id,
    by: 'manual',
    now,
  })
}

// a visit by id, only if it belongs to this office (another office's id reads as not found)
export async function visitInOffice(tx: Tx, officeId: string, visitId: string) {
  const [visit] = await preparedInTx(tx, 'reception.visit', () =>
    tx
      .select()
      .from(visits)
      .where(and(eq(visits.id, sql.placeholder('visitId')), eq(visits.officeId, sql.placeholder('officeId'))))
      .prepare(),
  ).all({ visitId, officeId })
  return visit ?? null
}

export async function checkOut({
  tx,
  officeId,
  actorId,
  input,
  now,
}: {
  tx: Tx
  officeId: string
  actorId: string
  input: z.input<typeof checkOutInput>
  now: number
}): Promise<QueueResult<{ visitId: string }>> {
  const valid = checkOutInput.parse(input)
  const visit = await visitInOffice(tx, officeId, valid.visitId)
  if (!visit) return { ok: false, conflict: 'not-found' }
  if (visit.status === 'left') return { ok: false, conflict: 'already-left' }
  if (valid.revision !== undefined && valid.revision !== visit.revision)
    return { ok: false, conflict: 'stale' }
  await preparedInTx(tx, 'reception.check-out', () =>
    tx
      .update(visits)
      .set({
        status: 'left',
        checkedOutAt: sql`${sql.placeholder('now')}`,
        revision: sql`${sql.placeholder('revision')} + 1`,
      })
      .where(and(eq(visits.id, sql.placeholder('visitId')), eq(visits.revision, sql.placeholder('revision'))))
      .prepare(),
  ).run({ now, visitId: visit.id, revision: visit.revision })
  await appendAudit(tx, {
    at: now,
    officeId,
    actorType: 'staff',
    actorId,
    action: 'visit.checked-out',
    target: visit.id,
  })
  return { ok: true, value: { visitId: visit.id } }
}

export async function addNote({
  tx,
  officeId,
  actorId,
  input,
  now,
}: {
  tx: Tx
  officeId: string
  actorId: string
  input: z.input<typeof noteInput>
  now: number
}): Promise<QueueResult<{ noteId: string }>> {
  const valid = noteInput.parse(input)
  const visit = await visitInOffice(tx, officeId, valid.visitId)
  if (!visit) return { ok: false, conflict: 'not-found' }
  const noteId = newId()
  await tx
    .insert(visitNotes)
    .values({ id: noteId, visitId: visit.id, staffId: actorId, body: valid.body, createdAt: now })
  return { ok: true, value: { noteId } }
}

// duty on/off and moving up/down the rotation; only sales staff of the same office take part
export async function changeDuty({
  tx,
  officeId,
  input,
}: {
  tx: Tx
  officeId: string
  input: z.input<typeof dutyInput>
  now: number
}): Promise<QueueResult<{ staffId: string }>> {
  const valid = dutyInput.parse(input)
  const [member] = await tx
    .select()
    .from(staff)
    .where(and(eq(staff.id, valid.staffId), eq(staff.officeId, officeId), sql`${staff.disabledAt} IS NULL`))
  if (!member) return { ok: false, conflict: 'not-found' }
  if (valid.action === 'on' || valid.action === 'off') {
    const roster = await dutyRoster(tx, officeId)
    const last = roster.at(-1)?.dutyOrder ?? 0
    await tx
      .update(staff)
      .set(
        valid.action === 'on'
          ? { onDuty: true, dutyOrder: member.onDuty ? member.dutyOrder : last + 1 }
          : { onDuty: false },
      )
      .where(eq(staff.id, member.id))
    return { ok: true, value: { staffId: member.id } }
  }
  // renumber the roster so orders are distinct, then swap with the neighbour
  const roster = await dutyRoster(tx, officeId)
  const at = roster.findIndex((r) => r.id === member.id)
  if (at < 0) return { ok: false, conflict: 'stale' }
  const to = valid.action === 'up' ? at - 1 : at + 1
  if (to < 0 || to >= roster.length) return { ok: true, value: { staffId: member.id } }
  const order = roster.map((r) => r.id)
  ;[order[at], order[to]] = [order[to]!, order[at]!]
  for (const [i, staffId] of order.entries()) {
    await tx
      .update(staff)
      .set({ dutyOrder: i + 1 })
      .where(eq(staff.id, staffId))
  }
  return { ok: true, value: { staffId: member.id } }
}
