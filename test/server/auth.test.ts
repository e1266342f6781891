// Staff sign-in: success, failure, lockout, CSRF, role denial, bad bodies — each refusal writes only its audit row.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { count, desc } from 'drizzle-orm'
import { makeTestApp, Client, adminPassword, type TestApp } from '../helpers/app.ts'
import { auditLog } from '../../models/audit.ts'
import * as schema from '../../models/schema.ts'
import { lockout, safeNext } from '../../server/routes/auth.tsx'

// row counts of every table: a refused request must leave all but audit_log unchanged
async function tableCounts({ database }: TestApp) {
  const counts: Record<string, number> = {}
  for (const [name, table] of Object.entries(schema)) {
    if (typeof table !== 'object' || !table || !('getSQL' in table)) continue
    const rows = (await database.db.select({ n: count() }).from(table as never)) as { n: number }[]
    counts[name] = rows[0]!.n
  }
  return counts
}

async function lastAudit({ database }: TestApp) {
  const [row] = await database.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1)
  return row!
}

test('admin signs in, gets an HttpOnly SameSite=Strict session and sees the dashboard', async () => {
  const t = await makeTestApp()
  const client = new Client(t.app)
  const res = await client.login('admin', adminPassword)
  assert.equal(res.headers.get('location'), '/dashboard')
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('sr_session='))!
  assert.match(cookie, /HttpOnly/)
  assert.match(cookie, /SameSite=Strict/)
  const page = await client.get('/dashboard')
  assert.equal(page.status, 200)
  assert.match(await page.text(), /id="visit-list"/)
  assert.equal((await lastAudit(t)).action, 'login.success')
})

test('a wrong password is refused, audited, and changes nothing else', async () => {
  const t = await makeTestApp()
  const client = new Client(t.app)
  await client.get('/login')
  const before = await tableCounts(t)
  const res = await client.post('/login', { username: 'admin', password: 'wrong' })
  assert.equal(res.status, 401)
  assert.match(await res.text(), /用户名或密码不正确|Wrong username/)
  assert.equal(client.cookies.has('sr_session'), false)
  const after = await tableCounts(t)
  assert.deepEqual({ ...after, auditLog: before.auditLog }, before)
  assert.equal(after.auditLog, before.auditLog + 1)
  const audit = await lastAudit(t)
  assert.equal(audit.action, 'login.failure')
  assert.equal(audit.target, 'admin')
  assert.doesNotMatch(audit.detail, /wrong/, 'the attempted password is never logged')
})

test('repeated failures lock the account for a while, even with the right password', async () => {
  const t = await makeTestApp()
  const client = new Client(t.app)
  for (let i = 0; i < lockout.failures; i++) {
    assert.equal((await client.post('/login', { username: 'sales', password: `guess-${i}` })).status, 401)
  }
  const locked = await client.post('/login', { username: 'sales', password: t.passwordOf('sales') })
  assert.equal(locked.status, 429)
  assert.equal(client.cookies.has('sr_session'), false)
  assert.equal((await lastAudit(t)).action, 'login.locked')
  t.clock.advance(lockout.windowMs + 1000)
  assert.equal(
    (await client.post('/login', { username: 'sales', password: t.passwordOf('sales') })).status,
    303,
  )
})

test('a flood of sign-in attempts from one address is rate-limited', async () => {
  const t = await makeTestApp()
  const client = new Client(t.app)
  const statuses: number[] = []
  for (let i = 0; i < 25; i++)
    statuses.push((await client.post('/login', { username: `u${i}`, password: 'x' })).status)
  assert.ok(statuses.includes(429))
  assert.equal(statuses.filter((s) => s === 401).length, 20)
})

test('a state-changing request without the CSRF token is refused and writes nothing', async () => {
  const t = await makeTestApp()
  const client = new Client(t.app)
  await client.get('/login')
  const before = await tableCounts(t)
  const res = await client.post('/login', { username: 'admin', password: adminPassword }, { csrf: false })
  assert.equal(res.status, 403)
  assert.equal(client.cookies.has('sr_session'), false)
  const forged = await client.post(
    '/login',
    { username: 'admin', password: adminPassword, _csrf: 'x'.repeat(32) },
    { csrf: false },
  )
  assert.equal(forged.status, 403)
  assert.deepEqual(await tableCounts(t), before)
})

test('htmx requests may send the CSRF token as a header', async () => {
  const t = await makeTestApp()
  const client = new Client(t.app)
  await client.login('admin', adminPassword)
  const res = await client.request('/logout', { method: 'POST', headers: { 'x-csrf-token': client.csrf } })
  assert.equal(res.status, 303)
})

test('a role below the page is refused with 403 and an audit row', async () => {
  const t = await makeTestApp()
  const client = new Client(t.app)
  await client.login('broker1', t.passwordOf('broker1'))
  const before = await tableCounts(t)
  const res = await client.get('/dashboard')
  assert.equal(res.status, 403)
  const after = await tableCounts(t)
  assert.deepEqual({ ...after, auditLog: before.auditLog }, before)
  const audit = await lastAudit(t)
  assert.equal(audit.action, 'access.denied')
  assert.equal(audit.target, '/dashboard')
})

test('signed-out visitors are sent to sign in, and come back after', async () => {
  const t = await makeTestApp()
  const client = new Client(t.app)
  const res = await client.get('/dashboard')
  assert.equal(res.status, 303)
  assert.equal(res.headers.get('location'), '/login?next=%2Fdashboard')
  const login = await client.post('/login', {
    username: 'sales',
    password: t.passwordOf('sales'),
    next: '/dashboard',
  })
  assert.equal(login.headers.get('location'), '/dashboard')
})

test('only same-site paths are accepted as the place to go after sign-in', () => {
  assert.equal(safeNext('/visits/1', '/dashboard'), '/visits/1')
  for (const bad of ['//evil.example', 'https://evil.example', '/\\evil', 'javascript:alert(1)', undefined]) {
    assert.equal(safeNext(bad, '/dashboard'), '/dashboard', String(bad))
  }
})

test('sign-out ends the session for good: the old cookie no longer works', async () => {
  const t = await makeTestApp()
  const client = new Client(t.app)
  await client.login('sales', t.passwordOf('sales'))
  const stolen = client.cookies.get('sr_session')!
  await client.post('/logout')
  const replay = new Client(t.app)
  replay.cookies.set('sr_session', stolen)
  assert.equal((await replay.get('/dashboard')).status, 303)
})

test('signing in issues a fresh session and CSRF token (no fixation)', async () => {
  const t = await makeTestApp()
  const client = new Client(t.app)
  await client.get('/login')
  const planted = client.csrf
  client.cookies.set('sr_session', 'attacker-chosen-value')
  await client.login('sales', t.passwordOf('sales'))
  assert.notEqual(client.csrf, planted)
  assert.notEqual(client.cookies.get('sr_session'), 'attacker-chosen-value')
})

test('oversized and malformed bodies get a clear 4xx', async () => {
  const t = await makeTestApp()
  const client = new Client(t.app)
  await client.get('/login')
  const big = await client.post('/login', { username: 'admin', password: 'x'.repeat(100_000) })
  assert.equal(big.status, 413)
  const missing = await client.post('/login', { username: '' })
  assert.equal(missing.status, 400)
})

test('a disabled account cannot sign in, and its open session stops working', async () => {
  const t = await makeTestApp()
  const client = new Client(t.app)
  await client.login('sales', t.passwordOf('sales'))
  await t.database.db.update(schema.staff).set({ disabledAt: t.clock.now() })
  assert.equal((await client.get('/dashboard')).status, 303)
})
