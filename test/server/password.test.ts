// A password someone else set (admin reset, printed at first start) must be replaced before anything else.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import { makeTestApp, Client } from '../helpers/app.ts'
import { staff } from '../../models/staff.ts'
import { auditLog } from '../../models/audit.ts'
import { openDatabase, migrateDatabase } from '../../models/db.ts'
import { seedFirstStart } from '../../models/seed.ts'

test('after a reset, every page sends the member to change the password, then works again', async () => {
  const t = await makeTestApp()
  await t.database.db.update(staff).set({ mustChangePassword: true }).where(eq(staff.username, 'sales'))
  const client = new Client(t.app)
  await client.login('sales', t.passwordOf('sales'))
  const blocked = await client.get('/dashboard')
  assert.equal(blocked.headers.get('location'), '/account/password')
  const page = await client.get('/account/password')
  assert.match(await page.text(), /请先设置自己的密码/)
  assert.equal(
    (
      await client.post('/account/password', {
        current: 'wrong',
        next: 'a-new-password-1',
        repeat: 'a-new-password-1',
      })
    ).status,
    401,
  )
  assert.equal(
    (
      await client.post('/account/password', {
        current: t.passwordOf('sales'),
        next: 'a-new-password-1',
        repeat: 'different-one-22',
      })
    ).status,
    400,
  )
  assert.equal(
    (
      await client.post('/account/password', {
        current: t.passwordOf('sales'),
        next: 'short',
        repeat: 'short',
      })
    ).status,
    400,
  )
  const ok = await client.post('/account/password', {
    current: t.passwordOf('sales'),
    next: 'a-new-password-1',
    repeat: 'a-new-password-1',
  })
  assert.equal(ok.status, 200)
  assert.equal((await client.get('/dashboard')).status, 200)
  const actions = (await t.database.db.select().from(auditLog)).map((a) => a.action)
  assert.ok(actions.includes('password.changed'))
  assert.equal(actions.filter((a) => a === 'password.change-refused').length, 1)
  // the new password works, the old one no longer
  const fresh = new Client(t.app)
  assert.equal(
    (await fresh.post('/login', { username: 'sales', password: t.passwordOf('sales') })).status,
    401,
  )
  await fresh.login('sales', 'a-new-password-1')
})

test('a generated first admin password must be changed at first sign-in; a chosen one need not', async () => {
  for (const [adminPassword, must] of [
    [undefined, true],
    ['chosen-by-operator', false],
  ] as const) {
    const database = await openDatabase({ url: ':memory:' })
    await migrateDatabase(database)
    await seedFirstStart({ database, adminPassword, demo: false, now: Date.now() })
    const [admin] = await database.db.select().from(staff).where(eq(staff.username, 'admin'))
    assert.equal(admin!.mustChangePassword, must)
    database.close()
  }
})
