// Every state-changing /privacy and /admin route writes an audit row; every one refuses the wrong role; no edit path to the log.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { count, eq, gt } from 'drizzle-orm'
import { makeTestApp, Client, adminPassword, type TestApp } from '../helpers/app.ts'
import { addVisitor } from '../helpers/privacy-fixtures.ts'
import { auditLog } from '../../models/audit.ts'
import { staff, brokers } from '../../models/staff.ts'
import { listStations } from '../../models/offices.ts'
import { createDataRequest } from '../../models/data-requests.ts'
import { defaultNotice } from '../../models/notice-defaults.ts'
import { addChannel, enqueueNotification, notifyOutbox } from '../../models/notify.ts'

const unsafe = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
const consoleRoute = (p: string) => p === '/privacy' || p === '/admin' || /^\/(privacy|admin)\//.test(p)

function consoleRoutes(t: TestApp, methods: (m: string) => boolean) {
  const seen = new Set<string>()
  return t.app.routes
    .filter((r) => methods(r.method) && consoleRoute(r.path) && !r.path.includes('*'))
    .map((r) => ({ method: r.method, path: r.path }))
    .filter((r) => !seen.has(`${r.method} ${r.path}`) && seen.add(`${r.method} ${r.path}`))
}

// a valid call for each state-changing route; a new route without an entry here fails the test below
async function validCalls(
  t: TestApp,
): Promise<Record<string, () => Promise<{ path: string; fields?: Record<string, string> }>>> {
  const officeId = t.seeded.officeId
  const db = t.database.db
  const [sales2] = await db.select().from(staff).where(eq(staff.username, 'sales2'))
  const [broker] = await db.select().from(brokers).where(eq(brokers.username, 'broker1'))
  const station = (await listStations(db, officeId))[0]!
  const visitor = await addVisitor(t.database, {
    officeId,
    phone: '13812345678',
    keys: t.keys.phone,
    at: t.clock.now(),
  })
  const notice = defaultNotice('en', { processorName: 'P', privacyContact: 'C' })
  return {
    '/privacy/notices': async () => ({ path: '/privacy/notices', fields: { noticeLang: 'en', ...notice } }),
    '/privacy/retention': async () => ({
      path: '/privacy/retention',
      fields: { kind: 'referrals', days: '90' },
    }),
    '/privacy/purges': async () => ({ path: '/privacy/purges' }),
    '/privacy/requests/lookup': async () => ({
      path: '/privacy/requests/lookup',
      fields: { phone: '13812345678' },
    }),
    '/privacy/requests': async () => ({
      path: '/privacy/requests',
      fields: { visitorId: visitor.id, kind: 'access' },
    }),
    '/privacy/requests/:id/complete': async () => {
      const id = await t.database.write((tx) =>
        createDataRequest({
          tx,
          input: { officeId, visitorId: visitor.id, kind: 'access', via: 'self' },
          now: t.clock.now(),
        }),
      )
      return { path: `/privacy/requests/${id}/complete`, fields: { outcome: 'done' } }
    },
    '/privacy/requests/:id/reveal': async () => {
      const id = await t.database.write((tx) =>
        createDataRequest({
          tx,
          input: { officeId, visitorId: visitor.id, kind: 'access', via: 'officer' },
          now: t.clock.now(),
        }),
      )
      return { path: `/privacy/requests/${id}/reveal`, fields: { reason: 'visitor asked for a copy' } }
    },
    '/privacy/assessment': async () => ({ path: '/privacy/assessment' }),
    '/admin/offices': async () => ({
      path: '/admin/offices',
      fields: { name: '新案场', processorName: 'P Ltd', privacyContact: 'p@example.test' },
    }),
    '/admin/stations': async () => ({
      path: '/admin/stations',
      fields: { officeId, kind: 'display', name: 'Wall' },
    }),
    '/admin/stations/:id/rename': async () => ({
      path: `/admin/stations/${station.id}/rename`,
      fields: { name: 'Renamed' },
    }),
    '/admin/stations/:id/pair': async () => ({ path: `/admin/stations/${station.id}/pair` }),
    '/admin/stations/:id/revoke': async () => ({ path: `/admin/stations/${station.id}/revoke` }),
    '/admin/staff': async () => ({
      path: '/admin/staff',
      fields: { officeId, username: 'newbie', displayName: 'New', role: 'sales' },
    }),
    '/admin/staff/:id/role': async () => ({
      path: `/admin/staff/${sales2!.id}/role`,
      fields: { role: 'marketing' },
    }),
    '/admin/staff/:id/disable': async () => ({ path: `/admin/staff/${sales2!.id}/disable` }),
    '/admin/staff/:id/enable': async () => ({ path: `/admin/staff/${sales2!.id}/enable` }),
    '/admin/staff/:id/reset-password': async () => ({ path: `/admin/staff/${sales2!.id}/reset-password` }),
    '/admin/brokers': async () => ({
      path: '/admin/brokers',
      fields: { officeId, username: 'broker9', displayName: 'B9', company: 'X' },
    }),
    '/admin/brokers/:id/disable': async () => ({ path: `/admin/brokers/${broker!.id}/disable` }),
    '/admin/brokers/:id/enable': async () => ({ path: `/admin/brokers/${broker!.id}/enable` }),
    '/admin/office': async () => ({
      path: `/admin/office?office=${officeId}`,
      fields: {
        name: '示范案场',
        developerName: '示范开发商',
        timeZone: 'Asia/Shanghai',
        processorName: '示范置业有限公司',
        privacyContact: 'privacy@example.cn',
        address: '上海市',
      },
    }),
    '/admin/notifications/channels': async () => ({
      path: `/admin/notifications/channels?office=${officeId}`,
      fields: { kind: 'wecom', url: 'http://127.0.0.1:9/hook' },
    }),
    '/admin/notifications/channels/:id/remove': async () => {
      const id = await t.database.write((tx) =>
        addChannel(tx, {
          dataKey: t.keys.phone.dataKey,
          officeId,
          input: { kind: 'wecom', url: 'http://127.0.0.1:9/gone' },
          now: t.clock.now(),
        }),
      )
      return { path: `/admin/notifications/channels/${id}/remove?office=${officeId}` }
    },
    '/admin/notifications/dead/:id/retry': async () => {
      // a message that ran out of retries, on a channel of its own
      const [dead] = await t.database.write(async (tx) => {
        await addChannel(tx, {
          dataKey: t.keys.phone.dataKey,
          officeId,
          input: { kind: 'wecom', url: 'http://127.0.0.1:9/dead' },
          now: t.clock.now(),
        })
        await enqueueNotification(tx, {
          officeId,
          consultantId: sales2!.id,
          event: 'visit.assigned',
          at: t.clock.now(),
        })
        return tx.update(notifyOutbox).set({ deadAt: t.clock.now() }).returning({ id: notifyOutbox.id })
      })
      return { path: `/admin/notifications/dead/${dead!.id}/retry?office=${officeId}` }
    },
    // registered last of all console routes: removing the demo office comes after every call that uses it
    '/admin/demo/remove': async () => ({ path: '/admin/demo/remove', fields: { confirm: 'DEMO' } }),
  }
}

test('every state-changing /privacy and /admin route writes an audit row when called validly', async () => {
  const t = await makeTestApp()
  const client = new Client(t.app)
  await client.login('admin', adminPassword)
  const [admin] = await t.database.db.select().from(staff).where(eq(staff.username, 'admin'))
  const calls = await validCalls(t)
  const routes = consoleRoutes(t, (m) => unsafe.has(m))
  assert.ok(routes.length >= 15, `found ${routes.length} routes`)
  for (const route of routes) {
    const call = calls[route.path]
    assert.ok(call, `${route.method} ${route.path} has no valid call in this test: add one`)
    const { path, fields } = await call()
    const [{ n: lastId }] = await t.database.db.select({ n: count() }).from(auditLog)
    const res = await client.post(path, fields)
    assert.ok(res.status < 400, `${route.path}: ${res.status}`)
    const rows = await t.database.db.select().from(auditLog).where(gt(auditLog.id, lastId!))
    assert.ok(
      rows.some((r) => r.actorType === 'staff' && r.actorId === admin!.id),
      `${route.method} ${route.path} wrote no audit row`,
    )
  }
})

test('roles are enforced everywhere: sales/manager/marketing get 403 on /privacy, non-admins on /admin', async () => {
  const t = await makeTestApp()
  const routes = consoleRoutes(t, (m) => m === 'GET' || unsafe.has(m))
  const clients = new Map<string, Client>()
  for (const username of ['sales', 'manager', 'marketing', 'privacy']) {
    const client = new Client(t.app)
    await client.login(username, t.passwordOf(username))
    clients.set(username, client)
  }
  const anonymous = new Client(t.app)
  await anonymous.get('/login')
  for (const route of routes) {
    const concrete = route.path.replace(/:[a-z]+/g, 'x')
    const denied = route.path.startsWith('/admin')
      ? ['sales', 'marketing', 'privacy']
      : ['sales', 'marketing']
    for (const username of denied) {
      const client = clients.get(username)!
      const res = route.method === 'GET' ? await client.get(concrete) : await client.post(concrete, {})
      assert.equal(res.status, 403, `${username} ${route.method} ${concrete}`)
    }
    const res = route.method === 'GET' ? await anonymous.get(concrete) : await anonymous.post(concrete, {})
    assert.equal(res.status, 303, `anonymous ${route.method} ${concrete}`)
    assert.match(res.headers.get('location')!, /^\/login/)
  }
  // the privacy officer is let into /privacy
  assert.equal((await clients.get('privacy')!.get('/privacy')).status, 200)
})

test('the audit table cannot be changed through the app: no code path updates or deletes it but the purge and the demo removal', async () => {
  // the retention purge (expired rows) and the admin's removal of the demo office (that office's generated rows)
  const allowed = [path.join('models', 'retention.ts'), path.join('models', 'demo', 'remove.ts')]
  const offenders: string[] = []
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) await walk(full)
      else if (/\.tsx?$/.test(entry.name)) {
        const source = await readFile(full, 'utf8')
        // editing the log, or lifting the guard its delete trigger checks
        const edits =
          /\.(update|delete)\(auditLog\)|(update|delete\s+from)\s+`?audit_log|\.update\(auditGuard\)/i.test(
            source,
          )
        if (edits && !allowed.includes(full)) offenders.push(full)
      }
    }
  }
  for (const dir of ['models', 'server', 'views']) await walk(dir)
  assert.deepEqual(offenders, [])
  // and the database refuses it too, whoever asks
  const t = await makeTestApp()
  await assert.rejects(t.database.client.execute("UPDATE audit_log SET action = 'forged'"), /append-only/)
  await assert.rejects(t.database.client.execute('DELETE FROM audit_log'), /append-only/)
  // there is no route that takes a DELETE/PUT/PATCH on the log
  const client = new Client(t.app)
  await client.login('admin', adminPassword)
  for (const method of ['DELETE', 'PUT', 'PATCH']) {
    const res = await client.request('/privacy/audit', { method, headers: { 'x-csrf-token': client.csrf } })
    assert.equal(res.status, 404, method)
  }
})
