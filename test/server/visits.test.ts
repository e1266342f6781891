// Visit detail: attribution in words, dispute evidence, escaped notes, check-out, and the audited phone reveal.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { and, eq } from 'drizzle-orm'
import { makeTestApp, Client, type TestApp } from '../helpers/app.ts'
import type { AppDeps } from '../../server/context.ts'
import { addVisit } from '../helpers/dashboard-fixtures.ts'
import { auditLog } from '../../models/audit.ts'
import { referrals } from '../../models/referrals.ts'
import { visits } from '../../models/visits.ts'
import { newId } from '../../models/ids.ts'

async function signedIn(t: TestApp, username = 'sales') {
  const client = new Client(t.app)
  await client.login(username, t.passwordOf(username))
  return client
}

const reveals = (t: TestApp, visitId: string) =>
  t.database.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, 'phone.revealed'), eq(auditLog.target, visitId)))

test('revealing the full number needs a reason, and every reveal is audited: who, when, which visit, why', async () => {
  const t = await makeTestApp()
  const visitId = await addVisit(t.database, t.keys, {
    officeId: t.seeded.officeId,
    at: t.clock.now(),
    phone: '138 1234 5678',
  })
  const client = await signedIn(t)
  const page = await client.get(`/visits/${visitId}?lang=en`)
  assert.equal(page.status, 200)
  const html = await page.text()
  assert.match(html, /138\*\*\*\*5678/)
  assert.doesNotMatch(html, /13812345678/)

  for (const reason of [undefined, '', '  ', 'ab']) {
    const res = await client.post(`/visits/${visitId}/reveal`, reason === undefined ? {} : { reason })
    assert.equal(res.status, 400, `reason ${JSON.stringify(reason)}`)
    assert.doesNotMatch(await res.text(), /13812345678/)
  }
  assert.equal((await reveals(t, visitId)).length, 0)
  const noToken = await client.post(
    `/visits/${visitId}/reveal`,
    { reason: 'call back about unit 3B' },
    { csrf: false },
  )
  assert.equal(noToken.status, 403)
  assert.equal((await reveals(t, visitId)).length, 0)

  t.clock.advance(5000)
  const ok = await client.post(`/visits/${visitId}/reveal`, { reason: 'call back about unit 3B' })
  assert.equal(ok.status, 200)
  assert.equal(ok.headers.get('cache-control'), 'no-store')
  assert.match(await ok.text(), /13812345678/)
  const [row] = await reveals(t, visitId)
  const [sales] = await t.database.db.query.staff.findMany({ where: (s, { eq }) => eq(s.username, 'sales') })
  assert.equal(row!.actorId, sales!.id)
  assert.equal(row!.actorType, 'staff')
  assert.equal(row!.at, t.clock.now())
  assert.equal(JSON.parse(row!.detail).reason, 'call back about unit 3B')
  assert.doesNotMatch(row!.detail, /1381234|5678/, 'the audit row never holds the number')
})

test('a visit of another office or an unknown id is 404 and reveals nothing', async () => {
  const t = await makeTestApp()
  const client = await signedIn(t)
  assert.equal((await client.get('/visits/nope')).status, 404)
  const res = await client.post('/visits/nope/reveal', { reason: 'checking something' })
  assert.equal(res.status, 404)
  assert.equal((await reveals(t, 'nope')).length, 0)
})

test('notes are stored and shown escaped: HTML or script typed by staff never runs', async () => {
  const t = await makeTestApp()
  const visitId = await addVisit(t.database, t.keys, { officeId: t.seeded.officeId, at: t.clock.now() })
  const client = await signedIn(t)
  const evil = '<script>alert(1)</script><img src=x onerror=alert(2)>'
  const res = await client.post(`/visits/${visitId}/notes`, { body: evil })
  assert.equal(res.status, 303)
  const html = await (await client.get(`/visits/${visitId}`)).text()
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;&lt;img src=x onerror=alert\(2\)&gt;/)
  assert.doesNotMatch(html, /<script>alert/)
  assert.doesNotMatch(html, /<img src=x/)
  assert.equal((await client.post(`/visits/${visitId}/notes`, { body: '   ' })).status, 400)
})

test('attribution in plain words and a disputed referral with its evidence and rule', async () => {
  const t = await makeTestApp()
  const officeId = t.seeded.officeId
  const broker = (await t.database.db.query.brokers.findFirst({
    where: (b, { eq }) => eq(b.username, 'broker1'),
  }))!
  const earlier = Date.parse('2026-11-02T03:00:00Z')
  const visitId = await addVisit(t.database, t.keys, {
    officeId,
    at: t.clock.now(),
    attributionReason: 'walk-in-before-referral',
    firstVisit: false,
  })
  const referralId = newId()
  await t.database.write(async (tx) => {
    await tx.insert(referrals).values({
      id: referralId,
      officeId,
      brokerId: broker.id,
      createdAt: earlier + 86_400_000,
      expiresAt: earlier + 31 * 86_400_000,
      status: 'disputed',
      reason: 'walk-in-before-referral',
      evidenceAt: earlier,
      visitId,
      arrivedAt: t.clock.now(),
    })
    await tx.update(visits).set({ referralId }).where(eq(visits.id, visitId))
  })
  const client = await signedIn(t)
  const en = await (await client.get(`/visits/${visitId}?lang=en`)).text()
  assert.match(en, /Disputed: this phone number had already visited on its own before the registration/)
  assert.match(en, /Disputed referral/)
  assert.match(en, /Evidence: this number visited on its own on Nov 2, 2026/)
  assert.match(en, /flagged for the sales manager to decide/)
  assert.match(en, /Broker referral bound · 陈经纪 Chen/)
  const zh = await (await client.get(`/visits/${visitId}?lang=zh-CN`)).text()
  assert.match(zh, /有争议：该手机号在报备之前已自行到访/)
  const viewed = await t.database.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, 'visit.viewed'), eq(auditLog.target, visitId)))
  assert.equal(viewed.length, 2)
})

test('check-out marks the visit left, announces it, and is refused without CSRF', async () => {
  const t = await makeTestApp()
  const officeId = t.seeded.officeId
  const visitId = await addVisit(t.database, t.keys, { officeId, at: t.clock.now() })
  const client = await signedIn(t)
  const events: string[] = []
  ;(t.deps as AppDeps).events!.on((e) => {
    if (e.type === 'visit.updated') events.push(e.visitId)
  })
  assert.equal((await client.post(`/visits/${visitId}/checkout`, {}, { csrf: false })).status, 403)
  t.clock.advance(30 * 60_000)
  assert.equal((await client.post(`/visits/${visitId}/checkout`, {})).status, 303)
  const [row] = await t.database.db.select().from(visits).where(eq(visits.id, visitId))
  assert.equal(row!.status, 'left')
  assert.equal(row!.checkedOutAt, t.clock.now())
  await new Promise((resolve) => setImmediate(resolve))
  assert.deepEqual(events, [visitId])
})
