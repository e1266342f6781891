// Admin console: stations (create, rename, pair link + QR, revoke), staff (invite, role, disable, reset), brokers.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { desc, eq } from 'drizzle-orm'
import { makeTestApp, Client, adminPassword, type TestApp } from '../helpers/app.ts'
import { addVisitor, addVisit, addConsentWithSession } from '../helpers/privacy-fixtures.ts'
import { auditLog } from '../../models/audit.ts'
import { staff, brokers } from '../../models/staff.ts'
import { listStations, offices } from '../../models/offices.ts'
import { authenticateStation, pairStation } from '../../server/stations.ts'
import type { AppDeps } from '../../server/context.ts'

async function adminClient(t: TestApp) {
  const client = new Client(t.app)
  await client.login('admin', adminPassword)
  return client
}

async function lastAudit(t: TestApp) {
  const [row] = await t.database.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1)
  return row!
}

test('admin creates, renames, pairs and revokes a station', async () => {
  const t = await makeTestApp()
  const client = await adminClient(t)
  const officeId = t.seeded.officeId
  const page = await client.get('/admin')
  assert.equal(page.status, 200)
  assert.match(await page.text(), /id="station-list"/)
  assert.equal((await client.post('/admin/stations', { officeId, kind: 'display', name: '  ' })).status, 400)
  assert.equal(
    (await client.post('/admin/stations', { officeId, kind: 'display', name: 'Price wall' })).status,
    303,
  )
  const created = (await listStations(t.database.db, officeId)).find((s) => s.name === 'Price wall')!
  assert.equal((await lastAudit(t)).action, 'station.created')
  await client.post(`/admin/stations/${created.id}/rename`, { name: '价格墙 Price wall', zone: 'price-wall' })
  const [renamed] = (await listStations(t.database.db, officeId)).filter((s) => s.id === created.id)
  assert.equal(renamed!.name, '价格墙 Price wall')

  const paired = await client.post(`/admin/stations/${created.id}/pair`)
  const html = await paired.text()
  assert.match(html, /<svg/)
  const link = html.match(/id="pairing-link">([^<]+)</)![1]!
  assert.match(link, /^http:\/\/127\.0\.0\.1:8787\/pair\//)
  assert.equal((await lastAudit(t)).action, 'station.pairing-issued')
  const result = await pairStation(t.deps as AppDeps, link.split('/pair/')[1]!)
  assert.ok(result.ok)
  assert.ok(await authenticateStation(t.deps as AppDeps, result.stationToken))

  assert.equal((await client.post(`/admin/stations/${created.id}/revoke`)).status, 303)
  assert.equal(await authenticateStation(t.deps as AppDeps, result.stationToken), null)
  assert.equal((await lastAudit(t)).action, 'station.revoked')
  assert.equal((await client.post('/admin/stations/nope/revoke')).status, 404)
})

test('admin invites staff with a one-time password, changes the role, disables and resets', async () => {
  const t = await makeTestApp()
  const client = await adminClient(t)
  const officeId = t.seeded.officeId
  const invited = await client.post('/admin/staff', {
    officeId,
    username: 'newbie',
    displayName: '新人',
    role: 'sales',
  })
  assert.equal(invited.status, 200)
  assert.equal(invited.headers.get('cache-control'), 'no-store')
  const password = (await invited.text()).match(/id="temp-password">([^<]+)</)![1]!
  const [member] = await t.database.db.select().from(staff).where(eq(staff.username, 'newbie'))
  assert.equal(member!.mustChangePassword, true)
  assert.doesNotMatch((await lastAudit(t)).detail, new RegExp(password), 'the password is never logged')
  const newbie = new Client(t.app)
  await newbie.login('newbie', password)
  // the one-time password is replaced before anything else opens
  assert.equal((await newbie.get('/privacy')).headers.get('location'), '/account/password')
  await newbie.post('/account/password', {
    current: password,
    next: 'newbie-own-password',
    repeat: 'newbie-own-password',
  })
  assert.equal((await newbie.get('/privacy')).status, 403)

  assert.equal((await client.post(`/admin/staff/${member!.id}/role`, { role: 'boss' })).status, 400)
  await client.post(`/admin/staff/${member!.id}/role`, { role: 'privacy' })
  assert.equal((await newbie.get('/privacy')).status, 200, 'a new role takes effect at once')
  await client.post(`/admin/staff/${member!.id}/disable`)
  assert.notEqual((await newbie.get('/privacy')).status, 200, 'a disabled account is signed out at once')
  await client.post(`/admin/staff/${member!.id}/enable`)
  const reset = await client.post(`/admin/staff/${member!.id}/reset-password`)
  const newPassword = (await reset.text()).match(/id="temp-password">([^<]+)</)![1]!
  assert.notEqual(newPassword, password)
  await new Client(t.app).login('newbie', newPassword)

  // the admin cannot lock themself out or change their own role
  const [admin] = await t.database.db.select().from(staff).where(eq(staff.username, 'admin'))
  assert.equal((await client.post(`/admin/staff/${admin!.id}/disable`)).status, 400)
  assert.equal((await client.post(`/admin/staff/${admin!.id}/role`, { role: 'sales' })).status, 400)
  // a taken username is refused
  const dup = await client.post('/admin/staff', {
    officeId,
    username: 'sales',
    displayName: 'x',
    role: 'sales',
  })
  assert.equal(dup.status, 409)
})

test('admin creates and disables brokers, and creates offices', async () => {
  const t = await makeTestApp()
  const client = await adminClient(t)
  const officeId = t.seeded.officeId
  const made = await client.post('/admin/brokers', {
    officeId,
    username: 'broker9',
    displayName: 'B',
    company: 'C',
  })
  assert.equal(made.status, 200)
  const [broker] = await t.database.db.select().from(brokers).where(eq(brokers.username, 'broker9'))
  await client.post(`/admin/brokers/${broker!.id}/disable`)
  const [after] = await t.database.db.select().from(brokers).where(eq(brokers.id, broker!.id))
  assert.ok(after!.disabledAt)
  assert.equal((await lastAudit(t)).action, 'broker.disabled')
  const office = await client.post('/admin/offices', {
    name: '二号案场',
    processorName: 'P',
    privacyContact: 'c',
  })
  assert.equal(office.status, 303)
  assert.equal((await t.database.db.select().from(offices)).length, 2)
  assert.equal((await client.post('/admin/offices', { name: '' })).status, 400)
})

test('admin pages never show camera data or a phone number beyond its mask', async () => {
  const t = await makeTestApp()
  const client = await adminClient(t)
  const officeId = t.seeded.officeId
  const visitor = await addVisitor(t.database, {
    officeId,
    phone: '13812345678',
    keys: t.keys.phone,
    at: t.clock.now(),
  })
  const visit = await addVisit(t.database, { officeId, visitorId: visitor.id, at: t.clock.now() })
  await addConsentWithSession(t.database, { officeId, visitId: visit, at: t.clock.now() })
  const html = await (await client.get('/admin')).text()
  for (const secret of [
    '13812345678',
    visitor.phoneEncrypted!,
    visitor.phoneHash!,
    visitor.phoneMasked!,
    visit,
  ]) {
    assert.equal(html.includes(secret), false)
  }
})
