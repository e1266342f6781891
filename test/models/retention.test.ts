// Retention purge with a fake clock: each period removes exactly its expired rows; roll-ups and the guard survive.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { count, eq, sql } from 'drizzle-orm'
import { makeTestApp, type TestApp } from '../helpers/app.ts'
import { addVisitor, addVisit, addConsentWithSession, addReferral } from '../helpers/privacy-fixtures.ts'
import {
  purgeExpired,
  retentionPolicy,
  setRetention,
  BelowFloor,
  listPurgeRuns,
} from '../../models/retention.ts'
import { visitors, visits } from '../../models/visits.ts'
import { consents, cameraSessions } from '../../models/consents.ts'
import { referrals } from '../../models/referrals.ts'
import { appeals } from '../../models/channel-rules.ts'
import { auditLog, auditGuard } from '../../models/audit.ts'
import { dailyRollups } from '../../models/rollups.ts'

const day = 86400_000

async function ids(t: TestApp) {
  const db = t.database.db
  return {
    visitors: (await db.select({ id: visitors.id }).from(visitors)).map((r) => r.id).sort(),
    sessions: (await db.select({ id: cameraSessions.id }).from(cameraSessions)).map((r) => r.id).sort(),
    consents: (await db.select({ id: consents.id }).from(consents)).map((r) => r.id).sort(),
    referrals: (await db.select({ id: referrals.id }).from(referrals)).map((r) => r.id).sort(),
    visits: (await db.select({ id: visits.id }).from(visits)).map((r) => r.id).sort(),
  }
}

test('after each retention period the purge removes exactly the expired rows and nothing else', async () => {
  const t = await makeTestApp()
  const { database, clock, keys } = t
  const officeId = t.seeded.officeId
  const t0 = clock.now()
  const old = await addVisitor(database, { officeId, phone: '13812345678', keys: keys.phone, at: t0 })
  const oldVisit = await addVisit(database, { officeId, visitorId: old.id, at: t0 })
  const oldCamera = await addConsentWithSession(database, { officeId, visitId: oldVisit, at: t0 })
  const oldReferral = await addReferral(database, { officeId, at: t0, days: 30 })
  const [referral] = await database.db.select().from(referrals).where(eq(referrals.id, oldReferral))
  await database.write((tx) =>
    tx.insert(appeals).values({
      id: 'appeal-1',
      officeId,
      referralId: oldReferral,
      brokerId: referral!.brokerId,
      reason: '客户已报备',
      createdAt: t0,
    }),
  )
  await database.write((tx) =>
    tx.insert(dailyRollups).values({ officeId, day: '2026-11-23', hour: 10, channel: 'walk-in', visits: 3 }),
  )

  // day 31: only camera sessions (30 days) have expired; a session from today stays
  clock.advance(31 * day)
  const fresh = await addVisitor(database, {
    officeId,
    phone: '13900000000',
    keys: keys.phone,
    at: clock.now(),
  })
  const freshVisit = await addVisit(database, { officeId, visitorId: fresh.id, at: clock.now() })
  const freshCamera = await addConsentWithSession(database, {
    officeId,
    visitId: freshVisit,
    at: clock.now(),
  })
  const before31 = await ids(t)
  const run31 = await purgeExpired({ database, now: clock.now(), trigger: 'schedule' })
  assert.equal(run31.error, null)
  assert.equal(run31.deleted['camera-sessions'], 1)
  assert.deepEqual(await ids(t), { ...before31, sessions: [freshCamera.sessionId] })

  // day 181: the referral (protection over, created 180+ days ago) goes; visitors and consents stay
  clock.advance(150 * day)
  const before181 = await ids(t)
  const run181 = await purgeExpired({ database, now: clock.now(), trigger: 'schedule' })
  assert.equal(run181.deleted.referrals, 1)
  assert.equal((await database.db.select().from(appeals)).length, 0, 'the appeal went with its referral')
  assert.deepEqual(await ids(t), {
    ...before181,
    sessions: [],
    referrals: before181.referrals.filter((id) => id !== oldReferral),
  })

  // day 366: the first visitor's personal row goes; the visit stays as an anonymous count
  clock.advance(185 * day)
  const before366 = await ids(t)
  const run366 = await purgeExpired({ database, now: clock.now(), trigger: 'schedule' })
  assert.equal(run366.deleted['visitor-personal'], 1)
  assert.deepEqual(await ids(t), { ...before366, visitors: [fresh.id] })
  const [anon] = await database.db.select().from(visits).where(eq(visits.id, oldVisit))
  assert.equal(anon!.visitorId, null)

  // day 1096: the consent records of day 0 and the audit rows of day 0 go; later ones stay
  clock.advance(730 * day)
  const auditBefore = await database.db.select().from(auditLog)
  const before1096 = await ids(t)
  const run1096 = await purgeExpired({ database, now: clock.now(), trigger: 'schedule' })
  assert.equal(run1096.error, null)
  // (the second visitor's last visit, day 31, is now past the visitor period too)
  assert.deepEqual(await ids(t), {
    ...before1096,
    visitors: [],
    consents: before1096.consents.filter((id) => id !== oldCamera.consentId),
  })
  const auditAfter = await database.db.select().from(auditLog)
  const cutoff = clock.now() - 1095 * day
  const expected = auditBefore.filter((r) => r.at >= cutoff).map((r) => r.id)
  assert.ok(
    auditBefore.some((r) => r.at < cutoff && r.officeId),
    'some audit rows were old enough',
  )
  assert.deepEqual(
    auditAfter.map((r) => r.id).filter((id) => id <= Math.max(...auditBefore.map((r) => r.id))),
    expected,
  )

  // roll-ups are anonymous and survive every purge
  const [rollups] = await database.db.select({ n: count() }).from(dailyRollups)
  assert.equal(rollups!.n, 1)
  // each run is recorded with what it deleted
  const runs = await listPurgeRuns(database.db)
  assert.equal(runs.length, 4)
  assert.equal(runs[0]!.deleted.consents, 1)
})

test('the audit guard is down again after a purge: the log cannot be deleted or changed', async () => {
  const t = await makeTestApp()
  t.clock.advance(2000 * day)
  await purgeExpired({ database: t.database, now: t.clock.now(), trigger: 'manual' })
  const [guard] = await t.database.db.select().from(auditGuard)
  assert.equal(guard!.purging, 0)
  await assert.rejects(t.database.client.execute('DELETE FROM audit_log'), /append-only/)
  await assert.rejects(t.database.client.execute("UPDATE audit_log SET action = 'x'"), /append-only/)
  await assert.rejects(
    t.database.write((tx) => tx.run(sql`DELETE FROM audit_guard`)),
    (error: Error) => /fixed/.test(String(error.cause)),
  )
})

test('retention periods have defaults and refuse to go below the floor', async () => {
  const t = await makeTestApp()
  const officeId = t.seeded.officeId
  const policy = await retentionPolicy(t.database.db, officeId)
  assert.deepEqual(
    policy.map((p) => [p.kind, p.days, p.floor]),
    [
      ['visitor-personal', 365, 30],
      ['camera-sessions', 30, 1],
      ['referrals', 180, 30],
      ['consents', 1095, 180],
      ['audit-log', 1095, 180],
    ],
  )
  await assert.rejects(
    t.database.write((tx) =>
      setRetention({ tx, input: { officeId, kind: 'referrals', days: 10 }, now: t.clock.now() }),
    ),
    BelowFloor,
  )
  await t.database.write((tx) =>
    setRetention({ tx, input: { officeId, kind: 'camera-sessions', days: 7 }, now: t.clock.now() }),
  )
  const after = await retentionPolicy(t.database.db, officeId)
  assert.equal(after.find((p) => p.kind === 'camera-sessions')!.days, 7)
  // a seven-day setting purges an eight-day-old session
  await addConsentWithSession(t.database, { officeId, visitId: null, at: t.clock.now() })
  t.clock.advance(8 * day)
  const run = await purgeExpired({ database: t.database, now: t.clock.now(), trigger: 'manual' })
  assert.equal(run.deleted['camera-sessions'], 1)
})
