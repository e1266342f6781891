// The station WebSocket protocol (/api/v1/stations/socket): small JSON messages of numbers and ids, never images.
import { z } from 'zod'
import type { Manifest } from '../signage/player/manifest.ts'

export const stationSocketPath = '/api/v1/stations/socket'
export const maxStationMessageBytes = 4096

// station → server
export const helloMessage = z.object({ type: z.literal('hello'), token: z.string().min(1).max(4096) })

const eventId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/)
const count = z.number().int().min(0).max(1e9)
export const sessionEventMessage = z.discriminatedUnion('kind', [
  z
    .object({
      type: z.literal('event'),
      id: eventId,
      kind: z.literal('session.start'),
      session: eventId,
      consent: z.string().min(1).max(64),
      at: z.number().int().nonnegative(),
    })
    // strict: a station that sends anything but these numbers and ids (a box, a point, an image) is refused
    .strict(),
  z
    .object({
      type: z.literal('event'),
      id: eventId,
      kind: z.enum(['session.tick', 'session.end']),
      session: eventId,
      at: z.number().int().nonnegative(),
      dwellMs: count,
      attentionMs: count,
      framesAnalysed: count,
      framesDropped: count,
      reason: z.enum(['gone', 'withdrawn', 'timeout', 'station', 'closed']).optional(),
    })
    .strict(),
  // proof of play: an item a display showed, from start to end (its own clock; `at` is when it ended)
  z
    .object({
      type: z.literal('event'),
      id: eventId,
      kind: z.literal('play'),
      item: z.string().min(1).max(64),
      version: z.number().int().min(1).max(1e6),
      startedAt: z.number().int().nonnegative(),
      endedAt: z.number().int().nonnegative(),
      at: z.number().int().nonnegative(),
    })
    .strict(),
  // a consented session's running totals in front of one item (numbers only)
  z
    .object({
      type: z.literal('event'),
      id: eventId,
      kind: z.literal('session.item'),
      session: eventId,
      item: z.string().min(1).max(64),
      version: z.number().int().min(1).max(1e6),
      at: z.number().int().nonnegative(),
      dwellMs: count,
      attentionMs: count,
    })
    .strict(),
])
export type SessionEventMessage = z.infer<typeof sessionEventMessage>
// several events in one message (a backlog resent after a reconnect); each still goes through the pipeline
export const maxEventsPerBatch = 20
export const eventBatchMessage = z.object({
  type: z.literal('events'),
  events: z.array(z.unknown()).min(1).max(maxEventsPerBatch),
})
// Agree tapped on a kiosk: the hash of the notice the kiosk showed, in the language it showed it
export const consentGrantMessage = z.object({
  type: z.literal('consent.grant'),
  request: eventId,
  notice: z.string().regex(/^[0-9a-f]{64}$/),
  lang: z.enum(['zh-CN', 'en']),
})
// what a screen reports about itself (on connect, on change, every few seconds): the admin's station list shows it
export const cameraStates = ['ok', 'starting', 'lost', 'denied', 'missing', 'insecure'] as const
export type CameraState = (typeof cameraStates)[number]
export const stationStateMessage = z
  .object({
    type: z.literal('station.state'),
    camera: z.enum(cameraStates),
    detector: z.enum(['loading', 'ready', 'unavailable']),
    fps: z.number().min(0).max(240),
    // the whole frame is blurred for a failure (camera lost, model missing, detector error, stale result)
    failClosed: z.boolean(),
  })
  .strict()
export type StationState = Omit<z.infer<typeof stationStateMessage>, 'type'>

// server → station
export type ServerMessage =
  | {
      type: 'welcome'
      station: { id: string; kind: string; officeId: string; zone: string; modelVariant: string }
    }
  | { type: 'ack'; ids: string[] }
  | { type: 'drop'; id: string; reason: string }
  | { type: 'entrance.token'; url: string; svg: string; expiresAt: number }
  // a consenting visitor starts a session here (phone consent at the kiosk, or a display's QR scanned)
  | { type: 'session.begin'; consent: string; visit: string | null }
  // consent withdrawn: stop any session for it at once and blur everything again
  | { type: 'session.stop'; consent: string; reason: 'withdrawn' }
  | { type: 'notice'; lang: string; version: number; sha256: string }
  // what an entrance screen shows beside its QR, per language; it redraws in place (no reload, no lost QR)
  | { type: 'entrance.text'; texts: Record<string, EntranceText> }
  // a display's playlist: on connect and after every change (it takes effect at the next item)
  | { type: 'playlist'; manifest: Manifest }
  // answer to consent.grant: the receipt link (and its QR) the person keeps, or why not
  | { type: 'consent.granted'; request: string; consent: string; receiptUrl: string; receiptSvg: string }
  | { type: 'consent.refused'; request: string; reason: 'not-a-kiosk' | 'notice-changed' }
  | { type: 'error'; code: 'unauthorised' | 'malformed' | 'rate-limited' | 'revoked' }

// the office's name, the processor and contact line and the short notice, as an entrance screen shows them;
// `settingUp`: the office's details are not filled in yet, so nothing of them is shown
export type EntranceText = {
  name: string
  contact: string
  address: string
  short: string
  settingUp: boolean
}
