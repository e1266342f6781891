// Item 4: revoking a station kills every pairing link it had; a re-pair closes the replaced device's socket at once.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import WebSocket from 'ws'
import { makeTestApp, Client, adminPassword } from '../helpers/app.ts'
import { startTestServer } from '../helpers/browser.ts'
import { listStations, stations } from '../../models/offices.ts'
import { issuePairingToken, pairStation } from '../../server/stations.ts'
import { stationSocketPath, type ServerMessage } from '../../server/station-protocol.ts'
import { topics } from '../../server/live.ts'

let server: Awaited<ReturnType<typeof startTestServer>>
before(async () => {
  server = await startTestServer()
})
after(async () => server?.close())

async function pairingLink(client: Client, stationId: string) {
  const page = await client.post(`/admin/stations/${stationId}/pair`)
  assert.equal(page.status, 200)
  const link = /id="pairing-link"[^>]*>\s*([^<\s]+)/.exec(await page.text())?.[1]
  assert.ok(link, 'the pairing page shows the link')
  return new URL(link).pathname
}

test('item 4: after a revoke, no pairing link issued before it pairs the station again', async () => {
  const t = await makeTestApp()
  const admin = new Client(t.app)
  await admin.login('admin', adminPassword)
  const station = (await listStations(t.database.db, t.seeded.officeId)).find((s) => s.kind === 'entrance')!
  const first = await pairingLink(admin, station.id)
  const second = await pairingLink(admin, station.id)
  assert.equal((await admin.post(`/admin/stations/${station.id}/revoke`)).status, 303)

  const screen = new Client(t.app)
  for (const [i, link] of [first, second].entries()) {
    const res = await screen.post(link)
    assert.equal(res.status, 400, `link ${i + 1} still pairs after the revoke`)
  }
  const [row] = await t.database.db.select().from(stations).where(eq(stations.id, station.id))
  assert.ok(row!.revokedAt, 'the station stays revoked')
  assert.equal(row!.deviceTokenId, null)

  // a link the admin issues after the revoke pairs it again, once
  const fresh = await pairingLink(admin, station.id)
  assert.equal((await screen.post(fresh)).status, 200)
  assert.equal((await screen.post(fresh)).status, 400)
})

test('item 4: a pairing link older than the last pairing of its station is void', async () => {
  const t = await makeTestApp()
  const station = (await listStations(t.database.db, t.seeded.officeId)).find((s) => s.kind === 'kiosk')!
  const older = await issuePairingToken(t.deps, station.id)
  const newer = await issuePairingToken(t.deps, station.id)
  assert.ok((await pairStation(t.deps, newer)).ok)
  assert.equal((await pairStation(t.deps, older)).ok, false)
})

function stationSocket(token: string) {
  const ws = new WebSocket(server.base.replace('http', 'ws') + stationSocketPath)
  const messages: ServerMessage[] = []
  let wake = () => {}
  ws.on('message', (data) => {
    messages.push(JSON.parse(String(data)))
    wake()
  })
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)))
  const until = async (done: () => boolean) => {
    while (!done()) await new Promise<void>((resolve) => (wake = resolve))
  }
  ws.once('open', () => ws.send(JSON.stringify({ type: 'hello', token })))
  return { ws, messages, closed, until }
}

test('item 4: pairing the station again closes the older device socket; it gets no more entrance codes', async () => {
  const deps = server.deps
  const station = (await listStations(deps.database.db, server.seeded!.officeId)).find(
    (s) => s.kind === 'entrance',
  )!
  const first = await pairStation(deps, await issuePairingToken(deps, station.id))
  assert.ok(first.ok)
  const old = stationSocket(first.stationToken)
  await old.until(() => old.messages.some((m) => m.type === 'entrance.token'))
  assert.equal(deps.live.count(topics.station(station.id)), 1)

  const second = await pairStation(deps, await issuePairingToken(deps, station.id))
  assert.ok(second.ok)
  assert.equal(deps.live.count(topics.station(station.id)), 0, 'the replaced socket is no longer subscribed')
  assert.equal(await old.closed, 4001)

  const current = stationSocket(second.stationToken)
  await current.until(() => current.messages.some((m) => m.type === 'entrance.token'))
  assert.equal(deps.live.count(topics.station(station.id)), 1)
  current.ws.close()
  await current.closed
})
