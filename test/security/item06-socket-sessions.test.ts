// Item 6: a live dashboard socket ends with its session: logout, a disabled account or a changed role close it at once.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import WebSocket from 'ws'
import { decodeJwt } from 'jose'
import { startTestServer, adminPassword } from '../helpers/browser.ts'
import { staff } from '../../models/staff.ts'
import { refreshDashboards } from '../../server/dashboard-live.ts'
import { sessionHours } from '../../server/middleware/session.ts'

let server: Awaited<ReturnType<typeof startTestServer>>
before(async () => {
  server = await startTestServer()
})
after(async () => server?.close())

// a browser's cookies against the real server: sign in, post forms with the CSRF field
async function browserSession(username: string) {
  const jar = new Map<string, string>()
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
  const keep = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const name = pair!.slice(0, pair!.indexOf('='))
      const value = pair!.slice(pair!.indexOf('=') + 1)
      if (value === '' || /max-age=0/i.test(line)) jar.delete(name)
      else jar.set(name, value)
    }
    return res
  }
  const post = async (path: string, fields: Record<string, string> = {}) =>
    keep(
      await fetch(`${server.base}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: jar.get('sr_csrf') ?? '', ...fields }),
      }),
    )
  keep(await fetch(`${server.base}/login`))
  const password =
    username === 'admin'
      ? adminPassword
      : server.seeded!.demoAccounts.find((a) => a.username === username)!.password
  const login = await post('/login', { username, password })
  assert.equal(login.status, 303, `${username} signs in`)
  return { cookie, post }
}

// an open dashboard socket that has had its first frame; `next` is whichever comes first: a frame or the close
async function dashboardSocket(cookie: string) {
  const ws = new WebSocket(server.base.replace('http', 'ws') + '/dashboard/socket', { headers: { cookie } })
  let first = true
  const outcomes: string[] = []
  let wake: (() => void) | null = null
  const deliver = (outcome: string) => {
    outcomes.push(outcome)
    wake?.()
  }
  ws.on('message', () => (first ? (first = false) : deliver('frame')))
  ws.on('close', (code) => deliver(`closed ${code}`))
  await new Promise<void>((resolve, reject) => {
    ws.once('message', () => resolve())
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused ${res.statusCode}`)))
  })
  const next = async () => {
    while (!outcomes.length) await new Promise<void>((resolve) => (wake = resolve))
    return outcomes.shift()!
  }
  return { ws, next }
}

const officeId = () => server.seeded!.officeId

test('item 6: signing out closes that session’s dashboard socket; it gets no more arrivals', async () => {
  const browser = await browserSession('sales')
  const other = await browserSession('sales')
  const socket = await dashboardSocket(browser.cookie())
  const otherSocket = await dashboardSocket(other.cookie())
  assert.equal((await browser.post('/logout')).status, 303)
  await refreshDashboards(server.deps, officeId())
  assert.match(await socket.next(), /^closed 4001$/, 'the signed-out socket is closed, not pushed to')
  // the same person's other session (another browser) is not signed out
  assert.equal(await otherSocket.next(), 'frame')
  otherSocket.ws.close()
})

test('item 6: disabling an account closes every dashboard socket it has open', async () => {
  const admin = await browserSession('admin')
  const first = await dashboardSocket((await browserSession('sales2')).cookie())
  const second = await dashboardSocket((await browserSession('sales2')).cookie())
  const [member] = await server.deps.database.db.select().from(staff).where(eq(staff.username, 'sales2'))
  assert.equal((await admin.post(`/admin/staff/${member!.id}/disable`)).status, 303)
  await refreshDashboards(server.deps, officeId())
  assert.match(await first.next(), /^closed 4001$/)
  assert.match(await second.next(), /^closed 4001$/)
  await admin.post(`/admin/staff/${member!.id}/enable`)
})

test('item 6: a role change that takes the dashboard away closes the socket too', async () => {
  const admin = await browserSession('admin')
  const socket = await dashboardSocket((await browserSession('manager')).cookie())
  const [member] = await server.deps.database.db.select().from(staff).where(eq(staff.username, 'manager'))
  assert.equal((await admin.post(`/admin/staff/${member!.id}/role`, { role: 'marketing' })).status, 303)
  await refreshDashboards(server.deps, officeId())
  assert.match(await socket.next(), /^closed 4001$/)
  await admin.post(`/admin/staff/${member!.id}/role`, { role: 'manager' })
})

test('item 6: a socket closes when its session expires, without waiting for a reconnect', async () => {
  const browser = await browserSession('sales')
  const clock = server.deps.clock
  const realNow = clock.now
  // the token's expiry is in whole seconds, so the server's clock is stopped half a second before that second:
  // a clock that ran on from "login + session length" could pass it before the socket opened
  const token = /sr_session=([^;]+)/.exec(browser.cookie())![1]!
  const { exp } = decodeJwt(token)
  assert.ok(exp! * 1000 - realNow() > (sessionHours - 1) * 3600_000, 'a session lasts the configured hours')
  clock.now = () => exp! * 1000 - 500
  try {
    const socket = await dashboardSocket(browser.cookie())
    assert.match(await socket.next(), /^closed 4001$/)
  } finally {
    clock.now = realNow
  }
})
