// A consent session at a station: picks the consenting face, measures dwell and attention, ends when they leave.
import { FaceTracker, pickConsentingFace, type Track } from './tracker.ts'
import { isAttentive } from './attention.ts'
import { newEventId } from './ids.ts'
import type { StationEvent } from './outbox.ts'

export const tickMs = 1000
// no consenting face for this long → the session ends ('gone'); also the time allowed to find it at the start
export const goneMs = 4000
export const maxSessionMs = 15 * 60_000

export type SessionEndReason = 'gone' | 'withdrawn' | 'timeout' | 'station' | 'closed'

// the content item on screen now (signage/player), for attention per item
export type OnScreen = () => { item: string; version: number } | null

type ItemTotals = { item: string; version: number; dwellMs: number; attentionMs: number; changed: boolean }

export type SessionStats = {
  dwellMs: number
  attentionMs: number
  framesAnalysed: number
  framesDropped: number
}

export class ConsentSession {
  readonly id = newEventId()
  readonly stats: SessionStats = { dwellMs: 0, attentionMs: 0, framesAnalysed: 0, framesDropped: 0 }
  consentingTrackId: number | null = null
  // per item shown while the visitor was there: the same frame time as the session's totals, split by item
  readonly items = new Map<string, ItemTotals>()
  ended: SessionEndReason | null = null
  #lastSeenAt: number
  #lastFrameAt: number | null = null
  #lastTickAt: number

  constructor(
    readonly consent: string,
    readonly startedAt: number,
    readonly emit: (event: StationEvent) => void,
    // frame times are monotonic (performance.now); events carry wall-clock time for the server
    readonly wallClock: () => number = () => Date.now(),
    readonly onScreen: OnScreen = () => null,
  ) {
    this.#lastSeenAt = startedAt
    this.#lastTickAt = startedAt
    emit({
      type: 'event',
      id: newEventId(),
      kind: 'session.start',
      session: this.id,
      consent,
      at: Math.round(wallClock()),
    })
  }

  // one analysed frame: follow (or find) the consenting face and count what the screen saw
  onAnalysedFrame(
    tracker: FaceTracker,
    frameNo: number,
    frame: { width: number; height: number },
    now: number,
  ) {
    if (this.ended) return
    this.stats.framesAnalysed++
    if (this.consentingTrackId === null || !tracker.pinned) {
      const chosen = pickConsentingFace(tracker.tracks, frameNo, frame)
      if (chosen) {
        this.consentingTrackId = chosen.id
        tracker.pin(chosen.id)
      } else this.consentingTrackId = null
    }
    const me = tracker.pinned
    const dt = this.#lastFrameAt === null ? 0 : Math.min(now - this.#lastFrameAt, 1000)
    this.#lastFrameAt = now
    if (me && me.lastSeen === frameNo) {
      this.#lastSeenAt = now
      const attentive = isAttentive(me.keypoints)
      this.stats.dwellMs += dt
      if (attentive) this.stats.attentionMs += dt
      const shown = this.onScreen()
      if (shown && dt > 0) {
        const key = `${shown.item}@${shown.version}`
        let totals = this.items.get(key)
        if (!totals) this.items.set(key, (totals = { ...shown, dwellMs: 0, attentionMs: 0, changed: true }))
        totals.dwellMs += dt
        if (attentive) totals.attentionMs += dt
        totals.changed = true
      }
    }
    this.#checkTime(now)
  }

  // a frame the station could not analyse (detector error, stale result): counted, never shown sharp
  onDroppedFrame(now: number) {
    if (this.ended) return
    this.stats.framesDropped++
    this.#lastFrameAt = now
    this.#checkTime(now)
  }

  end(reason: SessionEndReason, now: number) {
    if (this.ended) return
    this.ended = reason
    this.#emitItems()
    this.emit(this.#numbers('session.end', now, reason))
  }

  get consenting(): Track['id'] | null {
    return this.ended ? null : this.consentingTrackId
  }

  #checkTime(now: number) {
    if (now - this.#lastSeenAt >= goneMs) return this.end('gone', now)
    if (now - this.startedAt >= maxSessionMs) return this.end('timeout', now)
    if (now - this.#lastTickAt >= tickMs) {
      this.#lastTickAt = now
      this.#emitItems()
      this.emit(this.#numbers('session.tick', now))
    }
  }

  // each item's running totals, sent with the tick that carries the session's (so they sum up at every tick)
  #emitItems() {
    const at = Math.round(this.wallClock())
    for (const totals of this.items.values()) {
      if (!totals.changed) continue
      totals.changed = false
      this.emit({
        type: 'event',
        id: newEventId(),
        kind: 'session.item',
        session: this.id,
        item: totals.item,
        version: totals.version,
        at,
        dwellMs: Math.round(totals.dwellMs),
        attentionMs: Math.round(totals.attentionMs),
      })
    }
  }

  #numbers(kind: 'session.tick' | 'session.end', _now: number, reason?: SessionEndReason): StationEvent {
    return {
      type: 'event',
      id: newEventId(),
      kind,
      session: this.id,
      at: Math.round(this.wallClock()),
      dwellMs: Math.round(this.stats.dwellMs),
      attentionMs: Math.round(this.stats.attentionMs),
      framesAnalysed: this.stats.framesAnalysed,
      framesDropped: this.stats.framesDropped,
      ...(reason ? { reason } : {}),
    }
  }
}
