// Station pairing and the station WebSocket: single-use pairing, hello with the device token, entrance QR, revoke.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import WebSocket from 'ws'
import { startTestServer } from '../helpers/browser.ts'
import { issuePairingToken, pairStation, revokeStation } from '../../server/stations.ts'
import { stationSocketPath, type ServerMessage } from '../../server/station-protocol.ts'
import { listStations } from '../../models/offices.ts'
import type { AppDeps } from '../../server/context.ts'

let server: Awaited<ReturnType<typeof startTestServer>>
before(async () => {
  server = await startTestServer()
})
after(async () => server?.close())

const depsOf = () => server.deps

// a socket that collects every message and lets a test wait for one of a type
function openSocket() {
  const ws = new WebSocket(server.base.replace('http', 'ws') + stationSocketPath)
  const messages: ServerMessage[] = []
  const waiters: { type: string; resolve: (m: ServerMessage) => void }[] = []
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as ServerMessage
    messages.push(message)
    for (const w of waiters.filter((w) => w.type === message.type)) {
      waiters.splice(waiters.indexOf(w), 1)
      w.resolve(message)
    }
  })
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)))
  const opened = new Promise((resolve) => ws.on('open', resolve))
  const next = <T extends ServerMessage['type']>(type: T) =>
    new Promise<Extract<ServerMessage, { type: T }>>((resolve) => {
      const seen = messages.find((m) => m.type === type)
      if (seen) return resolve(seen as never)
      waiters.push({ type, resolve: resolve as never })
    })
  return { ws, messages, next, closed, opened }
}

async function pairedStation(kind: string) {
  const deps = depsOf()
  const stations = await listStations(deps.database.db, server.seeded!.officeId)
  const station = stations.find((s) => s.kind === kind)!
  const result = await pairStation(deps, await issuePairingToken(deps, station.id))
  assert.ok(result.ok)
  return { station, token: result.stationToken }
}

test('a pairing link works once; the device token opens the socket and an entrance gets a fresh QR', async () => {
  const deps = depsOf()
  const { station, token } = await pairedStation('entrance')
  const pairing = await issuePairingToken(deps, station.id)
  assert.ok((await pairStation(deps, pairing)).ok)
  const again = await pairStation(deps, pairing)
  assert.deepEqual(again, { ok: false, failure: 'used' })

  // the token from the first pairing above was replaced by the second
  const stale = openSocket()
  await stale.opened
  stale.ws.send(JSON.stringify({ type: 'hello', token }))
  assert.equal(await stale.closed, 4001)
})

test('entrance socket: welcome, then a short check-in code that expires within a minute', async () => {
  const { station, token } = await pairedStation('entrance')
  const socket = openSocket()
  await socket.opened
  socket.ws.send(JSON.stringify({ type: 'hello', token }))
  const welcome = await socket.next('welcome')
  assert.equal(welcome.station.id, station.id)
  const qr = await socket.next('entrance.token')
  // a short opaque code, the state kept on the server: ≤ 80 characters with the origin
  assert.match(qr.url, /^http:\/\/127\.0\.0\.1:\d+\/checkin\?t=[A-Za-z0-9_-]{16}$/)
  assert.ok(qr.url.length <= 80)
  assert.match(qr.svg, /^<svg/)
  assert.ok(qr.expiresAt - Date.now() <= 60_000)
  socket.ws.close()
})

test('a socket that sends garbage, an oversized frame or a forged token is refused', async () => {
  const forged = openSocket()
  await forged.opened
  forged.ws.send(JSON.stringify({ type: 'hello', token: 'eyJhbGciOiJub25lIn0.eyJzdGF0aW9uIjoieCJ9.' }))
  assert.equal(await forged.closed, 4001)

  const big = openSocket()
  await big.opened
  big.ws.send('x'.repeat(10_000))
  assert.equal(await big.closed, 1009)
})

test('revoking a station closes its socket at once', async () => {
  const deps = depsOf()
  const { station, token } = await pairedStation('kiosk')
  const socket = openSocket()
  await socket.opened
  socket.ws.send(JSON.stringify({ type: 'hello', token }))
  await socket.next('welcome')
  assert.ok(await revokeStation(deps, { stationId: station.id, actorId: 'test' }))
  assert.equal(await socket.closed, 4001)
  const retry = openSocket()
  await retry.opened
  retry.ws.send(JSON.stringify({ type: 'hello', token }))
  assert.equal(await retry.closed, 4001)
})

test('publishing a notice version tells every screen of the office at once', async () => {
  const deps = depsOf()
  const { token } = await pairedStation('entrance')
  const socket = openSocket()
  await socket.opened
  socket.ws.send(JSON.stringify({ type: 'hello', token }))
  await socket.next('welcome')
  const { publishNotice } = await import('../../models/consents.ts')
  const { defaultNotice } = await import('../../models/notice-defaults.ts')
  const officeId = server.seeded!.officeId
  const body = {
    ...defaultNotice('en', { processorName: 'P', privacyContact: 'C' }),
    short: 'A new short notice',
  }
  const published = await deps.database.write((tx) =>
    publishNotice({ tx, input: { officeId, lang: 'en', body }, now: Date.now() }),
  )
  ;(deps as AppDeps).events!.emit({ type: 'notice.published', officeId, lang: 'en' })
  const notice = await socket.next('notice')
  assert.equal(notice.sha256, published.sha256)
  assert.equal(notice.version, published.version)
  socket.ws.close()
})
