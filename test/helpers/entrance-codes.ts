// Entrance codes for tests and benches that drive a server in another process: code rows written into its database
// (what the entrance screen's socket would be given), and the sr_entry binding a phone gets by opening one.
import type { Client as SqlClient } from '@libsql/client'
import type { Keys } from '../../server/keys.ts'
import { signToken } from '../../server/tokens.ts'
import { entranceCodeCheckinCap, entryBindingMs, entryCookie } from '../../server/entrance-codes.ts'
import { newId } from '../../models/ids.ts'

export type EntranceStation = { id: string; officeId: string }

export async function entranceStationOf(db: SqlClient, officeId?: string): Promise<EntranceStation> {
  const result = await db.execute({
    sql: `SELECT id, office_id FROM stations WHERE kind = 'entrance'${officeId ? ' AND office_id = ?' : ''} LIMIT 1`,
    args: officeId ? [officeId] : [],
  })
  const row = result.rows[0]!
  return { id: String(row.id), officeId: String(row.office_id) }
}

// `count` codes of the station, valid for `lifetimeMs`, in one transaction
export async function insertEntranceCodes(
  db: SqlClient,
  station: EntranceStation,
  { count = 1, now = Date.now(), lifetimeMs = 10 * 60_000 } = {},
): Promise<string[]> {
  const ids = Array.from({ length: count }, () => newId())
  await db.batch(
    ids.map((id) => ({
      sql: 'INSERT INTO entrance_codes (id, office_id, station_id, issued_at, expires_at, checkins) VALUES (?, ?, ?, ?, ?, 0)',
      args: [id, station.officeId, station.id, now, now + lifetimeMs],
    })),
    'write',
  )
  return ids
}

// the cookie pair a phone holds after opening `code` (a fresh binding: each one checks in once)
export async function entryCookieFor(keys: Keys, code: string, station: EntranceStation, now = Date.now()) {
  const { token } = await signToken(
    keys,
    'entrance',
    { code, office: station.officeId, station: station.id },
    { now, expiresAt: now + entryBindingMs },
  )
  return `${entryCookie}=${token}`
}

// many check-ins under load: a code serves at most its cap, so the n-th check-in uses the (n / cap)-th code
export const codeForCheckin = (codes: string[], seq: number) =>
  codes[Math.floor(seq / entranceCodeCheckinCap) % codes.length]!
