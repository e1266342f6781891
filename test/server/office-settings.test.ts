// Office settings: admin only, validated (time zone), audited, republishes the notice on a new processor or
// contact, and a first start without the demo leads the admin there.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import { makeTestApp, Client, adminPassword } from '../helpers/app.ts'
import { auditLog } from '../../models/audit.ts'
import { getOffice } from '../../models/offices.ts'
import { currentNotice } from '../../models/consents.ts'
import { isTimeZone } from '../../models/office-settings.ts'
import type { DomainEvent } from '../../server/events.ts'

const settings = {
  name: '二号售楼处',
  nameEn: 'Office Two',
  developerName: '某某置业',
  developerNameEn: 'Some Properties',
  timeZone: 'Asia/Shanghai',
  processorName: '某某置业有限公司',
  privacyContact: 'privacy@some.example',
  address: '人民路 8 号',
}

test('the settings page is the admin’s: a manager is refused and nothing changes', async () => {
  const t = await makeTestApp()
  const manager = new Client(t.app)
  await manager.login('manager', t.passwordOf('manager'))
  assert.equal((await manager.get('/admin/office')).status, 403)
  const before = await getOffice(t.database.db, t.seeded.officeId)
  assert.equal((await manager.post('/admin/office', settings)).status, 403)
  assert.deepEqual(await getOffice(t.database.db, t.seeded.officeId), before)
})

test('an unknown time zone or an empty processor is a 400 that changes nothing', async () => {
  const t = await makeTestApp()
  const admin = new Client(t.app)
  await admin.login('admin', adminPassword)
  const before = await getOffice(t.database.db, t.seeded.officeId)
  for (const bad of [{ timeZone: 'Asia/Atlantis' }, { timeZone: '' }, { processorName: '  ' }]) {
    const response = await admin.post(`/admin/office?office=${t.seeded.officeId}`, { ...settings, ...bad })
    assert.equal(response.status, 400)
    assert.match(await response.text(), /id="settings-errors"/)
  }
  assert.deepEqual(await getOffice(t.database.db, t.seeded.officeId), before)
  assert.equal(isTimeZone('America/Argentina/Buenos_Aires'), true)
  assert.equal(isTimeZone('UTC'), true)
})

test('saving is audited, renames office and developer, republishes the notices and tells the screens', async () => {
  const t = await makeTestApp()
  const events: DomainEvent[] = []
  t.deps.events.on((event) => void events.push(event))
  const admin = new Client(t.app)
  await admin.login('admin', adminPassword)
  const saved = await admin.post(`/admin/office?office=${t.seeded.officeId}`, settings)
  assert.equal(saved.status, 303)
  const office = (await getOffice(t.database.db, t.seeded.officeId))!
  assert.equal(office.name, settings.name)
  assert.equal(office.address, settings.address)
  const notice = await currentNotice(t.database.db, t.seeded.officeId, 'en')
  assert.equal(notice!.body.processorName, settings.processorName)
  assert.equal(notice!.version, 2)
  const [row] = await t.database.db
    .select()
    .from(auditLog)
    .where(eq(auditLog.action, 'office.settings-changed'))
  assert.ok(row, 'audited')
  assert.match(row!.detail ?? '', /processorName/)
  await new Promise((resolve) => setImmediate(resolve))
  assert.ok(events.some((e) => e.type === 'office.changed'))
  assert.ok(events.some((e) => e.type === 'notice.published'))

  // the same values again: no new notice version
  await admin.post(`/admin/office?office=${t.seeded.officeId}`, settings)
  assert.equal((await currentNotice(t.database.db, t.seeded.officeId, 'en'))!.version, 2)
})

test('first start without the demo: the admin lands on the settings; other staff pages stay as they are', async () => {
  const t = await makeTestApp({ demo: false })
  const admin = new Client(t.app)
  const login = await admin.login('admin', adminPassword)
  assert.equal(login.headers.get('location'), '/dashboard')
  const dashboard = await admin.get('/dashboard')
  assert.equal(dashboard.status, 303)
  assert.equal(dashboard.headers.get('location'), `/admin/office?office=${t.seeded.officeId}`)
  const page = await (await admin.get(dashboard.headers.get('location')!)).text()
  assert.match(page, /id="first-start"/)
  assert.doesNotMatch(page, /value="（请/, 'placeholders are not offered as values')
  await admin.post(`/admin/office?office=${t.seeded.officeId}`, settings)
  assert.equal((await admin.get('/dashboard')).status, 200)
  assert.equal((await getOffice(t.database.db, t.seeded.officeId))!.needsSetup, false)
})
