// Unacknowledged station events, bounded: kept across reconnects, resent in small batches, removed on ack/drop.
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

export const outboxLimit = 500
// the server refuses messages over 4 KiB; batches stay well under
export const maxBatchBytes = 3500

export class Outbox {
  #events: StationEvent[] = []
  lost = 0

  constructor(readonly limit = outboxLimit) {}

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
    this.#events.push(event)
    while (this.#events.length > this.limit) {
      // full: lose the oldest tick first, starts and ends last
      const tick = this.#events.findIndex((e) => e.kind === 'session.tick')
      this.#events.splice(tick >= 0 ? tick : 0, 1)
      this.lost++
    }
  }

  // acknowledged or dropped by the server: either way it is never sent again
  settle(ids: Iterable<string>) {
    const done = new Set(ids)
    this.#events = this.#events.filter((e) => !done.has(e.id))
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
