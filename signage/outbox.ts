// Unacknowledged station events, bounded: kept across reconnects and page reloads, resent in small batches,
// removed on ack/drop.
export type StationEvent =
  | { type: 'event'; id: string; kind: 'session.start'; session: string; consent: string; at: number }
  | {
      type: 'event'
      id: string
      kind: 'session.tick' | 'session.end'
      session: string
      at: number
      dwellMs: number
      attentionMs: number
      framesAnalysed: number
      framesDropped: number
      reason?: 'gone' | 'withdrawn' | 'timeout' | 'station' | 'closed'
    }
  // a consented session's running totals in front of one item (signage/session.ts)
  | {
      type: 'event'
      id: string
      kind: 'session.item'
      session: string
      item: string
      version: number
      at: number
      dwellMs: number
      attentionMs: number
    }
  // proof of play (signage/player/player.ts): never coalesced, never dropped before the camera events
  | {
      type: 'event'
      id: string
      kind: 'play'
      item: string
      version: number
      startedAt: number
      endedAt: number
      at: number
    }

export const outboxLimit = 500
// plays kept through an outage: about a day of 10-second items (~150 bytes each in localStorage)
export const outboxPlayLimit = 10_000
// the server refuses messages over 4 KiB; batches stay well under
export const maxBatchBytes = 3500

// where the outbox survives a reload or a power cut of the screen (localStorage in the browser): ids and
// numbers only, the same fields the server receives
export type OutboxStore = { load(): unknown; save(events: readonly StationEvent[]): void }

const idPattern = /^[A-Za-z0-9_-]{8,64}$/
const counters = ['at', 'dwellMs', 'attentionMs', 'framesAnalysed', 'framesDropped'] as const
const fields = new Set<string>([
  'type',
  'id',
  'kind',
  'session',
  'consent',
  'reason',
  'item',
  'version',
  'startedAt',
  'endedAt',
  ...counters,
])
const whole = (e: Record<string, unknown>, names: string[]) =>
  names.every((name) => Number.isInteger(e[name]) && (e[name] as number) >= 0)
const itemRef = (e: Record<string, unknown>) =>
  typeof e.item === 'string' && idPattern.test(e.item) && Number.isInteger(e.version)

// what a store hands back is checked like input: anything but a well-formed event is left behind
function storedEvent(value: unknown): value is StationEvent {
  const e = value as Record<string, unknown> | null
  if (!e || e.type !== 'event' || typeof e.id !== 'string' || !idPattern.test(e.id)) return false
  if (Object.keys(e).some((name) => !fields.has(name))) return false
  if (e.kind === 'play') return itemRef(e) && whole(e, ['startedAt', 'endedAt', 'at'])
  if (typeof e.session !== 'string' || !idPattern.test(e.session)) return false
  if (e.kind === 'session.start') return typeof e.consent === 'string' && Number.isInteger(e.at)
  if (e.kind === 'session.item') return itemRef(e) && whole(e, ['at', 'dwellMs', 'attentionMs'])
  if (e.kind !== 'session.tick' && e.kind !== 'session.end') return false
  return whole(e, [...counters])
}

export class Outbox {
  #events: StationEvent[] = []
  lost = 0

  constructor(
    readonly limit = outboxLimit,
    readonly store?: OutboxStore,
    readonly playLimit = outboxPlayLimit,
  ) {
    let saved: unknown = []
    try {
      saved = store?.load() ?? []
    } catch {
      saved = []
    }
    if (Array.isArray(saved)) {
      const events = saved.filter(storedEvent)
      // the newest of each family within its bound, in their order
      let plays = events.filter((e) => e.kind === 'play').length - playLimit
      let others = events.length - events.filter((e) => e.kind === 'play').length - limit
      this.#events = events.filter((e) => (e.kind === 'play' ? plays-- <= 0 : others-- <= 0))
    }
  }

  get size() {
    return this.#events.length
  }

  get pending(): readonly StationEvent[] {
    return this.#events
  }

  add(event: StationEvent) {
    // ticks carry running totals: a newer tick of the same session makes an unsent older one redundant
    if (event.kind === 'session.tick' || event.kind === 'session.end') {
      this.#events = this.#events.filter((e) => !(e.kind === 'session.tick' && e.session === event.session))
    }
    // so do a session's totals for one item
    if (event.kind === 'session.item') {
      this.#events = this.#events.filter(
        (e) =>
          !(
            e.kind === 'session.item' &&
            e.session === event.session &&
            e.item === event.item &&
            e.version === event.version
          ),
      )
    }
    this.#events.push(event)
    // plays and camera events are bounded apart: a long outage's plays never push out a session's end
    const plays = this.#events.filter((e) => e.kind === 'play').length
    if (plays > this.playLimit) {
      this.#events.splice(
        this.#events.findIndex((e) => e.kind === 'play'),
        1,
      )
      this.lost++
    }
    while (this.#events.length - Math.min(plays, this.playLimit) > this.limit) {
      // full: lose the oldest tick first, starts and ends last
      const tick = this.#events.findIndex((e) => e.kind === 'session.tick' || e.kind === 'session.item')
      this.#events.splice(tick >= 0 ? tick : this.#events.findIndex((e) => e.kind !== 'play'), 1)
      this.lost++
    }
    this.#save()
  }

  // acknowledged or dropped by the server: either way it is never sent again
  settle(ids: Iterable<string>) {
    const done = new Set(ids)
    const before = this.#events.length
    this.#events = this.#events.filter((e) => !done.has(e.id))
    if (this.#events.length !== before) this.#save()
  }

  #save() {
    try {
      this.store?.save(this.#events)
    } catch {
      // storage full or refused: the events are still held in memory and sent as before
    }
  }

  // the pending events in order, cut into batches that each fit in one message
  batches(): StationEvent[][] {
    return Outbox.batch(this.#events)
  }

  static batch(events: readonly StationEvent[]): StationEvent[][] {
    const out: StationEvent[][] = []
    let batch: StationEvent[] = []
    let bytes = 40
    for (const event of events) {
      const size = JSON.stringify(event).length + 1
      if (batch.length && (bytes + size > maxBatchBytes || batch.length >= 20)) {
        out.push(batch)
        batch = []
        bytes = 40
      }
      batch.push(event)
      bytes += size
    }
    if (batch.length) out.push(batch)
    return out
  }
}
