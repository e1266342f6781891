// Hostile station sockets: oversized frames, malformed JSON, a flood from one station that leaves another unaffected.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import WebSocket from 'ws'
import { startTestServer } from '../helpers/browser.ts'
import { tableCounts, changedTables } from '../helpers/counts.ts'
import { listStations } from '../../models/offices.ts'
import { issuePairingToken, pairStation } from '../../server/stations.ts'
import {
  stationSocketPath,
  maxStationMessageBytes,
  type ServerMessage,
} from '../../server/station-protocol.ts'
import { stationMessagesPerSecond } from '../../server/routes/station.tsx'

let server: Awaited<ReturnType<typeof startTestServer>>
before(async () => {
  server = await startTestServer()
})
after(async () => server?.close())

async function pairedToken(kind: string) {
  const deps = server.deps
  const station = (await listStations(deps.database.db, server.seeded!.officeId)).find(
    (s) => s.kind === kind,
  )!
  const result = await pairStation(deps, await issuePairingToken(deps, station.id))
  assert.ok(result.ok)
  return result.stationToken
}

// a signed-in station socket that collects what the server says
async function stationSocket(token: string) {
  const ws = new WebSocket(server.base.replace('http', 'ws') + stationSocketPath)
  const messages: ServerMessage[] = []
  const waiters: (() => void)[] = []
  ws.on('message', (data) => {
    messages.push(JSON.parse(String(data)))
    for (const wake of waiters.splice(0)) wake()
  })
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)))
  await new Promise((resolve) => ws.once('open', resolve))
  ws.send(JSON.stringify({ type: 'hello', token }))
  const until = async (done: () => boolean) => {
    while (!done()) await new Promise<void>((resolve) => waiters.push(resolve))
  }
  await until(() => messages.some((m) => m.type === 'welcome'))
  return { ws, messages, closed, until }
}

// the server's ordinary answer to one event: an ack, or a drop with a pipeline reason
const answered = (messages: ServerMessage[], id: string) =>
  messages.some((m) => (m.type === 'ack' && m.ids.includes(id)) || (m.type === 'drop' && m.id === id))

const event = (id: string) => ({
  type: 'event',
  id,
  kind: 'session.tick',
  session: 'session-0001',
  at: Date.now(),
  dwellMs: 1000,
  attentionMs: 500,
  framesAnalysed: 10,
  framesDropped: 0,
})

test('frames past the protocol limit and past the socket limit are closed with 1009, nothing written', async () => {
  const before = await tableCounts(server.deps.database)
  for (const size of [maxStationMessageBytes + 1, 64 * 1024]) {
    const socket = await stationSocket(await pairedToken('display'))
    socket.ws.send(JSON.stringify({ ...event('big-00001'), pad: 'x'.repeat(size) }))
    assert.equal(await socket.closed, 1009, `${size} bytes`)
  }
  // a binary frame is not a message of this protocol
  const binary = await stationSocket(await pairedToken('display'))
  binary.ws.send(new Uint8Array(64))
  await binary.until(() => binary.messages.some((m) => m.type === 'error'))
  binary.ws.close()
  const after = await tableCounts(server.deps.database)
  assert.deepEqual(
    changedTables(before, after).filter((n) => n !== 'stations' && n !== 'usedTokens' && n !== 'auditLog'),
    [],
  )
  assert.equal(after.stations, before.stations)
})

test('malformed and mistyped messages are answered with error/drop; the socket stays usable', async () => {
  const socket = await stationSocket(await pairedToken('kiosk'))
  const before = await tableCounts(server.deps.database)
  const hostile = [
    '{"type":',
    'null',
    '[]',
    '"hello"',
    JSON.stringify({ type: 'hello', token: 'again' }),
    JSON.stringify({ ...event('evt-00001'), dwellMs: -1 }),
    JSON.stringify({ ...event('evt-00002'), dwellMs: 'NaN' }),
    JSON.stringify({ ...event('evt-00003'), kind: 'session.frame', jpeg: 'AAAA' }),
    JSON.stringify({ ...event("evt'; DROP TABLE stations;--"), id: "evt'; DROP TABLE stations;--" }),
    JSON.stringify({ ...event('evt-00004'), __proto__: { ack: true } }),
  ]
  for (const frame of hostile) socket.ws.send(frame)
  await socket.until(
    () => socket.messages.filter((m) => m.type === 'error' || m.type === 'drop').length >= hostile.length,
  )
  assert.ok(!socket.messages.some((m) => m.type === 'ack'), 'nothing hostile is acknowledged')
  assert.deepEqual(changedTables(before, await tableCounts(server.deps.database)), [])
  socket.ws.send(JSON.stringify(event('after-00001')))
  await socket.until(() => answered(socket.messages, 'after-00001'))
  socket.ws.close()
})

test('a flood from one station is throttled and cut off; another station is served as usual', async () => {
  const flooder = await stationSocket(await pairedToken('entrance'))
  const neighbour = await stationSocket(await pairedToken('kiosk'))
  const before = await tableCounts(server.deps.database)
  const burst = stationMessagesPerSecond * 8
  for (let i = 0; i < burst; i++)
    flooder.ws.send(JSON.stringify(event(`flood-${String(i).padStart(5, '0')}`)))
  // the neighbour speaks during the flood and gets its ordinary answer, not a rate-limit error
  neighbour.ws.send(JSON.stringify(event('calm-00001')))
  await neighbour.until(() => answered(neighbour.messages, 'calm-00001'))
  assert.ok(!neighbour.messages.some((m) => m.type === 'error' && m.code === 'rate-limited'))
  assert.equal(await flooder.closed, 1008, 'the flooding station is disconnected')
  const limited = flooder.messages.filter((m) => m.type === 'error' && m.code === 'rate-limited').length
  assert.ok(limited > 0)
  const processed = flooder.messages.filter((m) => m.type === 'drop' || m.type === 'ack').length
  assert.ok(
    processed <= stationMessagesPerSecond * 2,
    `at most a couple of seconds' worth processed, got ${processed}`,
  )
  assert.deepEqual(changedTables(before, await tableCounts(server.deps.database)), [])
  // still served after the flooder is gone
  neighbour.ws.send(JSON.stringify(event('calm-00002')))
  await neighbour.until(() => answered(neighbour.messages, 'calm-00002'))
  neighbour.ws.close()
})
