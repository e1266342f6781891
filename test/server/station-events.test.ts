// Station event pipeline: every drop reason, idempotency, numbers-only storage, change events, withdrawal.
import { test, beforeEach } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import { makeTestApp, type TestApp } from '../helpers/app.ts'
import {
  acceptStationEvents,
  dropReasons,
  maxEventAgeMs,
  stationEventsPerMinute,
  type StationRow,
} from '../../server/station-events.ts'
import { listStations } from '../../models/offices.ts'
import {
  cameraSessions,
  currentNotice,
  grantConsent,
  stationEvents,
  withdrawConsent,
} from '../../models/consents.ts'
import type { DomainEvent } from '../../server/events.ts'
import type { AppDeps } from '../../server/context.ts'

let t: TestApp
let kiosk: StationRow
let display: StationRow
let consentId: string
let seq = 0
const changes: DomainEvent[] = []

beforeEach(async () => {
  t = await makeTestApp()
  const stations = await listStations(t.database.db, t.seeded.officeId)
  kiosk = stations.find((s) => s.kind === 'kiosk')!
  display = stations.find((s) => s.kind === 'display')!
  const notice = await currentNotice(t.database.db, t.seeded.officeId, 'en')
  const granted = await t.database.write((tx) =>
    grantConsent({
      tx,
      input: { officeId: t.seeded.officeId, visitId: null, noticeId: notice!.id, givenAt: kiosk.id },
      now: t.clock.now(),
    }),
  )
  consentId = granted.id
  changes.length = 0
  ;(t.deps as AppDeps).events!.on((e) => void changes.push(e))
})

const id = () => `event-${String(++seq).padStart(6, '0')}`
const start = (session: string, over: Record<string, unknown> = {}) => ({
  type: 'event',
  id: id(),
  kind: 'session.start',
  session,
  consent: consentId,
  at: t.clock.now(),
  ...over,
})
const tick = (session: string, dwellMs: number, over: Record<string, unknown> = {}) => ({
  type: 'event',
  id: id(),
  kind: 'session.tick',
  session,
  at: t.clock.now(),
  dwellMs,
  attentionMs: Math.floor(dwellMs / 2),
  framesAnalysed: dwellMs / 100,
  framesDropped: 1,
  ...over,
})
const accept = (events: unknown[], station = kiosk) => acceptStationEvents(t.deps, station, events)
const reasons = (outcomes: Map<string, { ack: boolean; reason?: string }>) =>
  [...outcomes.values()].map((o) => (o.ack ? 'ack' : o.reason))
const sessionRow = async (sessionId: string) =>
  (await t.database.db.select().from(cameraSessions).where(eq(cameraSessions.id, sessionId)))[0]

test('a start and ticks in one batch: acked, stored as numbers, one change event for the session', async () => {
  const outcomes = await accept([
    start('session-aaaa'),
    tick('session-aaaa', 1000),
    tick('session-aaaa', 2000),
  ])
  assert.deepEqual(reasons(outcomes), ['ack', 'ack', 'ack'])
  const row = await sessionRow('session-aaaa')
  assert.equal(row?.stationId, kiosk.id)
  assert.equal(row?.consentId, consentId)
  assert.deepEqual(
    [row?.dwellMs, row?.attentionMs, row?.framesAnalysed, row?.framesDropped],
    [2000, 1000, 20, 1],
  )
  assert.equal(row?.endedAt, null)
  // nothing but numbers and ids in a session row
  for (const [key, value] of Object.entries(row!)) {
    assert.ok(value === null || typeof value === 'number' || /Id$|^id$|^endReason$/.test(key), key)
  }
  await new Promise((r) => setImmediate(r))
  assert.deepEqual(
    changes
      .filter((e) => e.type === 'camera-session.changed')
      .map((e) => (e as { sessionId: string }).sessionId),
    ['session-aaaa'],
  )
})

test('every drop reason, each for its own cause', async () => {
  await accept([start('session-open'), start('session-done')])
  await accept([tick('session-done', 500, { kind: 'session.end', reason: 'gone' })])
  const seen = new Set<string>()
  const expect = async (events: unknown[], reason: string, station = kiosk) => {
    const got = reasons(await accept(events, station))
    assert.equal(got.at(-1), reason, `${reason}: got ${got}`)
    seen.add(reason)
  }
  // malformed: a missing counter, a negative one, an extra field (a face box must never be accepted)
  await expect([{ ...tick('session-open', 100), dwellMs: undefined }], 'malformed')
  await expect([tick('session-open', -1)], 'malformed')
  await expect([tick('session-open', 100, { box: [1, 2, 3, 4] })], 'malformed')
  const dup = tick('session-open', 1000)
  assert.deepEqual(reasons(await accept([dup])), ['ack'])
  await expect([dup], 'duplicate')
  await expect([tick('session-open', 900, { at: t.clock.now() - maxEventAgeMs - 1 })], 'stale')
  await expect([tick('session-open', 900, { at: t.clock.now() - 1 })], 'stale')
  await expect([start('session-nope', { consent: 'no-such-consent' })], 'no-consent')
  await expect([tick('session-none', 100)], 'unknown-session')
  await expect([tick('session-done', 900)], 'session-closed')
  await expect([tick('session-open', 1200)], 'wrong-station', display)
  // plays: an item the office never had; one that ends before it starts
  const play = (over: Record<string, unknown>) => ({
    type: 'event',
    id: id(),
    kind: 'play',
    item: 'no-such-item',
    version: 1,
    startedAt: t.clock.now() - 5000,
    endedAt: t.clock.now(),
    at: t.clock.now(),
    ...over,
  })
  await expect([play({})], 'unknown-item', display)
  await expect([play({ startedAt: t.clock.now() + 1 })], 'implausible', display)
  // rate: past the per-station budget everything is dropped until the window passes
  const flood = Array.from({ length: stationEventsPerMinute }, () => tick('session-none', 100))
  await accept(flood.slice(0, 300))
  await accept(flood.slice(300))
  await expect([tick('session-open', 2000)], 'rate')
  t.clock.advance(60_000)
  assert.deepEqual(reasons(await accept([tick('session-open', 2000)])), ['ack'])
  assert.deepEqual(
    [...dropReasons].filter((r) => !seen.has(r)),
    [],
    'every drop reason is exercised',
  )
  // dropped events changed nothing: the stored totals are the last accepted ones
  assert.equal((await sessionRow('session-open'))?.dwellMs, 2000)
})

test('idempotent: the same batch resent after a reconnect is not counted twice', async () => {
  const batch = [start('session-idem'), tick('session-idem', 3000)]
  assert.deepEqual(reasons(await accept(batch)), ['ack', 'ack'])
  assert.deepEqual(reasons(await accept(batch)), ['duplicate', 'duplicate'])
  const applied = await t.database.db
    .select()
    .from(stationEvents)
    .where(eq(stationEvents.stationId, kiosk.id))
  assert.equal(applied.length, 2)
  assert.equal((await sessionRow('session-idem'))?.dwellMs, 3000)
})

test('after withdrawal the session rows are gone and later events for them are not kept', async () => {
  await accept([start('session-wd'), tick('session-wd', 1000)])
  await t.database.write((tx) => withdrawConsent({ tx, consentId, now: t.clock.now() }))
  assert.equal(await sessionRow('session-wd'), undefined)
  assert.deepEqual(reasons(await accept([tick('session-wd', 2000)])), ['unknown-session'])
  assert.deepEqual(reasons(await accept([start('session-wd2')])), ['no-consent'])
  assert.equal(await sessionRow('session-wd'), undefined)
})

test('an end event closes the session with its reason and final totals', async () => {
  await accept([start('session-end'), tick('session-end', 4000, { kind: 'session.end', reason: 'timeout' })])
  const row = await sessionRow('session-end')
  assert.equal(row?.endReason, 'timeout')
  assert.equal(row?.dwellMs, 4000)
  assert.equal(row?.endedAt, t.clock.now())
})
