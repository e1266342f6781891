// The dashboard socket: a staff session is required; the first frame is the whole current state of the office.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import WebSocket from 'ws'
import { startTestServer } from '../helpers/browser.ts'

let server: Awaited<ReturnType<typeof startTestServer>>
before(async () => {
  server = await startTestServer()
})
after(async () => server?.close())

async function sessionCookie(username: string) {
  const jar = new Map<string, string>()
  const keep = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';')
      jar.set(pair!.slice(0, pair!.indexOf('=')), pair!.slice(pair!.indexOf('=') + 1))
    }
  }
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
  keep(await fetch(`${server.base}/login`))
  const password = server.seeded!.demoAccounts.find((a) => a.username === username)!.password
  keep(
    await fetch(`${server.base}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: jar.get('sr_csrf')!, username, password }),
    }),
  )
  return cookie()
}

// resolves with the first frame, or the HTTP status the upgrade was refused with
function connect(cookie?: string) {
  return new Promise<{ frame?: string; status?: number }>((resolve) => {
    const ws = new WebSocket(server.base.replace('http', 'ws') + '/dashboard/socket', {
      headers: cookie ? { cookie } : {},
    })
    ws.once('message', (data) => {
      resolve({ frame: String(data) })
      ws.close()
    })
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode }))
    ws.once('error', () => undefined)
  })
}

test('without a staff session the socket is refused; a broker is refused too', async () => {
  assert.equal((await connect()).status, 303)
  assert.equal((await connect('sr_session=forged')).status, 303)
  assert.equal((await connect(await sessionCookie('broker1'))).status, 403)
})

test('a sales session gets the current fragments as its first frame', async () => {
  const { frame } = await connect(await sessionCookie('sales'))
  assert.match(frame!, /id="counters"[^>]*hx-swap-oob="true"/)
  assert.match(frame!, /id="visit-list"[^>]*hx-swap-oob="true"/)
  assert.match(frame!, /id="queue"[^>]*hx-swap-oob="true"/)
})
