// The station's WebSocket: hello with the stored device token, reconnect with backoff, resend unacked events.
import { Outbox, outboxLimit, type OutboxStore, type StationEvent } from './outbox.ts'
import type { Manifest } from './player/manifest.ts'

export const stationSocketPath = '/api/v1/stations/socket'
export const tokenKey = (stationId: string) => `showroom.station.${stationId}`
export const outboxKey = (stationId: string) => `showroom.outbox.${stationId}`

// the outbox of this screen in localStorage: unacknowledged events outlive a reload or a power cut
export function localOutboxStore(stationId: string): OutboxStore {
  return {
    load: () => JSON.parse(localStorage.getItem(outboxKey(stationId)) ?? '[]'),
    save: (events) =>
      events.length
        ? localStorage.setItem(outboxKey(stationId), JSON.stringify(events))
        : localStorage.removeItem(outboxKey(stationId)),
  }
}
export const backoff = { firstMs: 500, maxMs: 8000 }
// events sent and not yet answered, at most: a long backlog goes out as the server answers, not all at once
export const maxInFlight = 200
// an event dropped for rate is kept and sent again this much later
export const rateRetryMs = 5000

export type Welcome = {
  type: 'welcome'
  station: { id: string; kind: string; officeId: string; zone: string; modelVariant: string }
}
export type ServerPush =
  | Welcome
  | { type: 'ack'; ids: string[] }
  | { type: 'drop'; id: string; reason: string }
  | { type: 'session.begin'; consent: string; visit: string | null }
  | { type: 'session.stop'; consent: string; reason: 'withdrawn' }
  | { type: 'consent.granted'; request: string; consent: string; receiptUrl: string; receiptSvg: string }
  | { type: 'consent.refused'; request: string; reason: string }
  | { type: 'notice'; lang: string; version: number; sha256: string }
  | { type: 'playlist'; manifest: Manifest }
  | { type: 'error'; code: string }

export type LinkState = 'connecting' | 'online' | 'offline' | 'unpaired'

export class StationLink {
  readonly outbox: Outbox
  state: LinkState = 'connecting'
  #socket: WebSocket | null = null
  #attempt = 0
  #timer: ReturnType<typeof setTimeout> | undefined
  #retry: ReturnType<typeof setTimeout> | undefined
  #stopped = false
  // ids sent on the current connection and not yet settled: not sent twice on one connection
  #inFlight = new Set<string>()
  dropped: { id: string; reason: string }[] = []

  constructor(
    readonly stationId: string,
    readonly onPush: (message: ServerPush) => void,
    readonly onState: (state: LinkState) => void = () => undefined,
    // how many events wait for the server's answer (shown on the page for staff and tests)
    readonly onPending: (count: number) => void = () => undefined,
  ) {
    this.outbox = new Outbox(outboxLimit, localOutboxStore(stationId))
  }

  get token(): string | null {
    return localStorage.getItem(tokenKey(this.stationId))
  }

  start() {
    // events kept from before a reload wait for the server like any others
    if (this.outbox.size) this.onPending(this.outbox.size)
    if (!this.token) return this.#setState('unpaired')
    this.#connect()
  }

  stop() {
    this.#stopped = true
    clearTimeout(this.#timer)
    this.#socket?.close()
  }

  // queued first, so nothing is lost while offline; sent at once when the socket is up
  send(event: StationEvent) {
    this.outbox.add(event)
    this.onPending(this.outbox.size)
    if (this.state === 'online') this.#flush()
  }

  // a request that only makes sense now (consent at the kiosk): not buffered
  request(message: Record<string, unknown>): boolean {
    if (this.state !== 'online' || !this.#socket) return false
    this.#socket.send(JSON.stringify(message))
    return true
  }

  #connect() {
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${stationSocketPath}`
    const socket = new WebSocket(url)
    this.#socket = socket
    this.#setState('connecting')
    this.#inFlight.clear()
    socket.onopen = () => socket.send(JSON.stringify({ type: 'hello', token: this.token }))
    socket.onmessage = (e) => {
      let message: ServerPush
      try {
        message = JSON.parse(String(e.data)) as ServerPush
      } catch {
        return
      }
      if (message.type === 'welcome') {
        this.#attempt = 0
        this.#setState('online')
        this.#flush()
      } else if (message.type === 'ack') {
        this.outbox.settle(message.ids)
        for (const id of message.ids) this.#inFlight.delete(id)
        this.onPending(this.outbox.size)
        this.#flush()
      } else if (message.type === 'drop' && message.reason === 'rate') {
        // the server is busy with this station's backlog: not lost, sent again a little later
        this.#inFlight.delete(message.id)
        clearTimeout(this.#retry)
        this.#retry = setTimeout(() => this.#flush(), rateRetryMs)
      } else if (message.type === 'drop') {
        this.dropped.push({ id: message.id, reason: message.reason })
        this.outbox.settle([message.id])
        this.#inFlight.delete(message.id)
        this.onPending(this.outbox.size)
        this.#flush()
      }
      this.onPush(message)
    }
    socket.onclose = (e) => {
      if (this.#socket !== socket) return
      this.#socket = null
      // 4001: unknown or revoked device token; retrying cannot help until the screen is paired again
      if (e.code === 4001) return this.#setState('unpaired')
      this.#setState('offline')
      if (this.#stopped) return
      const delay =
        Math.min(backoff.maxMs, backoff.firstMs * 2 ** this.#attempt++) * (0.75 + Math.random() / 2)
      this.#timer = setTimeout(() => this.#connect(), delay)
    }
  }

  #flush() {
    const socket = this.#socket
    if (!socket || socket.readyState !== WebSocket.OPEN) return
    const room = maxInFlight - this.#inFlight.size
    if (room <= 0) return
    const unsent = this.outbox.pending.filter((e) => !this.#inFlight.has(e.id)).slice(0, room)
    for (const e of unsent) this.#inFlight.add(e.id)
    for (const batch of Outbox.batch(unsent)) {
      socket.send(JSON.stringify(batch.length === 1 ? batch[0] : { type: 'events', events: batch }))
    }
  }

  #setState(state: LinkState) {
    this.state = state
    this.onState(state)
  }
}
