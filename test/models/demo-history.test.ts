// The demo office's history: the shape sales offices report, every referral state, consents and sessions,
// roll-ups built, consultants on duty — and the same history again for the same seed and day.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { and, count, eq, isNotNull, sql } from 'drizzle-orm'
import { makeTestApp, type TestApp } from '../helpers/app.ts'
import { seedDemoLife } from '../../models/demo/index.ts'
import { visits } from '../../models/visits.ts'
import { referrals } from '../../models/referrals.ts'
import { appeals } from '../../models/channel-rules.ts'
import { consents, cameraSessions } from '../../models/consents.ts'
import { stations } from '../../models/offices.ts'
import { staff, brokers } from '../../models/staff.ts'
import { dataRequests, purgeRuns } from '../../models/privacy.ts'
import { dailyRollups, rolledThrough } from '../../models/rollups.ts'
import { localDay, localHour } from '../../models/time.ts'
import { addDays } from '../../models/report-period.ts'
import { dutyRoster } from '../../models/reception.ts'
import { startTestServer } from '../helpers/browser.ts'
import { existsSync } from 'node:fs'
import path from 'node:path'

const tz = 'Asia/Shanghai'

async function demoWithHistory(days: number, seed?: string) {
  const t = await makeTestApp({ demo: true })
  const life = await seedDemoLife({
    database: t.database,
    seeded: t.seeded,
    phoneKeys: t.keys.phone,
    now: t.clock.now(),
    days,
    seed,
  })
  return { t, life }
}

async function visitRows(t: TestApp) {
  return t.database.db.select().from(visits).where(eq(visits.officeId, t.seeded.officeId))
}

test('three weeks of history have the shape of a sales office', async () => {
  const { t, life } = await demoWithHistory(21)
  const { db } = t.database
  const rows = await visitRows(t)
  assert.equal(rows.length, life.arrivals)
  const share = (n: number) => n / rows.length
  const walkIns = share(rows.filter((v) => v.channel === 'walk-in').length)
  assert.ok(walkIns >= 0.55 && walkIns <= 0.67, `walk-in share ${walkIns.toFixed(2)}`)
  const returns = share(rows.filter((v) => !v.firstVisit).length)
  assert.ok(returns >= 0.15 && returns <= 0.32, `return share ${returns.toFixed(2)}`)
  // visits of past days were served and checked out after 20–90 minutes with a consultant
  const today = localDay(t.clock.now(), tz)
  const past = rows.filter((v) => v.day < today)
  assert.ok(past.every((v) => v.status === 'left' && v.consultantId && v.assignedAt && v.checkedOutAt))
  const stays = past.map((v) => (v.checkedOutAt! - v.assignedAt!) / 60_000)
  assert.ok(Math.min(...stays) >= 20 && Math.max(...stays) <= 90, 'stays of 20–90 minutes')
  // weekends 2–3× weekdays; a dip at lunch between the late-morning and mid-afternoon peaks
  const perDay = new Map<string, number>()
  for (const v of past) perDay.set(v.day, (perDay.get(v.day) ?? 0) + 1)
  const isWeekend = (d: string) => [0, 6].includes(new Date(`${d}T12:00:00Z`).getUTCDay())
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
  const weekday = [...perDay].filter(([d]) => !isWeekend(d)).map(([, n]) => n)
  const weekend = [...perDay].filter(([d]) => isWeekend(d)).map(([, n]) => n)
  assert.ok(Math.min(...weekday) >= 30 - 3, `weekdays ${weekday.join(',')}`)
  assert.ok(mean(weekend) >= 2 * mean(weekday), `weekends ${mean(weekend)} vs ${mean(weekday)}`)
  const perHour = new Array(24).fill(0)
  for (const v of past) perHour[localHour(v.checkedInAt, tz)]++
  assert.ok(perHour[12] < perHour[11] && perHour[12] < perHour[15], `midday dip: ${perHour.slice(9, 18)}`)
  assert.equal(
    perHour.slice(0, 9).reduce((a, b) => a + b, 0),
    0,
    'nobody before opening',
  )

  // brokers of several agencies, referrals in every state, appeals filed and decided
  const agencies = await db.selectDistinct({ company: brokers.company }).from(brokers)
  assert.ok(agencies.length >= 4, 'several agencies')
  assert.ok(
    agencies.every((a) => /示范|demo/.test(a.company)),
    'agencies are clearly fictional',
  )
  const states = await db
    .select({ status: referrals.status, reason: referrals.reason, n: count() })
    .from(referrals)
    .groupBy(referrals.status, referrals.reason)
  const has = (status: string, reason?: string) =>
    states.some((s) => s.status === status && (!reason || s.reason === reason))
  assert.ok(has('arrived'), 'arrived')
  assert.ok(has('pending'), 'pending')
  assert.ok(has('invalid', 'already-registered') || has('invalid', 'lost-on-appeal'), 'invalid (duplicate)')
  assert.ok(has('disputed', 'walk-in-before-referral') || has('disputed'), 'disputed (walk-in first)')
  const appealRows = await db.select().from(appeals)
  assert.ok(
    appealRows.length >= 3 && appealRows.some((a) => a.decision) && appealRows.some((a) => !a.decision),
  )

  // ~15 % camera consents, some withdrawn; sessions at the sand table and the model unit with dwell and attention
  const consentRows = await db.select().from(consents)
  const consentShare = consentRows.length / rows.length
  assert.ok(consentShare >= 0.1 && consentShare <= 0.2, `consent share ${consentShare.toFixed(2)}`)
  assert.ok(consentRows.some((c) => c.withdrawnAt))
  const sessions = await db
    .select({ zone: stations.zone, dwellMs: cameraSessions.dwellMs, attentionMs: cameraSessions.attentionMs })
    .from(cameraSessions)
    .innerJoin(stations, eq(cameraSessions.stationId, stations.id))
  assert.deepEqual([...new Set(sessions.map((s) => s.zone))].sort(), ['model-unit', 'sand-table'])
  assert.ok(sessions.every((s) => s.dwellMs > 0 && s.attentionMs > 0 && s.attentionMs <= s.dwellMs))
  // a withdrawal deleted that consent's sessions
  const withdrawn = consentRows.filter((c) => c.withdrawnAt).map((c) => c.id)
  const [left] = await db
    .select({ n: count() })
    .from(cameraSessions)
    .where(sql`${cameraSessions.consentId} IN (SELECT value FROM json_each(${JSON.stringify(withdrawn)}))`)
  assert.equal(left!.n, 0)

  // data requests answered, purge runs logged, roll-ups built through yesterday, consultants on duty
  const requests = await db.select().from(dataRequests)
  assert.ok(requests.some((r) => r.status === 'done') && requests.some((r) => r.status === 'open'))
  assert.ok((await db.select().from(purgeRuns)).length >= 2)
  assert.equal(await rolledThrough(db, t.seeded.officeId), addDays(today, -1))
  const [rolled] = await db
    .select({ n: sql<number>`sum(${dailyRollups.visits})` })
    .from(dailyRollups)
    .where(and(eq(dailyRollups.zone, ''), sql`${dailyRollups.day} < ${today}`))
  assert.equal(Number(rolled!.n), past.length, 'the roll-ups count every past visit')
  const roster = await dutyRoster(db, t.seeded.officeId)
  assert.ok(roster.length >= 4, 'consultants on duty')
  const sales = await db
    .select()
    .from(staff)
    .where(and(eq(staff.role, 'sales'), isNotNull(staff.displayName)))
  assert.ok(sales.every((s) => /[\u4e00-\u9fff]/.test(s.displayName) && /[A-Za-z]/.test(s.displayName)))
  // someone is waiting now, for the reception queue's "next"
  assert.ok(rows.filter((v) => v.day === today && v.status === 'waiting').length >= 3)
})

test('the same seed and day give the same history; another seed another one', async () => {
  const shape = async (seed?: string) => {
    const { t, life } = await demoWithHistory(4, seed)
    const rows = await visitRows(t)
    const { arrivals, referrals, consents } = life
    return {
      counts: { arrivals, referrals, consents },
      times: rows.map((v) => `${v.checkedInAt}:${v.channel}:${v.firstVisit}:${v.status}`).sort(),
    }
  }
  const a = await shape()
  const b = await shape()
  assert.deepEqual(a, b)
  const c = await shape('another-seed')
  assert.notDeepEqual(a.times, c.times)
})

test('SHOWROOM_DEMO=0 seeds no demo office, no history and no account but the admin', async () => {
  const t = await makeTestApp({ demo: false })
  const { db } = t.database
  assert.equal(t.seeded.demoAccounts.length, 0)
  assert.deepEqual(
    (await db.select({ username: staff.username }).from(staff)).map((s) => s.username),
    ['admin'],
  )
  assert.equal((await db.select().from(brokers)).length, 0)
  assert.equal((await db.select().from(visits)).length, 0)
  await assert.rejects(
    seedDemoLife({ database: t.database, seeded: t.seeded, phoneKeys: t.keys.phone, now: t.clock.now() }),
    /not a demo office/,
  )
})

test('a first start with SHOWROOM_DEMO=0 seeds the admin only, whatever SHOWROOM_DEMO_HISTORY says', async () => {
  const server = await startTestServer({ SHOWROOM_DEMO: '0', SHOWROOM_DEMO_HISTORY: '1' })
  try {
    const { db } = server.database
    assert.deepEqual(
      (await db.select({ username: staff.username }).from(staff)).map((s) => s.username),
      ['admin'],
    )
    assert.equal((await db.select().from(visits)).length, 0)
    assert.equal(existsSync(path.join(server.dataDir, 'demo.json')), false)
  } finally {
    await server.close()
  }
})
