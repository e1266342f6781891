// Item 7: roles are a set of permissions from one table; every route names its permission; the route × role matrix follows the table.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { and, eq, gt } from 'drizzle-orm'
import { makeTestApp, Client, adminPassword, type TestApp } from '../helpers/app.ts'
import { auditLog } from '../../models/audit.ts'
import { permissions, rolePermissions, roles, type Permission, type Role } from '../../server/permissions.ts'

// the routes anyone may call: visitors, screens, sign-in, health and static files. A new route must either
// name a permission (requirePermission) or be added here.
const publicRoutes = new Set([
  'GET /',
  'GET /healthz',
  'GET /readyz',
  'GET /.well-known/jwks.json',
  'GET /vendor/*',
  'GET /assets/*',
  'GET /models/*',
  'GET /media/:sha256',
  'GET /display/page/:sha256',
  'GET /login',
  'POST /login',
  'POST /logout',
  'GET /pair/:token',
  'POST /pair/:token',
  'GET /kiosk/:stationId',
  'GET /display/:stationId',
  'GET /display-sw.js',
  'GET /s/:stationId',
  'GET /station/:stationId',
  'GET /ca.crt',
  'GET /entrance/:stationId',
  'GET /checkin',
  'POST /checkin',
  'GET /pass',
  'GET /r/:token',
  'GET /notice',
  'GET /consent',
  'POST /consent',
  'GET /receipt/:token',
  'GET /receipt/:token/receipt.jwt',
  'POST /receipt/:token/withdraw',
  'GET /me',
  'GET /me/data.json',
  'POST /me/delete',
])

const identities: (Role | 'anonymous')[] = ['anonymous', ...roles]
const usernameOf: Record<Role, string> = {
  sales: 'sales',
  manager: 'manager',
  marketing: 'marketing',
  privacy: 'privacy',
  admin: 'admin',
  broker: 'broker1',
}

// every registered route (method and path) with the permission its handlers name, if any
function routeTable(t: TestApp) {
  const table = new Map<string, Permission | null>()
  for (const route of t.app.routes) {
    if (route.method === 'ALL') continue
    const key = `${route.method} ${route.path}`
    const named = (route.handler as { permission?: Permission }).permission ?? null
    table.set(key, table.get(key) ?? named)
  }
  return table
}

async function signedInClients(t: TestApp) {
  const clients = new Map<Role | 'anonymous', Client>()
  for (const identity of identities) {
    const client = new Client(t.app)
    if (identity === 'anonymous') await client.get('/login')
    else {
      const username = usernameOf[identity]
      await client.login(username, username === 'admin' ? adminPassword : t.passwordOf(username))
    }
    clients.set(identity, client)
  }
  return clients
}

async function lastAuditId(t: TestApp) {
  const rows = await t.database.db.select({ id: auditLog.id }).from(auditLog)
  return rows.reduce((max, r) => Math.max(max, r.id), 0)
}

async function call(client: Client, method: string, path: string) {
  return method === 'GET' ? client.get(path) : client.post(path, {})
}

test('item 7: marketing and the privacy officer cannot change channel rules, decide appeals or see commissions', async () => {
  const t = await makeTestApp()
  const clients = await signedInClients(t)
  const manager = [
    ['GET', '/rules'],
    ['POST', '/rules'],
    ['GET', '/rules/appeals'],
    ['POST', '/rules/appeals/x/decide'],
    ['GET', '/rules/commission'],
    ['GET', '/rules/commission.csv'],
  ] as const
  for (const role of ['marketing', 'privacy'] as const) {
    for (const [method, path] of manager) {
      const res = await call(clients.get(role)!, method, path)
      assert.equal(res.status, 403, `${role} ${method} ${path}`)
    }
  }
  assert.equal((await clients.get('manager')!.get('/rules/commission')).status, 200)
  assert.equal((await clients.get('manager')!.get('/rules/commission.csv')).status, 200)
})

test('item 7: every staff and broker route names the permission it needs; the others are the public routes', async () => {
  const t = await makeTestApp()
  const unnamed = [...routeTable(t)]
    .filter(([key, permission]) => !permission && !publicRoutes.has(key))
    .map(([key]) => key)
  assert.deepEqual(unnamed, [], 'routes with no permission that are not public')
  const named = [...routeTable(t)].filter(([key, permission]) => permission && publicRoutes.has(key))
  assert.deepEqual(named, [], 'a public route names a permission')
  const used = new Set(routeTable(t).values())
  for (const permission of permissions) {
    if (permission === 'appeals:any-office') continue // checked inside the appeal routes, not a route of its own
    assert.ok(used.has(permission), `no route needs ${permission}`)
  }
})

test('item 7: the whole route × role matrix follows the permission table', async () => {
  const t = await makeTestApp()
  const clients = await signedInClients(t)
  const guarded = [...routeTable(t)].filter(([, permission]) => permission) as [string, Permission][]
  assert.ok(guarded.length >= 50, `${guarded.length} guarded routes`)
  const failures: string[] = []
  for (const [key, permission] of guarded) {
    const [method, template] = key.split(' ') as [string, string]
    const path = template.replace(/:[A-Za-z]+/g, 'x')
    for (const identity of identities) {
      const before = await lastAuditId(t)
      const res = await call(clients.get(identity)!, method, path)
      const denials = await t.database.db
        .select()
        .from(auditLog)
        .where(and(gt(auditLog.id, before), eq(auditLog.action, 'access.denied')))
      const where = `${identity} ${method} ${path} (${permission})`
      if (identity === 'anonymous') {
        const location = res.headers.get('location') ?? ''
        if (res.status !== 303 || !location.startsWith('/login?next='))
          failures.push(`${where}: ${res.status}`)
        continue
      }
      const allowed = rolePermissions[identity].includes(permission)
      if (allowed) {
        const location = res.headers.get('location') ?? ''
        if (res.status === 403 || res.status === 401 || location.startsWith('/login') || denials.length)
          failures.push(`${where}: refused (${res.status}) though the table allows it`)
      } else if (res.status !== 403 || denials.length !== 1 || denials[0]!.target !== path) {
        failures.push(`${where}: ${res.status}, ${denials.length} denial rows; the table refuses it`)
      }
    }
  }
  assert.deepEqual(failures, [])
})

test('item 7: docs/privacy.md shows the permission table the code enforces', async () => {
  const doc = await readFile('docs/privacy.md', 'utf8')
  const header = doc.indexOf('| permission | allows |')
  assert.ok(header >= 0, 'docs/privacy.md has the permission table')
  const lines = doc
    .slice(header)
    .split('\n')
    .filter((line, i, all) => line.startsWith('|') && all.slice(0, i).every((l) => l.startsWith('|')))
  const columns = lines[0]!.split('|').map((cell) => cell.trim())
  const documented = new Map<string, Set<string>>()
  for (const line of lines.slice(2)) {
    const cells = line.split('|').map((cell) => cell.trim())
    const permission = cells[1]!.replace(/`/g, '')
    const holders = columns.filter(
      (column, i) => (roles as readonly string[]).includes(column) && cells[i] === '✓',
    )
    documented.set(permission, new Set(holders))
  }
  assert.deepEqual([...documented.keys()].sort(), [...permissions].sort())
  for (const permission of permissions) {
    const holders = roles.filter((role) => rolePermissions[role].includes(permission))
    assert.deepEqual([...documented.get(permission)!].sort(), [...holders].sort(), permission)
  }
})

test('item 7: a route added under a signed-in area without naming a permission is refused, not left open', async () => {
  const t = await makeTestApp()
  t.app.get('/privacy/forgotten', (c) => c.text('open'))
  const client = new Client(t.app)
  await client.login('admin', adminPassword)
  const res = await client.get('/privacy/forgotten')
  assert.equal(res.status, 403)
  assert.doesNotMatch(await res.text(), /^open$/)
})

test('item 7: each role lands on a page it may open, and its menu shows only those', async () => {
  const t = await makeTestApp()
  const clients = await signedInClients(t)
  const menu = {
    '/dashboard': 'reception:work',
    '/rules': 'rules:manage',
    '/reports': 'reports:view',
  } as const
  for (const role of roles) {
    const client = clients.get(role)!
    const home = (await client.get('/')).headers.get('location')!
    const page = await client.get(home)
    assert.equal(page.status, 200, `${role} lands on ${home}`)
    const html = await page.text()
    for (const [href, permission] of Object.entries(menu)) {
      const shown = html.includes(`href="${href}"`)
      assert.equal(shown, rolePermissions[role].includes(permission), `${role}: menu link ${href}`)
    }
  }
})
