// Station screens from the server side: kiosk consent over the socket, withdrawal pushed to every station,
// event batches, the kiosk/display pages and /s/:stationId.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import WebSocket from 'ws'
import { eq } from 'drizzle-orm'
import { startTestServer } from '../helpers/browser.ts'
import { makeTestApp, Client } from '../helpers/app.ts'
import { issuePairingToken, pairStation } from '../../server/stations.ts'
import { stationSocketPath, type ServerMessage } from '../../server/station-protocol.ts'
import { startVisitorSession } from '../../server/signage.ts'
import { listStations } from '../../models/offices.ts'
import { consents, currentNotice, grantConsent } from '../../models/consents.ts'
import { visits } from '../../models/visits.ts'
import { verifyToken } from '../../server/tokens.ts'
import { topics } from '../../server/live.ts'
import type { AppDeps } from '../../server/context.ts'

let server: Awaited<ReturnType<typeof startTestServer>>
before(async () => {
  server = await startTestServer()
})
after(async () => server?.close())

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
  const opened = new Promise((resolve) => ws.on('open', resolve))
  const next = <T extends ServerMessage['type']>(type: T) =>
    new Promise<Extract<ServerMessage, { type: T }>>((resolve) => {
      const seen = messages.findIndex((m) => m.type === type)
      if (seen >= 0) return resolve(messages.splice(seen, 1)[0] as never)
      waiters.push({ type, resolve: resolve as never })
    })
  return { ws, next, opened, send: (m: unknown) => ws.send(JSON.stringify(m)) }
}

async function connected(kind: string) {
  const deps = server.deps
  const station = (await listStations(deps.database.db, server.seeded!.officeId)).find(
    (s) => s.kind === kind,
  )!
  const paired = await pairStation(deps, await issuePairingToken(deps, station.id))
  assert.ok(paired.ok)
  const socket = openSocket()
  await socket.opened
  socket.send({ type: 'hello', token: paired.stationToken })
  await socket.next('welcome')
  return { station, socket }
}

test('Agree on the kiosk: consent tied to the shown notice, a signed receipt, and session.begin at the kiosk', async () => {
  const { station, socket } = await connected('kiosk')
  const notice = await currentNotice(server.database.db, station.officeId, 'en')
  socket.send({ type: 'consent.grant', request: 'request-0001', notice: notice!.sha256, lang: 'en' })
  const granted = await socket.next('consent.granted')
  const begin = await socket.next('session.begin')
  assert.equal(begin.consent, granted.consent)
  assert.equal(begin.visit, null)
  const [row] = await server.database.db.select().from(consents).where(eq(consents.id, granted.consent))
  assert.equal(row?.givenAt, station.id)
  assert.equal(row?.noticeSha256, notice!.sha256)
  // the kiosk's QR carries a short link; the signed receipt is downloaded from the page it opens
  assert.ok(granted.receiptUrl.length <= 80, granted.receiptUrl)
  const download = await fetch(`${granted.receiptUrl}/receipt.jwt`)
  assert.equal(download.status, 200)
  const verified = await verifyToken(server.deps.keys, 'receipt', await download.text(), Date.now())
  assert.ok(verified.ok)
  assert.deepEqual(
    [verified.claims.consent, verified.claims.scope, verified.claims.notice, verified.claims.granted],
    [granted.consent, 'camera', notice!.sha256, row!.grantedAt],
  )
  assert.match(granted.receiptSvg, /^<svg/)

  // an outdated notice hash is refused: the person must see the current notice first
  socket.send({ type: 'consent.grant', request: 'request-0002', notice: 'a'.repeat(64), lang: 'en' })
  assert.deepEqual(await socket.next('consent.refused'), {
    type: 'consent.refused',
    request: 'request-0002',
    reason: 'notice-changed',
  })
  socket.ws.close()
})

test('a display cannot grant consent; withdrawal reaches every station of the office as session.stop', async () => {
  const { socket: display } = await connected('display')
  const { socket: kiosk } = await connected('kiosk')
  const notice = await currentNotice(server.database.db, server.seeded!.officeId, 'zh-CN')
  display.send({ type: 'consent.grant', request: 'request-0003', notice: notice!.sha256, lang: 'zh-CN' })
  assert.equal((await display.next('consent.refused')).reason, 'not-a-kiosk')

  ;(server.deps as AppDeps).events!.emit({
    type: 'consent.changed',
    officeId: server.seeded!.officeId,
    consentId: 'consent-x',
    visitId: null,
    granted: false,
  })
  for (const socket of [display, kiosk]) {
    assert.deepEqual(await socket.next('session.stop'), {
      type: 'session.stop',
      consent: 'consent-x',
      reason: 'withdrawn',
    })
  }
  display.ws.close()
  kiosk.ws.close()
})

test('a batch of events is answered per event: ack for good ones, drop with a reason for the rest', async () => {
  const { station, socket } = await connected('kiosk')
  const notice = await currentNotice(server.database.db, station.officeId, 'en')
  const consent = await server.database.write((tx) =>
    grantConsent({
      tx,
      input: { officeId: station.officeId, visitId: null, noticeId: notice!.id, givenAt: station.id },
      now: Date.now(),
    }),
  )
  const at = Date.now()
  socket.send({
    type: 'events',
    events: [
      {
        type: 'event',
        id: 'batch-0001',
        kind: 'session.start',
        session: 'batch-sess',
        consent: consent.id,
        at,
      },
      { type: 'event', id: 'batch-0002', kind: 'session.tick', session: 'batch-sess', at, dwellMs: 10 },
    ],
  })
  assert.deepEqual(await socket.next('ack'), { type: 'ack', ids: ['batch-0001'] })
  assert.deepEqual(await socket.next('drop'), { type: 'drop', id: 'batch-0002', reason: 'malformed' })
  socket.ws.close()
})

test('kiosk page: notice, both choices equal and unselected, station data; wrong kind or id is 404', async () => {
  const t = await makeTestApp()
  const client = new Client(t.app)
  const stations = await listStations(t.database.db, t.seeded.officeId)
  const kiosk = stations.find((s) => s.kind === 'kiosk')!
  const display = stations.find((s) => s.kind === 'display')!
  const response = await client.get(`/kiosk/${kiosk.id}`, { 'accept-language': 'en' })
  assert.equal(response.status, 200)
  const html = await response.text()
  const notice = await currentNotice(t.database.db, t.seeded.officeId, 'en')
  assert.ok(html.includes(notice!.body.short))
  assert.ok(html.includes(`data-notice="${notice!.sha256}"`))
  assert.match(html, /id="consent-agree" class="choice"/)
  assert.match(html, /id="consent-decline" class="choice"/)
  assert.doesNotMatch(html, /autofocus|checked/)
  // fingerprinted once the server has hashed its assets (server/asset-urls.ts)
  assert.match(html, /\/assets\/signage\/kiosk(\.[0-9a-f]{10})?\.mjs/)
  assert.equal((await client.get(`/kiosk/${display.id}`)).status, 404)
  assert.equal((await client.get('/kiosk/..%2Fetc')).status, 404)

  const page = await (await client.get(`/display/${display.id}`)).text()
  assert.match(page, /<svg/)
  assert.match(page, /\/assets\/signage\/display(\.[0-9a-f]{10})?\.mjs/)
  assert.equal((await client.get(`/display/${kiosk.id}`)).status, 404)
})

test('/s/:stationId without a visit pass explains; with consent a session starts at a connected station', async () => {
  const t = await makeTestApp()
  const client = new Client(t.app)
  const display = (await listStations(t.database.db, t.seeded.officeId)).find((s) => s.kind === 'display')!
  const response = await client.get(`/s/${display.id}`)
  assert.equal(response.status, 403)
  assert.match(await response.text(), /data-outcome="need-pass"/)
  assert.equal((await client.get('/s/unknown-station')).status, 404)

  const now = t.clock.now()
  await t.database.write((tx) =>
    tx.insert(visits).values({
      id: 'visit-1',
      officeId: t.seeded.officeId,
      day: '2026-11-23',
      checkedInAt: now,
      firstVisit: true,
    }),
  )
  assert.equal(await startVisitorSession(t.deps, display, 'visit-1'), 'need-consent')
  const notice = await currentNotice(t.database.db, t.seeded.officeId, 'en')
  const consent = await t.database.write((tx) =>
    grantConsent({
      tx,
      input: { officeId: t.seeded.officeId, visitId: 'visit-1', noticeId: notice!.id, givenAt: 'phone' },
      now,
    }),
  )
  assert.equal(await startVisitorSession(t.deps, display, 'visit-1'), 'offline')
  const received: string[] = []
  t.live.subscribe(topics.station(display.id), { send: (d) => received.push(d), close: () => undefined })
  assert.equal(await startVisitorSession(t.deps, display, 'visit-1'), 'started')
  assert.deepEqual(JSON.parse(received[0]!), { type: 'session.begin', consent: consent.id, visit: 'visit-1' })
})
