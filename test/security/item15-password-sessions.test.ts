// Item 15: a password change can sign out the account's other sessions; a broker changes an admin-issued password first.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import { makeTestApp, Client, adminPassword } from '../helpers/app.ts'
import { staff } from '../../models/staff.ts'

const newPassword = 'a-brand-new-password-1'

test('item 15: the password form offers "sign out other sessions", ticked by default', async () => {
  const t = await makeTestApp()
  const client = new Client(t.app)
  await client.login('sales', t.passwordOf('sales'))
  const page = await (await client.get('/account/password')).text()
  assert.match(page, /<input[^>]*name="signOutOthers"[^>]*checked/)
  assert.match(page, /退出其他设备上的登录/)
  assert.match(await (await client.get('/account/password?lang=en')).text(), /Sign out my other sessions/)
})

test('item 15: changing the password with it ticked ends every other session and keeps this one', async () => {
  const t = await makeTestApp()
  const here = new Client(t.app)
  const elsewhere = new Client(t.app)
  await here.login('sales', t.passwordOf('sales'))
  await elsewhere.login('sales', t.passwordOf('sales'))
  const changed = await here.post('/account/password', {
    current: t.passwordOf('sales'),
    next: newPassword,
    repeat: newPassword,
    signOutOthers: 'on',
  })
  assert.equal(changed.status, 200)
  assert.equal((await here.get('/dashboard')).status, 200, 'this browser stays signed in')
  const gone = await elsewhere.get('/dashboard')
  assert.equal(gone.status, 303)
  assert.match(gone.headers.get('location')!, /^\/login/)
})

test('item 15: left unticked, the other sessions stay', async () => {
  const t = await makeTestApp()
  const here = new Client(t.app)
  const elsewhere = new Client(t.app)
  await here.login('sales', t.passwordOf('sales'))
  await elsewhere.login('sales', t.passwordOf('sales'))
  const changed = await here.post('/account/password', {
    current: t.passwordOf('sales'),
    next: newPassword,
    repeat: newPassword,
  })
  assert.equal(changed.status, 200)
  assert.equal((await elsewhere.get('/dashboard')).status, 200)
})

test('item 15: an admin reset signs the account out everywhere', async () => {
  const t = await makeTestApp()
  const member = new Client(t.app)
  await member.login('sales2', t.passwordOf('sales2'))
  const admin = new Client(t.app)
  await admin.login('admin', adminPassword)
  const [row] = await t.database.db.select().from(staff).where(eq(staff.username, 'sales2'))
  assert.equal((await admin.post(`/admin/staff/${row!.id}/reset-password`)).status, 200)
  const after = await member.get('/dashboard')
  assert.equal(after.status, 303)
  assert.match(after.headers.get('location')!, /^\/login/)
})

test('item 15: a broker signs in with the admin-issued password and must choose their own first', async () => {
  const t = await makeTestApp()
  const admin = new Client(t.app)
  await admin.login('admin', adminPassword)
  const made = await admin.post('/admin/brokers', {
    officeId: t.seeded.officeId,
    username: 'new-broker',
    displayName: '新经纪 New',
    company: '',
  })
  assert.equal(made.status, 200)
  const issued = (await made.text()).match(/id="temp-password">([^<]+)</)![1]!

  const broker = new Client(t.app)
  await broker.login('new-broker', issued)
  const blocked = await broker.get('/agent')
  assert.equal(blocked.status, 303)
  assert.equal(blocked.headers.get('location'), '/account/password')
  assert.equal((await broker.post('/agent/referrals', { clientLabel: 'x' })).status, 303)
  const page = await broker.get('/account/password')
  assert.equal(page.status, 200)
  const changed = await broker.post('/account/password', {
    current: issued,
    next: newPassword,
    repeat: newPassword,
    signOutOthers: 'on',
  })
  assert.equal(changed.status, 200)
  assert.equal((await broker.get('/agent')).status, 200)
  // the issued password no longer works, the chosen one does
  assert.equal(
    (await new Client(t.app).post('/login', { username: 'new-broker', password: issued })).status,
    401,
  )
  await new Client(t.app).login('new-broker', newPassword)
})
