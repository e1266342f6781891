// Station sessions from the server side: consent given at a kiosk, a display QR scanned, consent withdrawn.
import type { AppDeps } from './context.ts'
import type { ServerMessage } from './station-protocol.ts'
import type { StationRow } from './station-events.ts'
import { topics } from './live.ts'
import { issueReceipt } from './receipts.ts'
import { qrSvg } from './qr.ts'
import { activeConsentForVisit, currentNotice, grantConsent, type Language } from '../models/consents.ts'
import { listStations } from '../models/offices.ts'
import { appendAudit } from '../models/audit.ts'

const publish = (deps: AppDeps, stationId: string, message: ServerMessage) =>
  deps.live.publish(topics.station(stationId), JSON.stringify(message))

export type KioskConsentResult =
  | { ok: true; consent: string; receiptUrl: string; receiptSvg: string }
  | { ok: false; reason: 'not-a-kiosk' | 'notice-changed' }

// Agree tapped on a kiosk: a consent tied to the notice hash the kiosk showed, a receipt, and a session there
export async function grantKioskConsent(
  deps: AppDeps,
  station: StationRow,
  { noticeSha256, lang, origin }: { noticeSha256: string; lang: Language; origin: string },
): Promise<KioskConsentResult> {
  if (station.kind !== 'kiosk') return { ok: false, reason: 'not-a-kiosk' }
  const notice = await currentNotice(deps.database.db, station.officeId, lang)
  // the person agreed to what the screen showed; if that is no longer current, they must see the new one first
  if (!notice || notice.sha256 !== noticeSha256) return { ok: false, reason: 'notice-changed' }
  const now = deps.clock.now()
  const granted = await deps.database.write(async (tx) => {
    const consent = await grantConsent({
      tx,
      input: { officeId: station.officeId, visitId: null, noticeId: notice.id, givenAt: station.id },
      now,
    })
    await appendAudit(tx, {
      at: now,
      officeId: station.officeId,
      actorType: 'station',
      actorId: station.id,
      action: 'consent.granted',
      target: consent.id,
    })
    return consent
  })
  const token = await issueReceipt(deps, granted)
  deps.events?.emit({
    type: 'consent.changed',
    officeId: station.officeId,
    consentId: granted.id,
    visitId: null,
    granted: true,
  })
  publish(deps, station.id, { type: 'session.begin', consent: granted.id, visit: null })
  const receiptUrl = `${origin}/receipt/${token}`
  return { ok: true, consent: granted.id, receiptUrl, receiptSvg: await qrSvg(receiptUrl) }
}

// a visitor with camera consent scanned a station's QR: that station starts a session for them
export async function startVisitorSession(
  deps: AppDeps,
  station: StationRow,
  visitId: string,
): Promise<'started' | 'offline' | 'need-consent'> {
  const consent = await activeConsentForVisit(deps.database.db, visitId)
  if (!consent || consent.officeId !== station.officeId) return 'need-consent'
  const reached = publish(deps, station.id, { type: 'session.begin', consent: consent.id, visit: visitId })
  return reached > 0 ? 'started' : 'offline'
}

// withdrawal reaches every station of the office at once; they stop the session and blur everything again
export function registerSignageListeners(deps: AppDeps) {
  return deps.events?.on(async (event) => {
    if (event.type !== 'consent.changed' || event.granted) return
    for (const station of await listStations(deps.database.db, event.officeId)) {
      publish(deps, station.id, { type: 'session.stop', consent: event.consentId, reason: 'withdrawn' })
    }
  })
}
