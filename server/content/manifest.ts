// A display's playlist as the player receives it, and the push that sends it to every display of an office.
import type { AppDeps } from '../context.ts'
import type { ServerMessage } from '../station-protocol.ts'
import type { Manifest } from '../../signage/player/manifest.ts'
import { topics } from '../live.ts'
import { displayStations, effectivePlaylist } from '../../models/content.ts'
import { getOffice } from '../../models/offices.ts'
import { pagePath } from './page.ts'
import type { Db } from '../../models/db.ts'

export const mediaPath = (sha256: string) => `/media/${sha256}`

export async function manifestFor(db: Db, station: { id: string; officeId: string }): Promise<Manifest> {
  const office = await getOffice(db, station.officeId)
  const { entries } = await effectivePlaylist(db, station.officeId, station.id)
  const list = entries.map((e) => ({
    entry: e.id,
    item: e.item.id,
    version: e.item.version,
    kind: e.item.kind,
    url: e.item.kind === 'page' ? pagePath(e.item.sha256) : mediaPath(e.item.sha256),
    durationMs: e.durationMs ?? e.item.durationMs,
    fromDay: e.fromDay,
    toDay: e.toDay,
    weekdays: e.weekdays,
    fromMinute: e.fromMinute,
    toMinute: e.toMinute,
  }))
  const timeZone = office?.timeZone ?? 'Asia/Shanghai'
  const digest = await crypto.subtle.digest(
    'SHA-256',
    new TextEncoder().encode(JSON.stringify([timeZone, list])),
  )
  const revision = Array.from(new Uint8Array(digest).subarray(0, 8), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('')
  return { station: station.id, timeZone, revision, entries: list }
}

export const playlistMessage = async (db: Db, station: { id: string; officeId: string }) =>
  ({ type: 'playlist', manifest: await manifestFor(db, station) }) satisfies ServerMessage

// after any change to an office's content or playlists: each connected display gets its playlist now and
// switches at its next item (a deleted item is dropped at once by the player)
export async function pushPlaylists(deps: AppDeps, officeId: string) {
  for (const station of await displayStations(deps.database.db, officeId)) {
    if (!deps.live.count(topics.station(station.id))) continue
    const message = await playlistMessage(deps.database.db, station)
    deps.live.publish(topics.station(station.id), JSON.stringify(message))
  }
}
