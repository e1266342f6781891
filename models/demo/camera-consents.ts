// The camera side of a demo visit: a separate consent, sessions at the display zones with dwell and attention, and
// now and then a withdrawal that deletes them — each through the product's verbs at its simulated time.
import type { Tx } from '../db.ts'
import { grantConsent, withdrawConsent } from '../consents.ts'
import { startCameraSession, updateCameraSession } from '../camera.ts'
import { newId } from '../ids.ts'
import type { Random } from './random.ts'
import type { EventQueue } from './event-queue.ts'
import type { DemoCast, HistoryCounts } from './history.ts'

const minute = 60_000
const hour = 60 * minute

export function cameraConsents({
  tx,
  cast,
  random,
  queue,
  counts,
}: {
  tx: Tx
  cast: DemoCast
  random: Random
  queue: EventQueue
  counts: HistoryCounts
}) {
  const { officeId } = cast
  // separate camera consent on the phone or at the kiosk, then time at the sand table and a model unit
  return (at: number, visitId: string) =>
    queue.at(at, async (t) => {
      const english = random.chance(0.15)
      const granted = await grantConsent({
        tx,
        input: {
          officeId,
          visitId,
          noticeId: english ? cast.noticeIds.en : cast.noticeIds.zh,
          givenAt: random.chance(0.6) ? 'phone' : cast.kioskId,
        },
        now: t,
      })
      counts.consents++
      let start = t + random.int(1, 5) * minute
      for (const stationId of cast.zoneStationIds) {
        if (random.chance(0.25)) continue
        const dwellMs = random.int(40, 540) * 1000
        const startedAt = start
        queue.at(startedAt, async () => {
          const id = newId()
          await startCameraSession({
            tx,
            input: { id, officeId, stationId, consentId: granted.id, visitId, startedAt },
            now: startedAt,
          })
          const attentionMs = Math.round(dwellMs * (0.35 + random.next() * 0.5))
          const frames = Math.round(dwellMs / 100)
          await updateCameraSession({
            tx,
            input: {
              id,
              at: startedAt + dwellMs,
              dwellMs,
              attentionMs,
              framesAnalysed: frames,
              framesDropped: random.int(0, Math.round(frames / 50)),
              endReason: 'gone',
            },
            now: startedAt + dwellMs,
          })
          counts.sessions++
        })
        start += dwellMs + random.int(2, 10) * minute
      }
      if (random.chance(0.08)) {
        queue.at(t + random.int(1, 240) * hour, async (t2) => {
          const withdrawn = await withdrawConsent({ tx, consentId: granted.id, now: t2 })
          counts.withdrawn++
          counts.sessions -= withdrawn?.sessionsDeleted ?? 0
        })
      }
    })
}
