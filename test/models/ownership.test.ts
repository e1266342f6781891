// 客户归属 with the injected clock: owner routing ahead of the rotation, the office's off-duty rule, the
// protection period's end, and a 撞单 decided once by the manager — every step audited.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { and, eq } from 'drizzle-orm'
import { makeTestApp, type TestApp } from '../helpers/app.ts'
import { putOnDuty } from '../helpers/dashboard-fixtures.ts'
import { entranceStation } from '../helpers/visitor.ts'
import { assignToOwner } from '../../models/ownership-queue.ts'
import { checkInVisit, visits } from '../../models/visits.ts'
import { protectPhone } from '../../models/phone.ts'
import { assignNext, checkOut, queueHead, reassign, changeDuty } from '../../models/reception.ts'
import { clientOwners, ownershipConflicts, receptionCredits } from '../../models/ownership.ts'
import { ownersOfDay, routesOf } from '../../models/ownership-queries.ts'
import { decideConflict, ConflictRefused } from '../../models/ownership-conflicts.ts'
import { saveRules, defaultRules, defaultOwnership, type OwnershipRules } from '../../models/channel-rules.ts'
import { auditLog } from '../../models/audit.ts'
import { staff } from '../../models/staff.ts'
import { deleteVisitorData } from '../../models/privacy.ts'

const day = 86_400_000

async function arrive(t: TestApp, phone: string | null) {
  const station = await entranceStation(t)
  const protectedPhone = phone ? await protectPhone(t.keys.phone, phone) : null
  const { visit } = await t.database.write((tx) =>
    checkInVisit({
      tx,
      input: {
        officeId: t.seeded.officeId,
        stationId: station.id,
        passVisitorId: null,
        phone: protectedPhone,
        referralId: null,
      },
      now: t.clock.now(),
    }),
  )
  t.clock.advance(1000)
  return visit
}

async function setup(ownership: Partial<OwnershipRules> = {}) {
  const t = await makeTestApp()
  const [a, b] = await putOnDuty(t.database, ['sales', 'sales2'])
  const [manager] = await t.database.db.select().from(staff).where(eq(staff.username, 'manager'))
  if (Object.keys(ownership).length)
    await t.database.write((tx) =>
      saveRules({
        tx,
        input: {
          officeId: t.seeded.officeId,
          body: { ...defaultRules, ownership: { ...defaultOwnership, ...ownership } },
          createdBy: manager!.id,
        },
        now: t.clock.now(),
      }),
    )
  const officeId = t.seeded.officeId
  const verbs = {
    next: async () => {
      const v = await t.database.db.select().from(visits)
      const head = await queueHead(t.database.db, officeId, v.at(-1)!.day)
      if (!head) return null
      const r = await t.database.write((tx) =>
        assignNext({
          tx,
          officeId,
          actorId: manager!.id,
          input: { visitId: head.id, revision: head.revision },
          now: t.clock.now(),
        }),
      )
      t.clock.advance(1000)
      return r.ok ? r.value : null
    },
    toOwner: async (visitId: string) => {
      const v = await visit(t, visitId)
      return t.database.write((tx) =>
        assignToOwner({
          tx,
          officeId,
          actorId: manager!.id,
          input: { visitId, revision: v.revision },
          now: t.clock.now(),
        }),
      )
    },
    reassign: async (visitId: string, consultantId: string) => {
      const v = await visit(t, visitId)
      return t.database.write((tx) =>
        reassign({
          tx,
          officeId,
          actorId: manager!.id,
          input: { visitId, consultantId, revision: v.revision },
          now: t.clock.now(),
        }),
      )
    },
    out: (visitId: string) =>
      t.database.write((tx) =>
        checkOut({ tx, officeId, actorId: manager!.id, input: { visitId }, now: t.clock.now() }),
      ),
    duty: (staffId: string, action: 'on' | 'off') =>
      t.database.write((tx) => changeDuty({ tx, officeId, input: { staffId, action }, now: t.clock.now() })),
    route: async (visitId: string) => {
      const v = await visit(t, visitId)
      return (await routesOf(t.database.db, officeId, await ownersOfDay(t.database.db, officeId, v.day))).get(
        visitId,
      )
    },
  }
  return { t, a: a!, b: b!, manager: manager!, officeId, ...verbs }
}

async function visit(t: TestApp, id: string) {
  const [row] = await t.database.db.select().from(visits).where(eq(visits.id, id))
  return row!
}
const credit = async (t: TestApp, visitId: string) =>
  (await t.database.db.select().from(receptionCredits).where(eq(receptionCredits.visitId, visitId)))[0]
const audited = async (t: TestApp, action: string) =>
  t.database.db.select().from(auditLog).where(eq(auditLog.action, action))

// day 1: the client with this phone is served by A (first in the rotation) and leaves
async function servedByAOnDayOne(s: Awaited<ReturnType<typeof setup>>) {
  const first = await arrive(s.t, '13957086421')
  const served = await s.next()
  assert.deepEqual(served, { visitId: first.id, consultantId: s.a })
  await s.out(first.id)
  return first
}

test('a client served by A on day 1 who returns on day 5 goes to A, ahead of the rotation, not as A’s turn', async () => {
  const s = await setup()
  const first = await servedByAOnDayOne(s)
  const [owner] = await s.t.database.db.select().from(clientOwners)
  assert.equal(owner!.consultantId, s.a)
  assert.equal(owner!.endsAt - owner!.startedAt, 90 * day, 'default protection: 90 days')
  assert.equal(owner!.visitId, first.id)
  assert.equal((await audited(s.t, 'ownership.started')).length, 1)

  s.t.clock.advance(4 * day)
  const walkIn = await arrive(s.t, null)
  assert.equal((await s.next())?.consultantId, s.a, 'day 5 rotation starts with A')
  await s.out(walkIn.id)
  const returning = await arrive(s.t, '13957086421')
  const other = await arrive(s.t, null)
  assert.equal(returning.firstVisit, false)
  assert.deepEqual(await s.route(returning.id), {
    kind: 'owner',
    ownerId: s.a,
    ownerName: '张顾问 Zhang (sales)',
  })
  // "Next" skips the owned client: the later walk-in goes to B, whose turn it is
  assert.deepEqual(await s.next(), { visitId: other.id, consultantId: s.b })
  assert.equal((await visit(s.t, returning.id)).status, 'waiting')
  const toOwner = await s.toOwner(returning.id)
  assert.ok(toOwner.ok)
  assert.equal((await visit(s.t, returning.id)).consultantId, s.a)
  const c = await credit(s.t, returning.id)
  assert.equal(c!.route, 'owner')
  assert.equal(c!.countsAsTurn, false)
  assert.equal(c!.creditedTo, s.a)
  // A took no turn: after B, the rotation comes back to A
  await s.out(other.id)
  const next = await arrive(s.t, null)
  await s.out(returning.id)
  assert.deepEqual(await s.next(), { visitId: next.id, consultantId: s.a })
  const assigned = await audited(s.t, 'visit.assigned')
  assert.ok(assigned.some((e) => e.target === returning.id && JSON.parse(e.detail).route === 'owner'))
  assert.equal((await s.t.database.db.select().from(ownershipConflicts)).length, 0)
})

test('with A off duty the office rule applies: cover (代接, credited to A) or wait for A', async () => {
  const cover = await setup({ ownerAway: 'cover' })
  await servedByAOnDayOne(cover)
  cover.t.clock.advance(4 * day)
  await cover.duty(cover.a, 'off')
  const back = await arrive(cover.t, '13957086421')
  assert.equal((await cover.route(back.id))?.kind, 'on-behalf')
  assert.deepEqual(await cover.next(), { visitId: back.id, consultantId: cover.b })
  const c = await credit(cover.t, back.id)
  assert.equal(c!.route, 'on-behalf')
  assert.equal(c!.creditedTo, cover.a)
  assert.equal((await cover.t.database.db.select().from(ownershipConflicts)).length, 0)

  const wait = await setup({ ownerAway: 'wait' })
  await servedByAOnDayOne(wait)
  wait.t.clock.advance(4 * day)
  await wait.duty(wait.a, 'off')
  const waiting = await arrive(wait.t, '13957086421')
  assert.equal((await wait.route(waiting.id))?.kind, 'wait')
  assert.equal(await wait.next(), null, '"Next" does not take a client kept for their owner')
  assert.equal((await wait.toOwner(waiting.id)).ok, false, 'nor can it go to an owner who is off duty')
  await wait.duty(wait.a, 'on')
  assert.equal((await wait.route(waiting.id))?.kind, 'owner')
  assert.ok((await wait.toOwner(waiting.id)).ok)
  assert.equal((await visit(wait.t, waiting.id)).consultantId, wait.a)
})

test('after the protection period the client goes to the rotation; "none" turns ownership off', async () => {
  const s = await setup({ days: 30 })
  await servedByAOnDayOne(s)
  s.t.clock.advance(31 * day)
  await s.duty(s.a, 'off')
  await s.duty(s.a, 'on')
  const late = await arrive(s.t, '13957086421')
  assert.equal(await s.route(late.id), undefined)
  const served = await s.next()
  assert.equal(served?.visitId, late.id)
  assert.equal((await credit(s.t, late.id))!.route, 'rotation')
  // that served visit starts a new ownership for whoever served it
  const owners = await s.t.database.db.select().from(clientOwners)
  assert.equal(owners.length, 2)

  const off = await setup({ days: null })
  await servedByAOnDayOne(off)
  assert.equal((await off.t.database.db.select().from(clientOwners)).length, 0)
  off.t.clock.advance(4 * day)
  const back = await arrive(off.t, '13957086421')
  assert.equal(await off.route(back.id), undefined)
})

test('B serving A’s client is a conflict (撞单), decided once by the manager; transfer moves the client', async () => {
  const s = await setup()
  await servedByAOnDayOne(s)
  s.t.clock.advance(4 * day)
  const back = await arrive(s.t, '13957086421')
  const moved = await s.reassign(back.id, s.b)
  assert.ok(moved.ok)
  const [conflict] = await s.t.database.db.select().from(ownershipConflicts)
  assert.equal(conflict!.ownerId, s.a)
  assert.equal(conflict!.servedBy, s.b)
  assert.equal(conflict!.visitId, back.id)
  assert.equal((await credit(s.t, back.id))!.route, 'conflict')
  assert.equal((await audited(s.t, 'ownership.conflict')).length, 1)

  const decide = (decision: string, reason = 'B 接待时 A 在场，按规则归 A') =>
    s.t.database.write((tx) =>
      decideConflict({
        tx,
        input: { conflictId: conflict!.id, officeId: s.officeId, decidedBy: s.manager.id, decision, reason },
        now: s.t.clock.now(),
      }),
    )
  await assert.rejects(decide('split', 'no'), /reason/)
  await assert.rejects(decide('share'), /decision|Invalid/)
  await decide('transfer')
  await assert.rejects(decide('keep'), (e) => e instanceof ConflictRefused && e.message === 'already-decided')
  const decided = (await s.t.database.db.select().from(ownershipConflicts))[0]!
  assert.equal(decided.decision, 'transfer')
  assert.equal(decided.decidedBy, s.manager.id)
  const inForce = await s.t.database.db
    .select()
    .from(clientOwners)
    .where(and(eq(clientOwners.consultantId, s.b), eq(clientOwners.source, 'transfer')))
  assert.equal(inForce.length, 1)
  assert.equal((await credit(s.t, back.id))!.creditedTo, s.b)
  const trail = await audited(s.t, 'ownership.conflict-decided')
  assert.equal(trail.length, 1)
  assert.equal(JSON.parse(trail[0]!.detail).decision, 'transfer')

  // the next return goes to B now
  s.t.clock.advance(day)
  const again = await arrive(s.t, '13957086421')
  assert.equal((await s.route(again.id))?.kind, 'owner')
  assert.equal(((await s.route(again.id)) as { ownerId: string }).ownerId, s.b)
})

test('keep credits the owner; another office cannot decide this office’s conflict', async () => {
  const s = await setup()
  await servedByAOnDayOne(s)
  s.t.clock.advance(4 * day)
  const back = await arrive(s.t, '13957086421')
  await s.reassign(back.id, s.b)
  const [conflict] = await s.t.database.db.select().from(ownershipConflicts)
  await assert.rejects(
    s.t.database.write((tx) =>
      decideConflict({
        tx,
        input: {
          conflictId: conflict!.id,
          officeId: 'another-office',
          decidedBy: s.manager.id,
          decision: 'keep',
          reason: 'not mine',
        },
        now: s.t.clock.now(),
      }),
    ),
    (e) => e instanceof ConflictRefused && e.message === 'not-found',
  )
  await s.t.database.write((tx) =>
    decideConflict({
      tx,
      input: {
        conflictId: conflict!.id,
        officeId: s.officeId,
        decidedBy: s.manager.id,
        decision: 'keep',
        reason: 'A 的客户',
      },
      now: s.t.clock.now(),
    }),
  )
  assert.equal((await credit(s.t, back.id))!.creditedTo, s.a)
})

test('deleting a visitor’s data deletes their ownership; the conflict keeps only its visit', async () => {
  const s = await setup()
  const first = await servedByAOnDayOne(s)
  s.t.clock.advance(4 * day)
  const back = await arrive(s.t, '13957086421')
  await s.reassign(back.id, s.b)
  await s.t.database.write((tx) =>
    deleteVisitorData({ tx, visitorId: first.visitorId!, now: s.t.clock.now() }),
  )
  assert.equal((await s.t.database.db.select().from(clientOwners)).length, 0)
  const [conflict] = await s.t.database.db.select().from(ownershipConflicts)
  assert.equal(conflict!.visitorId, null)
})

test('when the office says so, serving one’s own returning client is one’s rotation turn', async () => {
  const s = await setup({ countsAsTurn: true })
  await servedByAOnDayOne(s)
  s.t.clock.advance(4 * day)
  const back = await arrive(s.t, '13957086421')
  assert.ok((await s.toOwner(back.id)).ok)
  assert.equal((await credit(s.t, back.id))!.countsAsTurn, true)
  const walkIn = await arrive(s.t, null)
  assert.deepEqual(await s.next(), { visitId: walkIn.id, consultantId: s.b }, 'A had their turn: B is next')
})
