// Hostile HTTP input: markup and SQL in fields, oversized bodies, malformed JSON, traversal, CSRF, fixation, brute force.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import { makeTestApp, Client, adminPassword, type TestApp } from '../helpers/app.ts'
import { tableCounts, changedTables } from '../helpers/counts.ts'
import { auditLog } from '../../models/audit.ts'
import { staff, createStaff } from '../../models/staff.ts'
import { lockout } from '../../server/routes/auth.tsx'
import { listStations } from '../../models/offices.ts'
import { signToken } from '../../server/tokens.ts'

const markup = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'><svg/onload=alert(1)>",
  '</textarea><script>alert(1)</script>',
  'javascript:alert(1)',
]
const sql = [
  "admin' --",
  "' OR '1'='1",
  'admin"; DROP TABLE staff; --',
  "x'); DELETE FROM audit_log; --",
  '%_\\',
]

// only the audit log may grow, and by at most `rows`
async function assertOnlyAudit(t: TestApp, before: Record<string, number>, rows: number, what: string) {
  const after = await tableCounts(t.database)
  assert.deepEqual(
    changedTables(before, after).filter((n) => n !== 'auditLog'),
    [],
    what,
  )
  assert.ok(
    after.auditLog! - before.auditLog! <= rows,
    `${what}: ${after.auditLog! - before.auditLog!} audit rows`,
  )
}

function assertInert(html: string, what: string) {
  assert.doesNotMatch(html, /<script>alert|<img src=x|<svg\/onload/i, `${what}: markup came back live`)
}

test('markup and SQL metacharacters in the sign-in fields: refused, stored literally, echoed only escaped', async () => {
  const t = await makeTestApp()
  const client = new Client(t.app)
  for (const value of [...markup, ...sql]) {
    const before = await tableCounts(t.database)
    const page = await client.get(`/login?next=${encodeURIComponent(value)}`)
    assertInert(await page.text(), value)
    const res = await client.post('/login', { username: value, password: value, next: value })
    assert.ok([400, 401].includes(res.status), `${value}: ${res.status}`)
    assertInert(await res.text(), value)
    assert.equal(client.cookies.has('sr_session'), false)
    await assertOnlyAudit(t, before, 1, value)
  }
  // the literal text is what was recorded: the query was parameterised, not concatenated
  const rows = await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'login.failure'))
  assert.ok(rows.some((r) => r.target === "' or '1'='1"))
  assert.equal((await t.database.db.select().from(staff)).length > 0, true, 'staff table still there')
})

test('a display name made of markup and SQL is rendered escaped on every page that shows it', async () => {
  const t = await makeTestApp()
  const displayName = `<img src=x onerror=alert(1)>'); DROP TABLE staff;--`
  await t.database.write((tx) =>
    createStaff({
      tx,
      input: {
        officeId: t.seeded.officeId,
        username: 'hostile',
        displayName,
        role: 'sales',
        password: 'long-enough-pw',
      },
      now: t.clock.now(),
    }),
  )
  const client = new Client(t.app)
  await client.login('hostile', 'long-enough-pw')
  const page = await client.get('/dashboard')
  assert.equal(page.status, 200)
  const html = await page.text()
  assertInert(html, 'dashboard')
  assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/)
  assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/)
})

test('oversized bodies get 413 and change nothing', async () => {
  const t = await makeTestApp({ config: { bodyLimitBytes: 64 * 1024 } })
  const client = new Client(t.app)
  await client.get('/login')
  const big = 'x'.repeat(70 * 1024)
  const before = await tableCounts(t.database)
  for (const [path, type] of [
    ['/login', 'application/x-www-form-urlencoded'],
    ['/logout', 'application/x-www-form-urlencoded'],
    ['/pair/abc', 'application/x-www-form-urlencoded'],
    ['/api/v1/stations/socket', 'application/json'],
    ['/api/v1/checkins', 'application/json'],
  ] as const) {
    const body =
      type === 'application/json' ? JSON.stringify({ blob: big }) : `_csrf=${client.csrf}&username=${big}`
    const res = await client.request(path, { method: 'POST', body, headers: { 'content-type': type } })
    assert.equal(res.status, 413, path)
    // a body that does not say its length up front is cut off as it streams in
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 80; i++) controller.enqueue(new TextEncoder().encode('y'.repeat(1024)))
        controller.close()
      },
    })
    const chunked = await client.request(path, {
      method: 'POST',
      body: stream,
      headers: { 'content-type': type },
      duplex: 'half',
    } as RequestInit)
    assert.equal(chunked.status, 413, `${path} (streamed)`)
  }
  assert.deepEqual(changedTables(before, await tableCounts(t.database)), [])
})

test('malformed JSON on every /api/v1 write route: a 4xx JSON error, nothing written', async () => {
  const t = await makeTestApp()
  const routes = t.app.routes
    .filter((r) => r.path.startsWith('/api/v1') && ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method))
    .map((r) => ({ method: r.method, path: r.path.replace(/:[^/]+/g, 'x') }))
  // also a route that may exist later (check-in API) and an unknown one
  routes.push(
    { method: 'POST', path: '/api/v1/checkins' },
    { method: 'POST', path: '/api/v1/stations/socket' },
  )
  const before = await tableCounts(t.database)
  for (const { method, path } of routes) {
    for (const body of ['{"a":', '{"__proto__":{"admin":true}}', '[]', 'null', '\u0000', '{"a":"\uD800"}']) {
      const res = await t.app.request(path, { method, body, headers: { 'content-type': 'application/json' } })
      assert.ok(
        res.status >= 400 && res.status < 500,
        `${method} ${path} ${JSON.stringify(body)}: ${res.status}`,
      )
      assert.match(res.headers.get('content-type') ?? '', /application\/json/)
      assert.equal(typeof (await res.json()).error, 'string')
    }
  }
  await assertOnlyAudit(t, before, 0, 'malformed JSON')
})

test('path traversal on /vendor, /assets, /models and /media never reaches a file outside its folder', async () => {
  const t = await makeTestApp()
  const tricks = [
    '../package.json',
    '..%2fpackage.json',
    '%2e%2e/package.json',
    '%2e%2e%2fpackage.json',
    '%252e%252e%252fpackage.json',
    '..%5cpackage.json',
    '....//package.json',
    '.%2e/.%2e/package.json',
    '%2fetc%2fpasswd',
    '/etc/passwd',
    'x/../../../../etc/passwd',
    'htmx.min.js%00.png',
    '..%c0%af..%c0%afetc/passwd',
    '.env',
    '.git/config',
  ]
  for (const prefix of ['vendor', 'assets', 'models', 'media']) {
    for (const trick of tricks) {
      const res = await t.app.request(`/${prefix}/${trick}`)
      assert.ok(res.status >= 400 && res.status < 500, `/${prefix}/${trick}: ${res.status}`)
      const body = await res.text()
      assert.doesNotMatch(body, /"name": "showroom"|root:x:0|\[core\]/, `/${prefix}/${trick} leaked a file`)
    }
  }
})

test('every state-changing HTML route refuses a request without the CSRF token, and writes nothing', async () => {
  const t = await makeTestApp()
  const client = new Client(t.app)
  await client.login('admin', adminPassword)
  const routes = t.app.routes
    .filter((r) => !r.path.startsWith('/api/') && ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method))
    .map((r) => ({ method: r.method, path: r.path.replace(/:[^/]+/g, 'x').replace(/\*$/, 'x') }))
  assert.ok(routes.some((r) => r.path === '/login') && routes.some((r) => r.path === '/logout'))
  const before = await tableCounts(t.database)
  for (const { method, path } of routes) {
    for (const [what, extra] of [
      ['no token', {}],
      ['wrong token', { _csrf: 'A'.repeat(32) }],
      ['token from another browser', { _csrf: 'another-browsers-token-123' }],
    ] as const) {
      const res = await client.request(path, {
        method,
        body: new URLSearchParams({ username: 'admin', password: adminPassword, ...extra }),
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      })
      assert.equal(res.status, 403, `${method} ${path} (${what})`)
    }
  }
  assert.deepEqual(changedTables(before, await tableCounts(t.database)), [])
  assert.equal((await client.get('/dashboard')).status, 200, 'still signed in: the forged logout did nothing')
})

test('session fixation: cookies planted before sign-in are replaced at sign-in', async () => {
  const t = await makeTestApp()
  const client = new Client(t.app)
  const plantedCsrf = 'attacker-chosen-csrf-0001'
  client.cookies.set('sr_csrf', plantedCsrf)
  client.cookies.set('sr_session', 'attacker-chosen-session')
  await client.login('admin', adminPassword)
  assert.notEqual(client.cookies.get('sr_session'), 'attacker-chosen-session')
  assert.notEqual(client.csrf, plantedCsrf, 'CSRF token rotated at sign-in')
  // the attacker's planted CSRF value is worthless after sign-in
  const forged = await client.request('/logout', {
    method: 'POST',
    body: new URLSearchParams({ _csrf: plantedCsrf }),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  })
  assert.equal(forged.status, 403)
  assert.equal((await client.get('/dashboard')).status, 200, 'the victim is still signed in')
  // a session from another account is replaced, not extended, by signing in again
  const first = client.cookies.get('sr_session')
  await client.login('sales', t.passwordOf('sales'))
  assert.notEqual(client.cookies.get('sr_session'), first)
})

test('brute force: backoff per username and address, rate limit per address, no session while slowed', async () => {
  const t = await makeTestApp()
  let address = 1
  t.deps.clientAddress = () => `198.51.100.${address}`
  const client = new Client(t.app)
  for (let i = 0; i < lockout.failures; i++) {
    assert.equal((await client.post('/login', { username: 'sales', password: `guess-${i}` })).status, 401)
  }
  const before = await tableCounts(t.database)
  const locked = await client.post('/login', { username: 'sales', password: t.passwordOf('sales') })
  assert.equal(locked.status, 429)
  assert.equal(client.cookies.has('sr_session'), false)
  await assertOnlyAudit(t, before, 1, 'locked')
  // the guessing address is slowed, the account is not: its owner signs in from elsewhere
  address = 99
  const owner = new Client(t.app)
  assert.equal(
    (await owner.post('/login', { username: 'sales', password: t.passwordOf('sales') })).status,
    303,
  )

  address = 42
  const statuses: number[] = []
  for (let i = 0; i < 30; i++)
    statuses.push((await client.post('/login', { username: `spray-${i}`, password: 'x' })).status)
  assert.ok(statuses.includes(429), 'one address spraying usernames is rate-limited')
  const limitedAt = statuses.indexOf(429)
  assert.ok(statuses.slice(limitedAt).every((s) => s === 429))
  const sprayed = await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'login.failure'))
  assert.equal(
    sprayed.filter((r) => r.target?.startsWith('spray-')).length,
    limitedAt,
    'refused attempts are not even tried',
  )
})

test('markup in the visitor and broker text fields (phone, client label) comes back escaped or not at all', async () => {
  const t = await makeTestApp()
  const entrance = (await listStations(t.database.db, t.seeded.officeId)).find((s) => s.kind === 'entrance')!
  const now = t.clock.now()
  const { token } = await signToken(
    t.keys,
    'entrance',
    { office: t.seeded.officeId, station: entrance.id },
    { now, expiresAt: now + 60_000 },
  )
  const visitor = new Client(t.app)
  for (const value of [...markup, ...sql]) {
    const before = await tableCounts(t.database)
    const res = await visitor.post('/checkin', { t: token, phone: value.slice(0, 20) })
    assert.equal(res.status, 400, value)
    assertInert(await res.text(), value)
    await assertOnlyAudit(t, before, 1, value)
  }
  const broker = new Client(t.app)
  await broker.login('broker1', t.passwordOf('broker1'))
  for (const value of markup) {
    const res = await broker.post('/agent/referrals', { clientLabel: value.slice(0, 40), phone: '' })
    assert.ok(res.status < 500, value)
    assertInert(await res.text(), value)
    const page = await broker.get('/agent')
    assertInert(await page.text(), value)
  }
})
