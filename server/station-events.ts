// Station event pipeline: named steps, each able to drop an event with a typed reason; what is kept is numbers only.
import type { AppDeps } from './context.ts'
import type { stations } from '../models/offices.ts'
import type { Tx } from '../models/db.ts'
import { sessionEventMessage, type SessionEventMessage } from './station-protocol.ts'
import { RateLimiter } from './middleware/rate-limit.ts'
import {
  appliedEventIds,
  getCameraSession,
  recordAppliedEvents,
  startCameraSession,
  updateCameraSession,
  usableConsent,
} from '../models/camera.ts'
import { recordItemAttention, recordPlay } from '../models/content.ts'

export type StationRow = typeof stations.$inferSelect

export const dropReasons = [
  'malformed',
  'rate',
  'duplicate',
  'stale',
  'no-consent',
  'unknown-session',
  'session-closed',
  'wrong-station',
  'unknown-item',
  'implausible',
] as const
export type DropReason = (typeof dropReasons)[number]
export type PipelineOutcome = { ack: true } | { ack: false; reason: DropReason }

// events buffered through an outage may be this old; older ones describe a session nobody can vouch for
export const maxEventAgeMs = 24 * 3600_000
// a station clock this far ahead is wrong; its events are not trusted
export const maxClockSkewMs = 5 * 60_000
// per station per minute: a session ticks once a second; a reconnect resends a bounded, coalesced backlog
export const stationEventsPerMinute = 600
// plays have their own budget: a display back from a long outage sends its backlog (the link retries a play
// dropped for rate, so a backlog drains instead of being lost)
export const stationPlaysPerMinute = 1200
// a display keeps plays through an outage this long
export const maxPlayAgeMs = 48 * 3600_000
// one item on screen at most this long (a day-long still image is not a play but a stuck screen)
export const maxPlayMs = 4 * 3600_000

const limiters = new WeakMap<AppDeps, { events: RateLimiter; plays: RateLimiter }>()
const limiterOf = (deps: AppDeps, event: SessionEventMessage) => {
  let limiter = limiters.get(deps)
  if (!limiter) {
    limiter = {
      events: new RateLimiter(stationEventsPerMinute, 60_000),
      plays: new RateLimiter(stationPlaysPerMinute, 60_000),
    }
    limiters.set(deps, limiter)
  }
  return event.kind === 'play' ? limiter.plays : limiter.events
}

type Step<T> = { ok: true; value: T } | { ok: false; reason: DropReason }
const drop = (reason: DropReason) => ({ ok: false, reason }) as const

// step 1: the shape (ids, kinds, non-negative integer counters); anything else is malformed
export function validateShape(raw: unknown): Step<SessionEventMessage> {
  const parsed = sessionEventMessage.safeParse(raw)
  return parsed.success ? { ok: true, value: parsed.data } : drop('malformed')
}

// step 2: per-station rate
export function withinRate(
  deps: AppDeps,
  station: StationRow,
  event: SessionEventMessage,
  now: number,
): Step<null> {
  return limiterOf(deps, event).hit(station.id, now) ? { ok: true, value: null } : drop('rate')
}

// step 3: the event's own time must be plausible
export function fresh(event: SessionEventMessage, now: number): Step<null> {
  const maxAge = event.kind === 'play' ? maxPlayAgeMs : maxEventAgeMs
  if (event.at < now - maxAge || event.at > now + maxClockSkewMs) return drop('stale')
  if (event.kind === 'play') {
    const length = event.endedAt - event.startedAt
    if (length < 0 || length > maxPlayMs || event.endedAt > event.at) return drop('implausible')
  }
  if (event.kind === 'session.item' && event.attentionMs > event.dwellMs) return drop('implausible')
  return { ok: true, value: null }
}

type SessionRow = NonNullable<Awaited<ReturnType<typeof getCameraSession>>>
// what one batch has read and changed: each session and consent is read once, each changed session written once
type BatchState = {
  seen: Set<string>
  sessions: Map<string, SessionRow | null>
  consents: Map<string, boolean>
  changed: Set<string>
}

async function sessionOf(tx: Tx, state: BatchState, id: string) {
  if (!state.sessions.has(id)) state.sessions.set(id, await getCameraSession(tx, id))
  return state.sessions.get(id)!
}

async function consentHolds(tx: Tx, state: BatchState, consentId: string, officeId: string) {
  if (!state.consents.has(consentId))
    state.consents.set(consentId, !!(await usableConsent(tx, consentId, officeId)))
  return state.consents.get(consentId)!
}

// steps 4–6 run inside the batch's transaction: duplicate, consent/session state, then apply (in memory for
// ticks; the batch writes each session's final totals once, which is what the cumulative numbers allow)
async function applyEvent(
  tx: Tx,
  station: StationRow,
  event: SessionEventMessage,
  state: BatchState,
  now: number,
): Promise<PipelineOutcome> {
  if (state.seen.has(event.id)) return { ack: false, reason: 'duplicate' }
  if (event.kind === 'play') {
    const stored = await recordPlay({
      tx,
      input: {
        id: event.id,
        officeId: station.officeId,
        stationId: station.id,
        itemId: event.item,
        version: event.version,
        startedAt: event.startedAt,
        endedAt: event.endedAt,
      },
      now,
    })
    if (stored !== 'stored') return { ack: false, reason: stored }
    state.seen.add(event.id)
    return { ack: true }
  }
  const session = await sessionOf(tx, state, event.session)
  if (event.kind === 'session.start') {
    if (session)
      return { ack: false, reason: session.stationId === station.id ? 'duplicate' : 'wrong-station' }
    const consent = await usableConsent(tx, event.consent, station.officeId)
    if (!consent) return { ack: false, reason: 'no-consent' }
    const started = await startCameraSession({
      tx,
      input: {
        id: event.session,
        officeId: station.officeId,
        stationId: station.id,
        consentId: consent.id,
        visitId: consent.visitId,
        startedAt: event.at,
      },
      now,
    })
    state.sessions.set(event.session, started)
  } else {
    // a session deleted by a withdrawal is unknown from here on: its numbers are not to be kept
    if (!session) return { ack: false, reason: 'unknown-session' }
    if (session.stationId !== station.id) return { ack: false, reason: 'wrong-station' }
    if (session.endedAt !== null) return { ack: false, reason: 'session-closed' }
    if (!(await consentHolds(tx, state, session.consentId, station.officeId)))
      return { ack: false, reason: 'no-consent' }
    if (event.kind === 'session.item') {
      const outcome = await recordItemAttention({
        tx,
        input: {
          sessionId: session.id,
          itemId: event.item,
          version: event.version,
          officeId: station.officeId,
          stationId: station.id,
          startedAt: session.startedAt,
          at: event.at,
          dwellMs: event.dwellMs,
          attentionMs: event.attentionMs,
        },
      })
      if (outcome === 'stale') return { ack: false, reason: 'stale' }
      state.seen.add(event.id)
      return { ack: true }
    }
    // totals are cumulative: an older event arriving after a newer one carries nothing new
    if (event.at < session.lastEventAt) return { ack: false, reason: 'stale' }
    Object.assign(session, {
      dwellMs: event.dwellMs,
      attentionMs: event.attentionMs,
      framesAnalysed: event.framesAnalysed,
      framesDropped: event.framesDropped,
      lastEventAt: event.at,
      ...(event.kind === 'session.end' ? { endedAt: event.at, endReason: event.reason ?? 'closed' } : {}),
    })
    state.changed.add(session.id)
  }
  state.seen.add(event.id)
  return { ack: true }
}

// one batch from one station: outcome per event id, all writes in one transaction, one change event per session
export async function acceptStationEvents(
  deps: AppDeps,
  station: StationRow,
  events: unknown[],
): Promise<Map<string, PipelineOutcome>> {
  const now = deps.clock.now()
  const outcomes = new Map<string, PipelineOutcome>()
  const candidates: SessionEventMessage[] = []
  for (const raw of events) {
    const shape = validateShape(raw)
    const rawId = (raw as { id?: unknown } | null)?.id
    if (!shape.ok) {
      if (typeof rawId === 'string' && rawId.length <= 64)
        outcomes.set(rawId, { ack: false, reason: shape.reason })
      continue
    }
    const event = shape.value
    const rated = withinRate(deps, station, event, now)
    const step = rated.ok ? fresh(event, now) : rated
    if (!step.ok) outcomes.set(event.id, { ack: false, reason: step.reason })
    else candidates.push(event)
  }
  if (candidates.length === 0) return outcomes
  const changed = await deps.database.write(async (tx) => {
    const state: BatchState = {
      seen: await appliedEventIds(
        tx,
        candidates.map((e) => e.id),
      ),
      sessions: new Map(),
      consents: new Map(),
      changed: new Set(),
    }
    const applied: string[] = []
    const touched = new Set<string>()
    for (const event of candidates) {
      const outcome = await applyEvent(tx, station, event, state, now)
      outcomes.set(event.id, outcome)
      if (outcome.ack) {
        applied.push(event.id)
        if (event.kind !== 'play') touched.add(event.session)
      }
    }
    for (const id of state.changed) {
      const session = state.sessions.get(id)!
      await updateCameraSession({
        tx,
        input: {
          id,
          at: session.lastEventAt,
          dwellMs: session.dwellMs,
          attentionMs: session.attentionMs,
          framesAnalysed: session.framesAnalysed,
          framesDropped: session.framesDropped,
          endReason: session.endedAt !== null ? (session.endReason ?? 'closed') : undefined,
        },
        now,
      })
    }
    await recordAppliedEvents({ tx, input: { stationId: station.id, ids: applied }, now })
    return [...touched].map((id) => state.sessions.get(id)!)
  })
  for (const session of changed) {
    deps.events?.emit({
      type: 'camera-session.changed',
      officeId: session.officeId,
      sessionId: session.id,
      visitId: session.visitId,
      stationId: session.stationId,
    })
  }
  return outcomes
}
