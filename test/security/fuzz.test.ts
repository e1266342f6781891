// Property tests (fast-check): token parsing never throws and never accepts a changed token; station messages likewise.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import WebSocket from 'ws'
import { base64url } from 'jose'
import { ephemeralKeys, type Keys } from '../../server/keys.ts'
import { signToken, verifyToken, tokenTypes } from '../../server/tokens.ts'
import {
  helloMessage,
  sessionEventMessage,
  stationSocketPath,
  maxStationMessageBytes,
  type ServerMessage,
} from '../../server/station-protocol.ts'
import { startTestServer } from '../helpers/browser.ts'
import { listStations } from '../../models/offices.ts'
import { issuePairingToken, pairStation } from '../../server/stations.ts'

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const now = Date.parse('2026-11-23T02:00:00Z')
let keys: Keys
let valid: string

before(async () => {
  keys = await ephemeralKeys()
  ;({ token: valid } = await signToken(
    keys,
    'visit',
    { visit: 'v1', visitor: 'p1' },
    { now, expiresAt: now + 3600_000 },
  ))
})

const segmentBytes = (token: string) =>
  token.split('.').map((s) => {
    try {
      return Buffer.from(base64url.decode(s)).toString('hex')
    } catch {
      return `invalid:${s}`
    }
  })

test('verifyToken never throws and never accepts what it did not sign', async () => {
  const tokenish = fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary' }),
    fc.tuple(fc.base64String(), fc.base64String(), fc.base64String()).map((parts) => parts.join('.')),
    fc
      .tuple(
        fc.dictionary(fc.string(), fc.jsonValue()),
        fc.dictionary(fc.string(), fc.jsonValue()),
        fc.uint8Array(),
      )
      .map(([header, payload, signature]) =>
        [JSON.stringify(header), JSON.stringify(payload)]
          .map((j) => base64url.encode(j))
          .concat(base64url.encode(signature))
          .join('.'),
      ),
  )
  await fc.assert(
    fc.asyncProperty(tokenish, fc.constantFrom(...tokenTypes), async (token, typ) => {
      const result = await verifyToken(keys, typ, token, now)
      assert.equal(result.ok, false)
    }),
    { numRuns: 300 },
  )
})

test('a signed token with any character changed, dropped or added is refused (unless its bytes are the same)', async () => {
  assert.equal((await verifyToken(keys, 'visit', valid, now)).ok, true)
  const mutation = fc.oneof(
    fc.record({
      kind: fc.constant('replace' as const),
      at: fc.nat(),
      char: fc.constantFrom(...alphabet, '.', '=', ' '),
    }),
    fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
    fc.record({
      kind: fc.constant('insert' as const),
      at: fc.nat(),
      char: fc.constantFrom(...alphabet, '.'),
    }),
  )
  await fc.assert(
    fc.asyncProperty(mutation, async (m) => {
      const at = m.at % valid.length
      const mutated =
        m.kind === 'replace'
          ? valid.slice(0, at) + m.char + valid.slice(at + 1)
          : m.kind === 'drop'
            ? valid.slice(0, at) + valid.slice(at + 1)
            : valid.slice(0, at) + m.char + valid.slice(at)
      // the last base64url character carries unused bits: a change there can decode to the same signature bytes
      const [h, p] = mutated.split('.')
      const [vh, vp] = valid.split('.')
      fc.pre(!(h === vh && p === vp && segmentBytes(mutated).join() === segmentBytes(valid).join()))
      const result = await verifyToken(keys, 'visit', mutated, now)
      assert.equal(result.ok, false, `accepted ${m.kind} at ${at}`)
    }),
    { numRuns: 400 },
  )
})

const eventKeys = new Set([
  'type',
  'id',
  'kind',
  'session',
  'consent',
  'at',
  'dwellMs',
  'attentionMs',
  'framesAnalysed',
  'framesDropped',
  'reason',
])

test('station message schemas never throw, and what they accept is only small numbers and ids', () => {
  const nearEvent = fc.record(
    {
      type: fc.oneof(fc.constant('event'), fc.string()),
      id: fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{8,64}$/), fc.string()),
      kind: fc.constantFrom('session.start', 'session.tick', 'session.end', 'session.frame', '__proto__'),
      session: fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{8,64}$/), fc.string()),
      consent: fc.string(),
      at: fc.oneof(fc.nat(), fc.double(), fc.string()),
      dwellMs: fc.oneof(fc.nat(), fc.integer(), fc.double(), fc.constant(Number.NaN)),
      attentionMs: fc.oneof(fc.nat(), fc.double()),
      framesAnalysed: fc.nat(),
      framesDropped: fc.oneof(fc.nat(), fc.constant(-1)),
      image: fc.uint8Array({ maxLength: 32 }),
      box: fc.array(fc.double(), { maxLength: 4 }),
    },
    { requiredKeys: [] },
  )
  fc.assert(
    fc.property(fc.oneof(fc.anything(), fc.jsonValue(), nearEvent), (message) => {
      const hello = helloMessage.safeParse(message)
      if (hello.success) assert.ok(hello.data.token.length <= 4096)
      const parsed = sessionEventMessage.safeParse(message)
      if (!parsed.success) return
      for (const [key, value] of Object.entries(parsed.data)) {
        assert.ok(eventKeys.has(key), `accepted an unknown field ${key}: nothing but numbers and ids pass`)
        assert.ok(
          typeof value === 'number' ? Number.isFinite(value) && value >= 0 : String(value).length <= 64,
        )
      }
      assert.ok(JSON.stringify(parsed.data).length < maxStationMessageBytes)
    }),
    { numRuns: 2000 },
  )
})

let server: Awaited<ReturnType<typeof startTestServer>>
after(async () => server?.close())

test('a station socket answers every random frame, acknowledges none that is invalid, and stays open', async () => {
  server = await startTestServer()
  const deps = server.deps
  const kiosk = (await listStations(deps.database.db, server.seeded!.officeId)).find(
    (s) => s.kind === 'kiosk',
  )!
  const paired = await pairStation(deps, await issuePairingToken(deps, kiosk.id))
  assert.ok(paired.ok)
  const frames = fc.sample(
    fc
      .oneof(
        fc.string({ minLength: 1 }),
        fc.jsonValue().map((v) => JSON.stringify(v)),
        fc.object().map((v) => JSON.stringify({ type: 'event', ...v })),
      )
      .filter((frame) => frame.length > 0 && Buffer.byteLength(frame) <= maxStationMessageBytes),
    { numRuns: 40, seed: 20261123 },
  )
  const ws = new WebSocket(server.base.replace('http', 'ws') + stationSocketPath)
  const messages: ServerMessage[] = []
  let wake = () => {}
  ws.on('message', (data) => {
    messages.push(JSON.parse(String(data)))
    wake()
  })
  let closedWith: number | null = null
  ws.on('close', (code) => (closedWith = code))
  await new Promise((resolve) => ws.once('open', resolve))
  ws.send(JSON.stringify({ type: 'hello', token: paired.stationToken }))
  const until = async (done: () => boolean) => {
    while (!done()) await new Promise<void>((resolve) => (wake = resolve))
  }
  await until(() => messages.some((m) => m.type === 'welcome'))
  const start = messages.length
  for (const frame of frames) ws.send(frame)
  await until(() => messages.length - start >= frames.length)
  assert.equal(closedWith, null, 'random frames do not take the socket down')
  const acked = new Set(messages.flatMap((m) => (m.type === 'ack' ? m.ids : [])))
  for (const frame of frames) {
    let value: unknown
    try {
      value = JSON.parse(frame)
    } catch {
      continue
    }
    if (!sessionEventMessage.safeParse(value).success) {
      const id = (value as { id?: unknown } | null)?.id
      if (typeof id === 'string')
        assert.equal(acked.has(id), false, `acknowledged an invalid message ${frame}`)
    }
  }
  ws.close()
})
