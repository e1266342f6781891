// Channel rules through the routes: versioned rules, rulings keep their version, appeals, presence, commission.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import { makeTestApp, Client, type TestApp } from '../helpers/app.ts'
import { checkIn, registerReferral, entranceToken } from '../helpers/visitor.ts'
import { referrals } from '../../models/referrals.ts'
import { visits } from '../../models/visits.ts'
import { appeals } from '../../models/channel-rules.ts'
import { auditLog } from '../../models/audit.ts'

const rulesFields = {
  minAdvanceMinutes: '0',
  windowFrom: '',
  windowTo: '',
  protection: '30-days',
  dailyCap: '',
  arrivalProof: 'client-scan',
}

async function manager(t: TestApp) {
  const client = new Client(t.app)
  await client.login('manager', t.passwordOf('manager'))
  return client
}

test('only a manager (or above) may change the rules; sales gets 403', async () => {
  const t = await makeTestApp()
  const sales = new Client(t.app)
  await sales.login('sales', t.passwordOf('sales'))
  assert.equal((await sales.get('/rules')).status, 403)
  assert.equal((await sales.post('/rules', rulesFields)).status, 403)
  const m = await manager(t)
  assert.equal((await m.get('/rules')).status, 200)
})

test('saving rules makes a new version, shown in plain words to brokers; bad input changes nothing', async () => {
  const t = await makeTestApp()
  const m = await manager(t)
  const bad = await m.post('/rules', { ...rulesFields, windowFrom: '21:00', windowTo: '18:00' })
  assert.equal(bad.status, 400)
  assert.match(await bad.text(), /window/)
  const ok = await m.post('/rules', { ...rulesFields, dailyCap: '2', protection: '7-days' })
  assert.equal(ok.status, 303)
  const page = await (await m.get('/rules')).text()
  assert.match(page, /data-version="1"/)
  const broker = new Client(t.app)
  await broker.login('broker1', t.passwordOf('broker1'))
  const agent = await (await broker.get('/agent')).text()
  assert.match(agent, /每位经纪人每天最多报备 2 组客户/)
  assert.match(agent, /保护期：7 天/)
  assert.equal(
    (await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'rules.saved'))).length,
    1,
  )
})

test('the daily cap refuses the registration over it, with the reason', async () => {
  const t = await makeTestApp()
  await (await manager(t)).post('/rules', { ...rulesFields, dailyCap: '1' })
  await registerReferral(t, 'broker1')
  const second = await registerReferral(t, 'broker1')
  const [row] = await t.database.db.select().from(referrals).where(eq(referrals.id, second.referralId))
  assert.equal(row!.status, 'invalid')
  assert.equal(row!.reason, 'daily-cap-reached')
  assert.equal(row!.ruleVersion, 1)
})

test('a registration in the pre-registration window counts from the next local day, not the same day', async () => {
  const t = await makeTestApp()
  // 10:00 in Shanghai on the test clock: inside a 09:00–12:00 registration window
  await (await manager(t)).post('/rules', { ...rulesFields, windowFrom: '09:00', windowTo: '12:00' })
  const sameDay = await registerReferral(t, 'broker1', { phone: '13500002222' })
  const nextDay = await registerReferral(t, 'broker2', { phone: '13500003333' })
  const [pending] = await t.database.db.select().from(referrals).where(eq(referrals.id, sameDay.referralId))
  assert.equal(pending!.status, 'pending')
  assert.ok(pending!.validFrom! > t.clock.now(), 'valid from the next local day')

  t.clock.advance(10 * 60_000)
  const early = new Client(t.app)
  await early.get(sameDay.referralPath)
  await checkIn(t, { client: early })
  const [visit] = await t.database.db.select().from(visits)
  assert.equal(visit!.channel, 'walk-in')
  assert.equal(visit!.attributionReason, 'not-yet-valid')

  // 00:10 the next local day
  t.clock.advance(14 * 3600_000)
  const onTime = new Client(t.app)
  await onTime.get(nextDay.referralPath)
  await checkIn(t, { client: onTime })
  const [valid] = await t.database.db.select().from(visits).where(eq(visits.referralId, nextDay.referralId))
  assert.equal(valid!.channel, 'broker')
})

test('a rule change does not change past rulings: they keep their rule version', async () => {
  const t = await makeTestApp()
  const first = await registerReferral(t, 'broker1', { phone: '13500001111' })
  await (await manager(t)).post('/rules', { ...rulesFields, minAdvanceMinutes: '120' })
  // registered under v0 (no advance rule), the client arrives 10 minutes later: still the broker's
  t.clock.advance(10 * 60_000)
  const phone = new Client(t.app)
  await phone.get(first.referralPath)
  await checkIn(t, { client: phone })
  const [visit] = await t.database.db.select().from(visits)
  assert.equal(visit!.channel, 'broker')
  assert.equal(visit!.ruleVersion, 0)
  // a registration under v1 with the same timing is too late
  const second = await registerReferral(t, 'broker2')
  t.clock.advance(10 * 60_000)
  const other = new Client(t.app)
  await other.get(second.referralPath)
  await checkIn(t, { client: other })
  const [late] = await t.database.db.select().from(visits).where(eq(visits.ruleVersion, 1))
  assert.equal(late!.attributionReason, 'registered-too-late')
})

test('appeal → manager overturns → both brokers see the outcome; the decision is final and audited', async () => {
  const t = await makeTestApp()
  const a = await registerReferral(t, 'broker1', { phone: '13500002222' })
  t.clock.advance(3600_000)
  const b = await registerReferral(t, 'broker2', { phone: '13500002222' })
  assert.match(await (await b.broker.get('/agent')).text(), /已由 陈经纪 Chen 于/)
  const filed = await b.broker.post(`/agent/referrals/${b.referralId}/appeal`, {
    reason: '客户是我先带看过的',
  })
  assert.equal(filed.status, 303)
  // only one appeal per ruling
  assert.equal(
    (await b.broker.post(`/agent/referrals/${b.referralId}/appeal`, { reason: 'again please' })).status,
    409,
  )
  // a broker cannot appeal someone else's referral
  assert.equal(
    (await b.broker.post(`/agent/referrals/${a.referralId}/appeal`, { reason: 'not mine' })).status,
    404,
  )

  const m = await manager(t)
  const [appeal] = await t.database.db.select().from(appeals)
  const evidence = await (await m.get(`/rules/appeals/${appeal!.id}`)).text()
  assert.match(evidence, /id="evidence"/)
  assert.match(evidence, /registered/)
  assert.match(evidence, /competing-registration/)
  assert.equal(
    (await m.post(`/rules/appeals/${appeal!.id}/decide`, { decision: 'overturned', reason: '' })).status,
    400,
  )
  assert.equal(
    (await m.post(`/rules/appeals/${appeal!.id}/decide`, { decision: 'overturned', reason: '现场记录证明' }))
      .status,
    303,
  )
  assert.equal(
    (await m.post(`/rules/appeals/${appeal!.id}/decide`, { decision: 'upheld', reason: 'changed mind' }))
      .status,
    409,
  )

  const [ra] = await t.database.db.select().from(referrals).where(eq(referrals.id, a.referralId))
  const [rb] = await t.database.db.select().from(referrals).where(eq(referrals.id, b.referralId))
  assert.deepEqual([ra!.status, ra!.reason], ['invalid', 'lost-on-appeal'])
  assert.deepEqual([rb!.status, rb!.reason], ['pending', 'appeal-overturned'])
  assert.match(await (await a.broker.get('/agent')).text(), /另一经纪人申诉成立/)
  const bPage = await (await b.broker.get(`/agent/referrals/${b.referralId}`)).text()
  assert.match(bPage, /data-decision="overturned"/)
  assert.equal(
    (await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'appeal.decided'))).length,
    1,
  )
})

test('a broker who scans the entrance QR is not a visit; they confirm presence with a client instead', async () => {
  const t = await makeTestApp()
  const { broker, referralId } = await registerReferral(t, 'broker1')
  const token = await entranceToken(t)
  const scan = await broker.get(`/checkin?t=${token}`)
  assert.equal(scan.status, 200)
  assert.match(await scan.text(), /这不算一次来访/)
  const res = await broker.post('/agent/present', { t: token, referral: referralId })
  assert.equal(res.status, 200)
  assert.match(await res.text(), /id="present-done"/)
  const [row] = await t.database.db.select().from(referrals).where(eq(referrals.id, referralId))
  assert.equal(row!.brokerPresentAt, t.clock.now())
  assert.equal((await t.database.db.select().from(visits)).length, 0)
  // without a valid entrance token (not at the office) nothing is confirmed
  assert.equal((await broker.post('/agent/present', { t: 'forged', referral: referralId })).status, 400)
})

test('staff scanning the entrance QR are never counted as visitors', async () => {
  const t = await makeTestApp()
  const sales = new Client(t.app)
  await sales.login('sales', t.passwordOf('sales'))
  const token = await entranceToken(t)
  assert.match(await (await sales.get(`/checkin?t=${token}`)).text(), /员工扫码不计入访客统计/)
  assert.equal((await sales.post('/checkin', { t: token })).status, 409)
  assert.equal((await t.database.db.select().from(visits)).length, 0)
})

test('commission report: payable needs the broker present when the rules say so; CSV export is audited', async () => {
  const t = await makeTestApp()
  const m = await manager(t)
  await m.post('/rules', { ...rulesFields, arrivalProof: 'broker-present' })
  const withBroker = await registerReferral(t, 'broker1')
  const alone = await registerReferral(t, 'broker1')
  for (const r of [withBroker, alone]) {
    const phone = new Client(t.app)
    await phone.get(r.referralPath)
    await checkIn(t, { client: phone })
  }
  // the broker scans the entrance code on the screen (opening binds their browser), then names the client
  const code = await entranceToken(t)
  await withBroker.broker.get(`/checkin?t=${code}`)
  await withBroker.broker.post('/agent/present', { t: code, referral: withBroker.referralId })
  const page = await (await m.get('/rules/commission')).text()
  assert.match(
    page,
    /<td>2<\/td><td>2<\/td><td>0<\/td><td>0<\/td><td>0<\/td><td>1<\/td><td><strong>1<\/strong>/,
  )
  const csv = await m.get('/rules/commission.csv')
  assert.equal(csv.status, 200)
  const bytes = new Uint8Array(await csv.arrayBuffer())
  assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf], 'BOM for Excel')
  const body = new TextDecoder().decode(bytes)
  assert.match(body, /陈经纪 Chen,链居地产（示范） Lianju Realty \(demo\),2,2,0,0,0,1,1/)
  assert.equal(
    (await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'export.commission'))).length,
    1,
  )
  const sales = new Client(t.app)
  await sales.login('sales', t.passwordOf('sales'))
  assert.equal((await sales.get('/rules/commission.csv')).status, 403)
})

test('the sales desk can confirm a broker came with the client', async () => {
  const t = await makeTestApp()
  const { referralId } = await registerReferral(t, 'broker1')
  const sales = new Client(t.app)
  await sales.login('sales', t.passwordOf('sales'))
  assert.equal((await sales.post(`/referrals/${referralId}/desk-confirm`, {}, { csrf: false })).status, 403)
  assert.equal((await sales.post(`/referrals/${referralId}/desk-confirm`)).status, 303)
  const [row] = await t.database.db.select().from(referrals).where(eq(referrals.id, referralId))
  assert.ok(row!.deskConfirmedAt)
})
