// Camera sessions as numbers only (dwell, attention, frame counts) and the ids of station events already applied.
import { eq, inArray } from 'drizzle-orm'
import { z } from 'zod'
import type { Db, Tx } from './db.ts'
import { cameraSessions, consents, sessionEndReasons, stationEvents } from './consents.ts'

const id = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/)
const count = z.number().int().min(0).max(1e9)

// which of these station event ids were applied before (a resend after a reconnect must not count twice)
export async function appliedEventIds(db: Db | Tx, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set()
  const rows = await db
    .select({ id: stationEvents.id })
    .from(stationEvents)
    .where(inArray(stationEvents.id, ids))
  return new Set(rows.map((r) => r.id))
}

const appliedEvents = z.object({ stationId: z.string().min(1), ids: z.array(id) })

export async function recordAppliedEvents({
  tx,
  input,
  now,
}: {
  tx: Tx
  input: { stationId: string; ids: string[] }
  now: number
}) {
  const valid = appliedEvents.parse(input)
  if (valid.ids.length === 0) return
  await tx
    .insert(stationEvents)
    .values(valid.ids.map((eventId) => ({ id: eventId, stationId: valid.stationId, receivedAt: now })))
}

export async function getCameraSession(db: Db | Tx, sessionId: string) {
  const [session] = await db.select().from(cameraSessions).where(eq(cameraSessions.id, sessionId))
  return session ?? null
}

// the consent a session may run under: exists, not withdrawn, same office
export async function usableConsent(db: Db | Tx, consentId: string, officeId: string) {
  const [consent] = await db.select().from(consents).where(eq(consents.id, consentId))
  if (!consent || consent.withdrawnAt || consent.officeId !== officeId) return null
  return consent
}

export const cameraSessionStart = z.object({
  id,
  officeId: z.string().min(1),
  stationId: z.string().min(1),
  consentId: z.string().min(1),
  visitId: z.string().min(1).nullable(),
  startedAt: z.number().int().nonnegative(),
})

export async function startCameraSession({
  tx,
  input,
  now,
}: {
  tx: Tx
  input: z.input<typeof cameraSessionStart>
  now: number
}) {
  const valid = cameraSessionStart.parse(input)
  const [session] = await tx
    .insert(cameraSessions)
    .values({ ...valid, lastEventAt: valid.startedAt })
    .returning()
  return session!
}

export const cameraSessionNumbers = z.object({
  id,
  at: z.number().int().nonnegative(),
  dwellMs: count,
  attentionMs: count,
  framesAnalysed: count,
  framesDropped: count,
  // set when the station ended the session
  endReason: z.enum(sessionEndReasons).optional(),
})

// running totals from the station replace the stored ones (ticks are cumulative, so a lost tick loses nothing)
export async function updateCameraSession({
  tx,
  input,
}: {
  tx: Tx
  input: z.input<typeof cameraSessionNumbers>
  now: number
}) {
  const valid = cameraSessionNumbers.parse(input)
  await tx
    .update(cameraSessions)
    .set({
      dwellMs: valid.dwellMs,
      attentionMs: valid.attentionMs,
      framesAnalysed: valid.framesAnalysed,
      framesDropped: valid.framesDropped,
      lastEventAt: valid.at,
      ...(valid.endReason ? { endedAt: valid.at, endReason: valid.endReason } : {}),
    })
    .where(eq(cameraSessions.id, valid.id))
}
