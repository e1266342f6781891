// Live office text: when a notice version is published or the office settings change, every screen of that office
// is told at once (kiosks switch notice, entrance screens redraw their text in place).
import type { AppDeps } from './context.ts'
import { getOffice, listStations } from '../models/offices.ts'
import { currentNotice, languages, type Language } from '../models/consents.ts'
import type { Db } from '../models/db.ts'
import { topics } from './live.ts'
import type { EntranceText, ServerMessage } from './station-protocol.ts'

export async function entranceText(db: Db, officeId: string, lang: Language): Promise<EntranceText | null> {
  const office = await getOffice(db, officeId)
  if (!office) return null
  const notice = await currentNotice(db, officeId, lang)
  return {
    name: lang === 'en' && office.nameEn ? office.nameEn : office.name,
    contact: office.needsSetup ? '' : `${office.processorName} · ${office.privacyContact}`,
    address: office.address,
    short: office.needsSetup ? '' : (notice?.body.short ?? ''),
    settingUp: office.needsSetup,
  }
}

export function registerNoticePush(deps: AppDeps) {
  deps.events?.on(async (event) => {
    if (event.type !== 'notice.published' && event.type !== 'office.changed') return
    const stations = await listStations(deps.database.db, event.officeId)
    const send = (stationId: string, message: ServerMessage) =>
      deps.live.publish(topics.station(stationId), JSON.stringify(message))
    if (event.type === 'notice.published') {
      const notice = await currentNotice(deps.database.db, event.officeId, event.lang as Language)
      if (!notice) return
      const message: ServerMessage = {
        type: 'notice',
        lang: notice.lang,
        version: notice.version,
        sha256: notice.sha256,
      }
      // every screen learns the version (a kiosk switches to it); an entrance screen redraws from entrance.text
      for (const station of stations) send(station.id, message)
    }
    const texts: Record<string, EntranceText> = {}
    for (const lang of languages) {
      const text = await entranceText(deps.database.db, event.officeId, lang)
      if (text) texts[lang] = text
    }
    for (const station of stations) {
      if (station.kind === 'entrance') send(station.id, { type: 'entrance.text', texts })
    }
  })
}
