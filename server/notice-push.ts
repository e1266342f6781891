// Live notice switch: when a notice version is published, every screen of that office is told at once.
import type { AppDeps } from './context.ts'
import { listStations } from '../models/offices.ts'
import { currentNotice, type Language } from '../models/consents.ts'
import { topics } from './live.ts'
import type { ServerMessage } from './station-protocol.ts'

export function registerNoticePush(deps: AppDeps) {
  deps.events?.on(async (event) => {
    if (event.type !== 'notice.published') return
    const notice = await currentNotice(deps.database.db, event.officeId, event.lang as Language)
    if (!notice) return
    const message: ServerMessage = {
      type: 'notice',
      lang: notice.lang,
      version: notice.version,
      sha256: notice.sha256,
    }
    for (const station of await listStations(deps.database.db, event.officeId)) {
      deps.live.publish(topics.station(station.id), JSON.stringify(message))
    }
  })
}
