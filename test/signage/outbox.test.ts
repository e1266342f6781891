// Outbox: bounded, coalesces superseded ticks, keeps starts and ends, batches under the message limit.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Outbox, maxBatchBytes, type StationEvent } from '../../signage/outbox.ts'

const start = (session: string, id: string): StationEvent => ({
  type: 'event',
  id,
  kind: 'session.start',
  session,
  consent: 'consent-1',
  at: 1,
})
const tick = (
  session: string,
  id: string,
  dwellMs: number,
  kind: 'session.tick' | 'session.end' = 'session.tick',
) =>
  ({
    type: 'event',
    id,
    kind,
    session,
    at: dwellMs,
    dwellMs,
    attentionMs: 0,
    framesAnalysed: dwellMs,
    framesDropped: 0,
  }) as StationEvent

test('a newer tick replaces an unsent older one of the same session; an end replaces them all', () => {
  const box = new Outbox()
  box.add(start('s1', 'start-0001'))
  box.add(tick('s1', 'tick-00001', 1000))
  box.add(tick('s2', 'tick-00002', 1000))
  box.add(tick('s1', 'tick-00003', 2000))
  assert.deepEqual(
    box.pending.map((e) => e.id),
    ['start-0001', 'tick-00002', 'tick-00003'],
  )
  box.add(tick('s1', 'end-000001', 2500, 'session.end'))
  assert.deepEqual(
    box.pending.map((e) => e.id),
    ['start-0001', 'tick-00002', 'end-000001'],
  )
  box.settle(['start-0001', 'end-000001'])
  assert.deepEqual(
    box.pending.map((e) => e.id),
    ['tick-00002'],
  )
})

test('bounded: when full the oldest tick goes first, starts and ends are kept', () => {
  const box = new Outbox(3)
  box.add(start('s1', 'start-0001'))
  box.add(tick('s1', 'tick-00001', 1))
  box.add(start('s2', 'start-0002'))
  box.add(start('s3', 'start-0003'))
  assert.equal(box.size, 3)
  assert.equal(box.lost, 1)
  assert.deepEqual(
    box.pending.map((e) => e.id),
    ['start-0001', 'start-0002', 'start-0003'],
  )
})

test('batches keep order and stay under the size limit', () => {
  const box = new Outbox()
  for (let i = 0; i < 60; i++) box.add(start(`session-${i}`, `start-${String(i).padStart(4, '0')}`))
  const batches = box.batches()
  assert.ok(batches.length >= 3)
  for (const b of batches)
    assert.ok(JSON.stringify({ type: 'events', events: b }).length < maxBatchBytes + 100)
  assert.deepEqual(
    batches.flat().map((e) => e.id),
    box.pending.map((e) => e.id),
  )
})

// a stand-in for localStorage: what the screen would find after a reload
function memoryStore(initial: unknown = []) {
  let saved = JSON.stringify(initial)
  return {
    load: () => JSON.parse(saved) as unknown,
    save: (events: readonly StationEvent[]) => void (saved = JSON.stringify(events)),
    get saved() {
      return JSON.parse(saved) as StationEvent[]
    },
  }
}

test('unacknowledged events outlive a reload; settled ones do not come back', () => {
  const store = memoryStore()
  const before = new Outbox(500, store)
  before.add(start('session-1', 'start-0001'))
  before.add(tick('session-1', 'tick-00001', 1000))
  before.add(tick('session-2', 'tick-00002', 1000))
  before.settle(['start-0001'])
  const after = new Outbox(500, store)
  assert.deepEqual(
    after.pending.map((e) => e.id),
    ['tick-00001', 'tick-00002'],
  )
  after.settle(['tick-00001', 'tick-00002'])
  assert.deepEqual(new Outbox(500, store).pending, [])
})

test('what the store hands back is checked: malformed or extra-field events are left behind, the limit holds', () => {
  const good = tick('session-1', 'tick-00001', 1000)
  const store = memoryStore([
    good,
    { ...good, id: 'x' },
    { ...good, id: 'tick-00002', dwellMs: -1 },
    { ...good, id: 'tick-00003', kind: 'face.box' },
    { ...good, id: 'tick-00004', box: [10, 20, 30, 40] },
    'not an event',
    null,
    start('session-2', 'start-0002'),
  ])
  assert.deepEqual(
    new Outbox(500, store).pending.map((e) => e.id),
    ['tick-00001', 'start-0002'],
  )
  assert.equal(new Outbox(1, store).size, 1)
  assert.equal(new Outbox(500, { load: () => '{not json', save: () => undefined }).size, 0)
  const broken = new Outbox(500, {
    load: () => {
      throw new Error('storage disabled')
    },
    save: () => {
      throw new Error('quota')
    },
  })
  broken.add(good)
  assert.equal(broken.size, 1, 'a store that refuses does not lose the event in memory')
})

test('plays are bounded apart from camera events and never coalesced; item totals coalesce per session and item', () => {
  const outbox = new Outbox(3, undefined, 4)
  const play = (n: number) => ({
    type: 'event' as const,
    id: `play-${String(n).padStart(6, '0')}`,
    kind: 'play' as const,
    item: 'item-aaaaaaaa',
    version: 1,
    startedAt: n * 1000,
    endedAt: n * 1000 + 900,
    at: n * 1000 + 900,
  })
  for (let n = 0; n < 6; n++) outbox.add(play(n))
  const item = (id: string, dwellMs: number) => ({
    type: 'event' as const,
    id,
    kind: 'session.item' as const,
    session: 'session-1',
    item: 'item-aaaaaaaa',
    version: 1,
    at: dwellMs,
    dwellMs,
    attentionMs: 0,
  })
  outbox.add(start('session-1', 'start-0001'))
  outbox.add(item('item-00001', 1000))
  outbox.add(item('item-00002', 2000))
  assert.deepEqual(
    outbox.pending.map((e) => e.id),
    ['play-000002', 'play-000003', 'play-000004', 'play-000005', 'start-0001', 'item-00002'],
  )
  assert.equal(outbox.lost, 2, 'the two oldest plays past the play bound')
})
