// Broker referrals (报备) end to end through the routes: attribution, disputes, two brokers, replay, isolation.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import { makeTestApp, Client } from '../helpers/app.ts'
import { checkIn, registerReferral } from '../helpers/visitor.ts'
import { visits } from '../../models/visits.ts'
import { referrals } from '../../models/referrals.ts'
import { auditLog } from '../../models/audit.ts'

test('a client who opened the referral link and checks in is attributed to the broker; the broker sees arrived', async () => {
  const t = await makeTestApp()
  const { broker, referralPath, referralId } = await registerReferral(t, 'broker1', {
    clientLabel: '王先生',
    phone: '13700001111',
  })
  const phone = new Client(t.app)
  const landing = await phone.get(referralPath)
  assert.equal(landing.status, 200)
  assert.match(await landing.text(), /陈经纪/)
  await checkIn(t, { client: phone })
  const [visit] = await t.database.db.select().from(visits)
  assert.equal(visit!.channel, 'broker')
  assert.equal(visit!.referralId, referralId)
  const list = await (await broker.get('/agent')).text()
  assert.match(list, new RegExp(`data-referral="${referralId}" data-status="arrived"`))
  assert.match(list, /137\*\*\*\*1111/)
})

test('a referral for a phone that already walked in is disputed at once, with the date of that visit', async () => {
  const t = await makeTestApp()
  await checkIn(t, { phone: '13700002222' })
  t.clock.advance(2 * 86400_000)
  const { referralId } = await registerReferral(t, 'broker1', { phone: '13700002222' })
  const [referral] = await t.database.db.select().from(referrals).where(eq(referrals.id, referralId))
  assert.equal(referral!.status, 'disputed')
  assert.equal(referral!.evidenceAt, t.clock.now() - 2 * 86400_000)
})

test('two brokers register the same phone: the earlier one gets the client, the later sees why', async () => {
  const t = await makeTestApp()
  const first = await registerReferral(t, 'broker1', { phone: '13700003333' })
  t.clock.advance(3600_000)
  const second = await registerReferral(t, 'broker2', { phone: '13700003333' })
  t.clock.advance(3600_000)
  // the client opens the later broker's link, but the earlier registration wins
  const phone = new Client(t.app)
  await phone.get(second.referralPath)
  await checkIn(t, { client: phone, phone: '13700003333' })
  const [visit] = await t.database.db.select().from(visits)
  assert.equal(visit!.referralId, first.referralId)
  assert.equal(visit!.attributionReason, 'earlier-referral-wins')
  const page = await (await second.broker.get('/agent')).text()
  assert.match(page, /data-status="invalid"/)
  // the reason names the broker, the date (not the minute) and the office where the winning registration was made
  assert.match(page, /无效：该客户已由 陈经纪 Chen 于 2026年11月23日 在「示范案场 · 滨江壹号售楼处」报备/)
})

test('replaying a referral link for a second client does not steal that client; it is audited', async () => {
  const t = await makeTestApp()
  const { referralPath } = await registerReferral(t, 'broker1')
  const a = new Client(t.app)
  await a.get(referralPath)
  await checkIn(t, { client: a })
  const b = new Client(t.app)
  const landing = await b.get(referralPath)
  assert.match(await landing.text(), /已被使用/)
  // even with the cookie forced in, the second client is a walk-in
  b.cookies.set('sr_referral', referralPath.slice(3))
  await checkIn(t, { client: b })
  const all = await t.database.db.select().from(visits).orderBy(visits.checkedInAt)
  assert.deepEqual(
    all.map((v) => [v.channel, v.attributionReason]),
    [
      ['broker', 'referral'],
      ['walk-in', 'referral-used'],
    ],
  )
  const audits = await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'token.rejected'))
  assert.equal(audits.length, 1)
})

test('an expired referral link is refused with a clear page', async () => {
  const t = await makeTestApp()
  const { referralPath } = await registerReferral(t, 'broker1')
  t.clock.advance(31 * 86400_000)
  const res = await new Client(t.app).get(referralPath)
  assert.equal(res.status, 400)
})

test('a broker sees only their own referrals; staff cannot use the broker portal', async () => {
  const t = await makeTestApp()
  const { referralId } = await registerReferral(t, 'broker1')
  const other = new Client(t.app)
  await other.login('broker2', t.passwordOf('broker2'))
  assert.equal((await other.get(`/agent/referrals/${referralId}`)).status, 404)
  assert.doesNotMatch(await (await other.get('/agent')).text(), new RegExp(referralId))
  const sales = new Client(t.app)
  await sales.login('sales', t.passwordOf('sales'))
  assert.equal((await sales.get('/agent')).status, 403)
})

test('a broker cannot register without a CSRF token or signed in; HTML in the label is escaped', async () => {
  const t = await makeTestApp()
  const anon = new Client(t.app)
  assert.equal((await anon.post('/agent/referrals', { clientLabel: 'x' })).status, 303)
  const broker = new Client(t.app)
  await broker.login('broker1', t.passwordOf('broker1'))
  assert.equal((await broker.post('/agent/referrals', { clientLabel: 'x' }, { csrf: false })).status, 403)
  assert.equal((await t.database.db.select().from(referrals)).length, 0)
  await broker.post('/agent/referrals', { clientLabel: '<script>alert(1)</script>' })
  const page = await (await broker.get('/agent')).text()
  assert.doesNotMatch(page, /<script>alert/)
  assert.match(page, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/)
})
