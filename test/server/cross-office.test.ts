// Offices of one developer: the admin adds one, and a broker's 报备 protects the client at every office of it.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { desc, eq } from 'drizzle-orm'
import { makeTestApp, Client, adminPassword, type TestApp } from '../helpers/app.ts'
import { registerReferral } from '../helpers/visitor.ts'
import { visits } from '../../models/visits.ts'
import { referrals } from '../../models/referrals.ts'
import { auditLog } from '../../models/audit.ts'
import { appeals } from '../../models/channel-rules.ts'
import { tableCounts, changedTables } from '../helpers/counts.ts'
import { offices, stations } from '../../models/offices.ts'
import { currentNotice } from '../../models/consents.ts'
import { createBroker, createStaff } from '../../models/staff.ts'
import { addDeveloperOffice, createDeveloper } from '../../models/developers.ts'
import { signToken } from '../../server/tokens.ts'

const brokerPassword = 'broker-password-for-tests'

// the admin of the demo office adds office B through the admin page; a broker of B is made for the test
async function addOfficeB(t: TestApp) {
  const admin = new Client(t.app)
  await admin.login('admin', adminPassword)
  const made = await admin.post('/admin/offices', {
    name: '二号案场 <b>',
    nameEn: 'Office B',
    processorName: 'P',
    privacyContact: 'c',
    entranceName: '',
  })
  assert.equal(made.status, 303)
  const officeId = new URL(made.headers.get('location')!, 'http://x').searchParams.get('office')!
  await t.database.write((tx) =>
    createBroker({
      tx,
      input: { officeId, username: 'broker-b', displayName: '孙经纪 Sun', password: brokerPassword },
      now: t.clock.now(),
    }),
  )
  return { admin, officeId }
}

async function entranceTokenOf(t: TestApp, officeId: string) {
  const [station] = await t.database.db.select().from(stations).where(eq(stations.officeId, officeId))
  const now = t.clock.now()
  const signed = await signToken(
    t.keys,
    'entrance',
    { office: officeId, station: station!.id },
    { now, expiresAt: now + 60_000 },
  )
  return signed.token
}

async function checkInAt(t: TestApp, officeId: string, phone: string, client = new Client(t.app)) {
  const token = await entranceTokenOf(t, officeId)
  await client.get(`/checkin?t=${token}`)
  const res = await client.post('/checkin', { t: token, phone })
  assert.equal(res.status, 303, await res.clone().text())
  const [visit] = await t.database.db
    .select()
    .from(visits)
    .where(eq(visits.officeId, officeId))
    .orderBy(desc(visits.checkedInAt))
    .limit(1)
  return { visit: visit!, client }
}

test('the admin adds an office of the same developer, with its entrance screen and notices; audited', async () => {
  const t = await makeTestApp()
  const { admin, officeId } = await addOfficeB(t)
  const [office] = await t.database.db.select().from(offices).where(eq(offices.id, officeId))
  assert.equal(office!.developerId, t.seeded.developerId)
  const [entrance] = await t.database.db.select().from(stations).where(eq(stations.officeId, officeId))
  assert.equal(entrance!.kind, 'entrance')
  assert.equal(entrance!.name, '入口签到屏 Entrance', 'a blank name takes the default')
  assert.ok(await currentNotice(t.database.db, officeId, 'zh-CN'))
  const [audit] = await t.database.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1)
  assert.equal(audit!.action, 'office.created')
  assert.equal(audit!.target, officeId)
  const page = await (await admin.get(`/admin?office=${officeId}`)).text()
  assert.match(page, /id="developer-name"/)
  assert.match(page, /示范置业集团/)
  assert.match(page, /二号案场 &lt;b&gt;/)
  assert.doesNotMatch(page, /二号案场 <b>/)
  const english = await (await admin.get('/admin?lang=en')).text()
  assert.match(english, /another office|same developer/)
  // bad input changes nothing
  const before = (await t.database.db.select().from(offices)).length
  assert.equal((await admin.post('/admin/offices', { name: '', processorName: 'P' })).status, 400)
  const tooLong = { name: 'x', processorName: 'P', privacyContact: 'c', entranceName: 'e'.repeat(81) }
  assert.equal((await admin.post('/admin/offices', tooLong)).status, 400)
  assert.equal((await t.database.db.select().from(offices)).length, before)
  // only the admin may add an office
  const manager = new Client(t.app)
  await manager.login('manager', t.passwordOf('manager'))
  assert.equal((await manager.post('/admin/offices', { ...tooLong, entranceName: '' })).status, 403)
  assert.equal((await t.database.db.select().from(offices)).length, before)
})

test('a registration at office A makes the same phone invalid at office B, naming the broker and office A', async () => {
  const t = await makeTestApp()
  await addOfficeB(t)
  const first = await registerReferral(t, 'broker1', { phone: '13700005555' })
  t.clock.advance(3600_000)
  const broker = new Client(t.app)
  await broker.login('broker-b', brokerPassword)
  assert.equal((await broker.post('/agent/referrals', { phone: '13700005555' })).status, 303)
  const [late] = await t.database.db
    .select()
    .from(referrals)
    .where(eq(referrals.phoneHash, (await referralRow(t, first.referralId)).phoneHash!))
    .orderBy(desc(referrals.createdAt))
    .limit(1)
  assert.equal(late!.status, 'invalid')
  assert.equal(late!.reason, 'already-registered')
  assert.equal(late!.conflictReferralId, first.referralId)
  const zh = await (await broker.get('/agent')).text()
  assert.match(zh, /无效：该客户已由 陈经纪 Chen 于 .+ 在「示范案场 · 滨江壹号售楼处」报备/)
  const en = await (await broker.get('/agent?lang=en')).text()
  assert.match(en, /invalid: already registered by 陈经纪 Chen on .+ at “Demo sales office · Riverside One”/)
})

test('a client registered at office A who checks in at office B belongs to the broker of A', async () => {
  const t = await makeTestApp()
  const { officeId } = await addOfficeB(t)
  const { referralId, referralPath } = await registerReferral(t, 'broker1', { phone: '13700006666' })
  t.clock.advance(86400_000)
  // the client opens the broker's link on their phone: the pass may then name that broker
  const opener = new Client(t.app)
  await opener.get(referralPath)
  const { visit, client } = await checkInAt(t, officeId, '13700006666', opener)
  assert.equal(visit.channel, 'broker')
  assert.equal(visit.referralId, referralId)
  assert.equal(visit.attributionReason, 'referral-other-office')
  assert.equal((await referralRow(t, referralId)).status, 'arrived')
  assert.equal((await referralRow(t, referralId)).visitId, visit.id)
  // the visitor's pass says where the registration they opened was made
  const pass = await (await client.get('/pass')).text()
  assert.match(
    pass,
    /陈经纪 Chen · 渠道来访：客户持在同一开发商旗下「示范案场 · 滨江壹号售楼处」的有效报备到访/,
  )
  // office B's staff see whose client it is and where the registration was made
  const sales = await salesOf(t, officeId)
  const detail = await (await sales.get(`/visits/${visit.id}`)).text()
  assert.match(detail, /在同一开发商旗下「示范案场 · 滨江壹号售楼处」的有效报备/)
  // the broker of A sees the arrival
  const list = await (await first(t)).get('/agent')
  assert.match(await list.text(), new RegExp(`data-referral="${referralId}" data-status="arrived"`))
})

test('a client who opened a referral link of office A and checks in at office B without a phone is A’s broker’s', async () => {
  const t = await makeTestApp()
  const { officeId } = await addOfficeB(t)
  const { referralPath, referralId } = await registerReferral(t, 'broker1')
  t.clock.advance(3600_000)
  const client = new Client(t.app)
  assert.equal((await client.get(referralPath)).status, 200)
  const token = await entranceTokenOf(t, officeId)
  assert.equal((await client.post('/checkin', { t: token, phone: '' })).status, 303)
  const [visit] = await t.database.db.select().from(visits).where(eq(visits.officeId, officeId))
  assert.equal(visit!.referralId, referralId)
  assert.equal(visit!.attributionReason, 'referral-other-office')
})

test('an office of another developer never sees the referral', async () => {
  const t = await makeTestApp()
  const other = await t.database.write(async (tx) => {
    const developerId = await createDeveloper({ tx, input: { name: '别家集团' }, now: t.clock.now() })
    const office = await addDeveloperOffice({
      tx,
      input: { developerId, name: '别家案场', processorName: 'P', privacyContact: 'c' },
      now: t.clock.now(),
    })
    await createBroker({
      tx,
      input: {
        officeId: office.officeId,
        username: 'broker-c',
        displayName: '钱经纪',
        password: brokerPassword,
      },
      now: t.clock.now(),
    })
    return office
  })
  const { referralId, referralPath } = await registerReferral(t, 'broker1', { phone: '13700007777' })
  t.clock.advance(3600_000)
  // nor a link of its referral opened before checking in there
  const linked = new Client(t.app)
  await linked.get(referralPath)
  const token = await entranceTokenOf(t, other.officeId)
  assert.equal((await linked.post('/checkin', { t: token, phone: '' })).status, 303)
  const [walkIn] = await t.database.db.select().from(visits).where(eq(visits.officeId, other.officeId))
  assert.deepEqual([walkIn!.channel, walkIn!.referralId], ['walk-in', null])
  assert.equal((await referralRow(t, referralId)).status, 'pending')
  const broker = new Client(t.app)
  await broker.login('broker-c', brokerPassword)
  assert.equal((await broker.post('/agent/referrals', { phone: '13700007777' })).status, 303)
  const mine = await t.database.db.select().from(referrals).where(eq(referrals.officeId, other.officeId))
  assert.equal(mine[0]!.status, 'pending', 'a registration at another developer is not a duplicate')
  t.clock.advance(86400_000)
  const { visit } = await checkInAt(t, other.officeId, '13700007777')
  assert.equal(visit.referralId, mine[0]!.id, 'the client belongs to that developer’s own broker')
  assert.equal(visit.attributionReason, 'referral')
  assert.equal((await referralRow(t, referralId)).status, 'pending', 'the referral at A is untouched')
})

async function referralRow(t: TestApp, id: string) {
  const [row] = await t.database.db.select().from(referrals).where(eq(referrals.id, id))
  return row!
}

async function salesOf(t: TestApp, officeId: string) {
  await t.database.write((tx) =>
    createStaff({
      tx,
      input: {
        officeId,
        username: 'sales-b',
        displayName: '吴顾问',
        role: 'sales',
        password: brokerPassword,
      },
      now: t.clock.now(),
    }),
  )
  const sales = new Client(t.app)
  await sales.login('sales-b', brokerPassword)
  return sales
}

async function first(t: TestApp) {
  const broker = new Client(t.app)
  await broker.login('broker1', t.passwordOf('broker1'))
  return broker
}

test('office B’s manager cannot overturn a ruling office A’s broker won; the developer’s admin can', async () => {
  const t = await makeTestApp()
  const { officeId } = await addOfficeB(t)
  await t.database.write((tx) =>
    createStaff({
      tx,
      input: {
        officeId,
        username: 'manager-b',
        displayName: '周经理',
        role: 'manager',
        password: brokerPassword,
      },
      now: t.clock.now(),
    }),
  )
  const first = await registerReferral(t, 'broker1', { phone: '13700006666' })
  t.clock.advance(3600_000)
  const broker = new Client(t.app)
  await broker.login('broker-b', brokerPassword)
  await broker.post('/agent/referrals', { phone: '13700006666' })
  const [lost] = await t.database.db.select().from(referrals).where(eq(referrals.officeId, officeId))
  assert.equal(lost!.conflictReferralId, first.referralId)
  assert.equal(
    (await broker.post(`/agent/referrals/${lost!.id}/appeal`, { reason: '客户是我先带看过的' })).status,
    303,
  )
  const [appeal] = await t.database.db.select().from(appeals)

  const manager = new Client(t.app)
  await manager.login('manager-b', brokerPassword)
  const refused = await manager.post(`/rules/appeals/${appeal!.id}/decide?lang=en`, {
    decision: 'overturned',
    reason: 'looks right',
  })
  assert.equal(refused.status, 409)
  assert.match(await refused.text(), /another office of the developer/)
  const [still] = await t.database.db.select().from(referrals).where(eq(referrals.id, first.referralId))
  assert.equal(still!.status, 'pending', 'office A’s registration is untouched')
  const [undecided] = await t.database.db.select().from(appeals)
  assert.equal(undecided!.decision, null, 'the refused decision wrote nothing')

  // the developer's admin sees it among every office's appeals, names its office, and may overturn it
  const admin = new Client(t.app)
  await admin.login('admin', adminPassword)
  const list = await (await admin.get('/rules/appeals?lang=en')).text()
  assert.match(list, new RegExp(`data-appeal="${appeal!.id}"`))
  assert.match(list, /Office B/)
  assert.equal((await admin.get(`/rules/appeals/${appeal!.id}`)).status, 200)
  const overturned = await admin.post(`/rules/appeals/${appeal!.id}/decide`, {
    decision: 'overturned',
    reason: '开发商复核：B 案场经纪人先带看',
  })
  assert.equal(overturned.status, 303)
  const [loser] = await t.database.db.select().from(referrals).where(eq(referrals.id, first.referralId))
  assert.deepEqual([loser!.status, loser!.reason], ['invalid', 'lost-on-appeal'])
  const [audit] = await t.database.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1)
  assert.deepEqual([audit!.action, audit!.officeId], ['appeal.decided', officeId])
  // final: the office's manager cannot decide it again
  const again = await manager.post(`/rules/appeals/${appeal!.id}/decide`, {
    decision: 'upheld',
    reason: '证据不足，维持原判',
  })
  assert.equal(again.status, 409)
})

test('an admin manages the offices of their own developer only: another developer’s are answered 404', async () => {
  const t = await makeTestApp()
  const { admin, officeId: sibling } = await addOfficeB(t)
  const other = await t.database.write(async (tx) => {
    const developerId = await createDeveloper({ tx, input: { name: '别家集团' }, now: t.clock.now() })
    const office = await addDeveloperOffice({
      tx,
      input: { developerId, name: '别家案场', processorName: 'P', privacyContact: 'c' },
      now: t.clock.now(),
    })
    const staffId = await createStaff({
      tx,
      input: {
        officeId: office.officeId,
        username: 'sales-c',
        displayName: '别家销售',
        role: 'sales',
        password: brokerPassword,
      },
      now: t.clock.now(),
    })
    const brokerId = await createBroker({
      tx,
      input: {
        officeId: office.officeId,
        username: 'broker-c',
        displayName: '钱经纪',
        password: brokerPassword,
      },
      now: t.clock.now(),
    })
    return { ...office, staffId, brokerId }
  })
  const page = await (await admin.get('/admin?lang=en')).text()
  assert.match(page, /Office B/)
  assert.doesNotMatch(page, /别家案场/, 'the office list holds only this developer’s offices')
  assert.equal((await admin.get(`/admin?office=${sibling}`)).status, 200)

  const before = await tableCounts(t.database)
  const refused = [
    await admin.get(`/admin?office=${other.officeId}`),
    await admin.post('/admin/stations', { officeId: other.officeId, kind: 'display', name: 'x' }),
    await admin.post(`/admin/stations/${other.entranceStationId}/rename`, { name: 'renamed' }),
    await admin.post(`/admin/stations/${other.entranceStationId}/pair`, {}),
    await admin.post(`/admin/stations/${other.entranceStationId}/revoke`, {}),
    await admin.post('/admin/staff', {
      officeId: other.officeId,
      username: 'new-one',
      displayName: 'n',
      role: 'sales',
    }),
    await admin.post(`/admin/staff/${other.staffId}/role`, { role: 'admin' }),
    await admin.post(`/admin/staff/${other.staffId}/disable`, {}),
    await admin.post(`/admin/staff/${other.staffId}/reset-password`, {}),
    await admin.post(`/admin/brokers/${other.brokerId}/disable`, {}),
    await admin.post('/admin/brokers', { officeId: other.officeId, username: 'broker-d', displayName: 'd' }),
  ]
  assert.deepEqual(
    refused.map((res) => res.status),
    refused.map(() => 404),
  )
  assert.deepEqual(changedTables(before, await tableCounts(t.database)), [])
  const [station] = await t.database.db
    .select()
    .from(stations)
    .where(eq(stations.id, other.entranceStationId))
  assert.equal(station!.revokedAt, null)
})
