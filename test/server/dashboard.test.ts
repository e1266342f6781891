// Dashboard routes: role and CSRF refusals, the reception queue under a race, live pushes, counters and charts.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { and, eq, desc } from 'drizzle-orm'
import { makeTestApp, Client, type TestApp } from '../helpers/app.ts'
import type { AppDeps } from '../../server/context.ts'
import { addVisit, putOnDuty } from '../helpers/dashboard-fixtures.ts'
import { visits } from '../../models/visits.ts'
import { staff } from '../../models/staff.ts'
import { auditLog } from '../../models/audit.ts'
import { topics } from '../../server/live.ts'
import { dashboardSnapshot } from '../../models/dashboard.ts'

async function signedIn(t: TestApp, username = 'sales') {
  const client = new Client(t.app)
  await client.login(username, t.passwordOf(username))
  return client
}

const officeOf = (t: TestApp) => t.seeded.officeId
const brokerId = async (t: TestApp) =>
  (await t.database.db.query.brokers.findFirst({ where: (b, { eq }) => eq(b.username, 'broker1') }))!.id

async function visitRow(t: TestApp, id: string) {
  const [row] = await t.database.db.select().from(visits).where(eq(visits.id, id))
  return row!
}

test('brokers are refused the dashboard, its queue and visit pages; nothing changes', async () => {
  const t = await makeTestApp()
  await putOnDuty(t.database, ['sales'])
  const visitId = await addVisit(t.database, t.keys, { officeId: officeOf(t), at: t.clock.now() })
  const broker = await signedIn(t, 'broker1')
  assert.equal((await broker.get('/dashboard')).status, 403)
  assert.equal((await broker.get(`/visits/${visitId}`)).status, 403)
  const next = await broker.post('/dashboard/queue/next', { visitId, revision: '0' })
  assert.equal(next.status, 403)
  assert.equal((await visitRow(t, visitId)).status, 'waiting')
  const signedOut = new Client(t.app)
  assert.equal((await signedOut.get('/dashboard/socket')).status, 303)
  assert.equal((await broker.get('/dashboard/socket')).status, 403)
})

test('today: counters, arrivals newest first with masked phone only, broker names', async () => {
  const t = await makeTestApp()
  const officeId = officeOf(t)
  const now = t.clock.now()
  await addVisit(t.database, t.keys, { officeId, at: now - 3600_000, phone: '13812345678' })
  await addVisit(t.database, t.keys, {
    officeId,
    at: now - 600_000,
    channel: 'broker',
    brokerId: await brokerId(t),
    firstVisit: false,
  })
  // yesterday's visit is not today's
  await addVisit(t.database, t.keys, { officeId, at: now - 86_400_000 })
  const client = await signedIn(t)
  const page = await client.get('/dashboard?lang=en')
  assert.equal(page.status, 200)
  const html = await page.text()
  assert.match(html, /hx-ext="ws"/)
  assert.match(html, /ws-connect="\/dashboard\/socket/)
  assert.match(html, /data-counter="visits"><dt>Visits<\/dt><dd>2<\/dd>/)
  assert.match(html, /data-counter="first"><dt>First visits<\/dt><dd>1<\/dd>/)
  assert.match(html, /data-counter="returns"><dt>Returns<\/dt><dd>1<\/dd>/)
  assert.match(html, /<dt>陈经纪 Chen<\/dt><dd>1<\/dd>/)
  assert.match(html, /138\*\*\*\*5678/)
  assert.doesNotMatch(html, /13812345678/)
  const list = html.slice(html.indexOf('id="visit-list"'))
  assert.ok(list.indexOf('陈经纪') < list.indexOf('138****5678'), 'newest first')
  assert.match(html, /<svg[^>]*role="img"[^>]*>\s*<title/)
  assert.match(html, /Show values as a table/)
})

test('"next" from two staff at once assigns once; the loser gets 409 and the current queue', async () => {
  const t = await makeTestApp()
  const officeId = officeOf(t)
  const [zhang] = await putOnDuty(t.database, ['sales', 'sales2'])
  const first = await addVisit(t.database, t.keys, { officeId, at: t.clock.now() - 120_000 })
  await addVisit(t.database, t.keys, { officeId, at: t.clock.now() - 60_000 })
  const a = await signedIn(t, 'sales')
  const b = await signedIn(t, 'sales2')
  const seen = { visitId: first, revision: '0' }
  const hx = { 'hx-request': 'true' }
  const [ra, rb] = await Promise.all([
    a.request('/dashboard/queue/next', form(a, seen, hx)),
    b.request('/dashboard/queue/next', form(b, seen, hx)),
  ])
  assert.deepEqual([ra.status, rb.status].sort(), [200, 409])
  const loser = ra.status === 409 ? ra : rb
  const body = await loser.text()
  assert.match(body, /data-conflict="stale"/)
  assert.match(body, /data-waiting="1"/, 'the loser sees one visitor still waiting')
  const rows = await t.database.db.select().from(visits).where(eq(visits.officeId, officeId))
  const assigned = rows.filter((r) => r.status === 'with-consultant')
  assert.equal(assigned.length, 1)
  assert.equal(assigned[0]!.id, first)
  assert.equal(assigned[0]!.consultantId, zhang)
  assert.equal(assigned[0]!.revision, 1)
})

function form(client: Client, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return {
    method: 'POST',
    body: new URLSearchParams({ _csrf: client.csrf, ...fields }),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  }
}

test('rotation: consultants take turns, skipping one who is still with a visitor', async () => {
  const t = await makeTestApp()
  const officeId = officeOf(t)
  const [zhang, li] = await putOnDuty(t.database, ['sales', 'sales2'])
  const ids = []
  for (let i = 0; i < 3; i++)
    ids.push(await addVisit(t.database, t.keys, { officeId, at: t.clock.now() - (10 - i) * 60_000 }))
  const client = await signedIn(t)
  const next = async (visitId: string) => {
    t.clock.advance(1000)
    return client.post('/dashboard/queue/next', { visitId, revision: '0' })
  }
  assert.equal((await next(ids[0]!)).status, 303)
  assert.equal((await next(ids[1]!)).status, 303)
  assert.equal((await visitRow(t, ids[0]!)).consultantId, zhang)
  assert.equal((await visitRow(t, ids[1]!)).consultantId, li)
  // it would be Zhang's turn, but Zhang is still with a visitor and Li's has left: Li takes the third
  await client.post(`/visits/${ids[1]}/checkout`, {})
  assert.equal((await visitRow(t, ids[1]!)).status, 'left')
  assert.equal((await next(ids[2]!)).status, 303)
  assert.equal((await visitRow(t, ids[2]!)).consultantId, li)
  const stale = await client.post('/dashboard/queue/next', { visitId: ids[2]!, revision: '0' })
  assert.equal(stale.headers.get('location'), '/dashboard?conflict=nobody-waiting')
})

test('queue posts need the CSRF token and valid input; refusals change nothing', async () => {
  const t = await makeTestApp()
  await putOnDuty(t.database, ['sales'])
  const visitId = await addVisit(t.database, t.keys, { officeId: officeOf(t), at: t.clock.now() })
  const client = await signedIn(t)
  const noToken = await client.post('/dashboard/queue/next', { visitId, revision: '0' }, { csrf: false })
  assert.equal(noToken.status, 403)
  const bad = await client.post('/dashboard/queue/next', { visitId, revision: 'abc' })
  assert.equal(bad.status, 400)
  const badDuty = await client.post('/dashboard/duty', { staffId: 'x', action: 'promote' })
  assert.equal(badDuty.status, 400)
  assert.equal((await visitRow(t, visitId)).status, 'waiting')
})

test('reassign and duty changes: manual reassignment, on/off duty and order', async () => {
  const t = await makeTestApp()
  const officeId = officeOf(t)
  const [zhang, li] = await putOnDuty(t.database, ['sales', 'sales2'])
  const visitId = await addVisit(t.database, t.keys, { officeId, at: t.clock.now() })
  const client = await signedIn(t)
  await client.post(`/visits/${visitId}/reassign`, { consultantId: li!, revision: '0' })
  assert.equal((await visitRow(t, visitId)).consultantId, li)
  const stale = await client.post(`/visits/${visitId}/reassign`, { consultantId: zhang!, revision: '0' })
  assert.equal(stale.headers.get('location'), `/visits/${visitId}?stale=1`)
  const page = await client.get(`/visits/${visitId}?stale=1&lang=en`)
  assert.match(await page.text(), /A colleague changed this visit/)
  assert.equal((await visitRow(t, visitId)).consultantId, li)
  await client.post('/dashboard/duty', { staffId: li!, action: 'up' })
  let snapshot = await dashboardSnapshot(t.database.db, officeId, t.clock.now())
  assert.deepEqual(
    snapshot.queue.roster.map((r) => r.id),
    [li, zhang],
  )
  assert.equal(snapshot.queue.roster[0]!.today, 1)
  await client.post('/dashboard/duty', { staffId: zhang!, action: 'off' })
  snapshot = await dashboardSnapshot(t.database.db, officeId, t.clock.now())
  assert.deepEqual(
    snapshot.queue.roster.map((r) => r.id),
    [li],
  )
  const [off] = await t.database.db.select().from(staff).where(eq(staff.id, zhang!))
  assert.equal(off!.onDuty, false)
})

test('check-ins and updates push fragments to every dashboard of the office, in its language', async () => {
  const t = await makeTestApp()
  const officeId = officeOf(t)
  const received: Record<string, string[]>[] = []
  let waiter: (() => void) | null = null
  const nextPush = () => new Promise<void>((resolve) => (waiter = resolve))
  t.live.subscribe(topics.dashboard(officeId), {
    send: (data) => {
      received.push(JSON.parse(data))
      waiter?.()
    },
    close: () => undefined,
  })
  const events = (t.deps as AppDeps).events!
  const first = await addVisit(t.database, t.keys, { officeId, at: t.clock.now(), phone: '13900001111' })
  let pushed = nextPush()
  events.emit({ type: 'visit.checked-in', officeId, visitId: first })
  await pushed
  // the first arrival replaces the "nobody yet" sentence: the whole list, in one frame
  for (const lang of ['zh-CN', 'en']) {
    const [frame, ...rest] = received[0]![lang]!
    assert.deepEqual(rest, [])
    assert.match(frame!, new RegExp(`data-visit="${first}"`))
    assert.match(frame!, /id="visit-list"[^>]*hx-swap-oob="true"/)
    assert.match(frame!, /id="counters"[^>]*hx-swap-oob="true"/)
    assert.doesNotMatch(frame!, /13900001111/)
  }
  assert.match(received[0]!.en![0]!, /Walk-in/)
  assert.match(received[0]!['zh-CN']![0]!, /自然到访/)

  // later: the small fragments whole, plus only the new row and the changed row
  const second = await addVisit(t.database, t.keys, { officeId, at: t.clock.now() + 1000 })
  pushed = nextPush()
  events.emit({ type: 'visit.checked-in', officeId, visitId: second })
  events.emit({ type: 'visit.updated', officeId, visitId: first })
  await pushed
  assert.equal(received.length, 2, 'two events in one turn make one push')
  const [sections, added, changed] = received[1]!.en!
  assert.match(sections!, /id="counters"/)
  assert.doesNotMatch(sections!, /id="visit-list"/)
  assert.match(
    added!,
    new RegExp(`^<tbody hx-swap-oob="afterbegin:#visit-rows"><tr id="visit-row-${second}"`),
  )
  assert.match(changed!, new RegExp(`^<tr id="visit-row-${first}"[^>]*hx-swap-oob="true"`))
})

test('same-weekday average per hour counts only past same weekdays, in office-local hours', async () => {
  const t = await makeTestApp()
  const officeId = officeOf(t)
  const now = t.clock.now() // 10:00 in Shanghai
  await addVisit(t.database, t.keys, { officeId, at: now - 7 * 86_400_000 })
  await addVisit(t.database, t.keys, { officeId, at: now - 7 * 86_400_000 + 60_000 })
  await addVisit(t.database, t.keys, { officeId, at: now - 14 * 86_400_000 + 3600_000 })
  await addVisit(t.database, t.keys, { officeId, at: now - 3 * 86_400_000 })
  await addVisit(t.database, t.keys, { officeId, at: now })
  const snapshot = await dashboardSnapshot(t.database.db, officeId, now)
  assert.equal(snapshot.charts.history.weeks, 2)
  assert.equal(snapshot.charts.history.perHour[10], 1)
  assert.equal(snapshot.charts.history.perHour[11], 0.5)
  assert.equal(snapshot.charts.today[10], 1)
  assert.equal(
    snapshot.charts.today.reduce((a, b) => a + b),
    1,
  )
})

test("median dwell and consented share come from today's visits", async () => {
  const t = await makeTestApp()
  const officeId = officeOf(t)
  const client = await signedIn(t)
  const ids = []
  for (const ago of [60, 40, 20])
    ids.push(await addVisit(t.database, t.keys, { officeId, at: t.clock.now() - ago * 60_000 }))
  await client.post(`/visits/${ids[0]}/checkout`, {})
  t.clock.advance(20 * 60_000)
  await client.post(`/visits/${ids[1]}/checkout`, {})
  const snapshot = await dashboardSnapshot(t.database.db, officeId, t.clock.now())
  // 60 and 60 minutes
  assert.equal(snapshot.counters.medianDwellMs, 60 * 60_000)
  assert.equal(snapshot.counters.consentedShare, 0)
  const audits = await t.database.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, 'visit.checked-out'), eq(auditLog.target, ids[0]!)))
    .orderBy(desc(auditLog.id))
  assert.equal(audits.length, 1)
})
