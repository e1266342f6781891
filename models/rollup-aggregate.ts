// Computes anonymous hour × channel × zone aggregates of office-local days from visits, camera sessions and referrals.
import { and, eq, gte, inArray, lt, sql } from 'drizzle-orm'
import type { Db, Tx } from './db.ts'
import { offices, stations } from './offices.ts'
import { visits } from './visits.ts'
import { cameraSessions } from './consents.ts'
import { referrals } from './referrals.ts'
import { addDays, localDayHour, localMidnight } from './report-period.ts'

// upper bounds of the dwell histogram buckets (the last is open): 5 s, 15 s, 30 s, 1, 2, 5, 10 min, more
export const dwellBucketLimitsMs = [5_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, Infinity]

export type RollupRow = {
  day: string
  hour: number
  channel: string
  zone: string
  visits: number
  firstVisits: number
  returns: number
  consented: number
  disputed: number
  assigned: number
  followedUp: number
  sessions: number
  dwellMsSum: number
  attentionMsSum: number
  dwellBuckets: number[]
}

export function channelKey(channel: string | null, brokerId: string | null): string {
  if (channel === null) return 'unattributed'
  return channel === 'broker' && brokerId ? `broker:${brokerId}` : 'walk-in'
}

export function dwellBucket(dwellMs: number): number {
  return dwellBucketLimitsMs.findIndex((limit) => dwellMs < limit)
}

function emptyRow(day: string, hour: number, channel: string, zone: string): RollupRow {
  return {
    day,
    hour,
    channel,
    zone,
    visits: 0,
    firstVisits: 0,
    returns: 0,
    consented: 0,
    disputed: 0,
    assigned: 0,
    followedUp: 0,
    sessions: 0,
    dwellMsSum: 0,
    attentionMsSum: 0,
    dwellBuckets: zone ? dwellBucketLimitsMs.map(() => 0) : [],
  }
}

// `only` limits the work to visit rows or zone rows (a live report needs one kind); the office's time zone
// may be passed by a caller that already has it
export async function aggregateDays(
  db: Db | Tx,
  {
    officeId,
    from,
    to,
    only,
    timeZone,
  }: { officeId: string; from: string; to: string; only?: 'visits' | 'zones'; timeZone?: string },
): Promise<RollupRow[]> {
  const [office] = timeZone
    ? [{ timeZone }]
    : await db.select({ timeZone: offices.timeZone }).from(offices).where(eq(offices.id, officeId))
  if (!office) throw new Error('unknown office')
  const tz = office.timeZone
  const startMs = localMidnight(from, tz)
  const endMs = localMidnight(addDays(to, 1), tz)
  const rows = new Map<string, RollupRow>()
  const people = new Map<string, Set<string>>()
  const rowFor = (at: number, channel: string, zone: string) => {
    const { day, hour } = localDayHour(at, tz)
    const key = `${day}|${hour}|${channel}|${zone}`
    let row = rows.get(key)
    if (!row) rows.set(key, (row = emptyRow(day, hour, channel, zone)))
    return { row, key }
  }

  async function addVisitRows() {
    // three plain columns a visit (the channel key and the four yes/no facts packed into one integer):
    // a year's catch-up reads a million of these, and per-column decoding is where the time goes
    const visitRows = await db.all<{ at: number; channel: string; flags: number }>(sql`
    SELECT checked_in_at AS at,
      CASE WHEN channel = 'broker' AND broker_id IS NOT NULL THEN 'broker:' || broker_id ELSE 'walk-in' END
        AS channel,
      (first_visit <> 0)
        | ((consultant_id IS NOT NULL OR assigned_at IS NOT NULL) << 1)
        | (EXISTS (SELECT 1 FROM consents c WHERE c.visit_id = visits.id) << 2)
        | (EXISTS (SELECT 1 FROM visit_notes n WHERE n.visit_id = visits.id) << 3) AS flags
    FROM visits
    WHERE office_id = ${officeId} AND day BETWEEN ${from} AND ${to}`)
    for (const visit of visitRows) {
      const { row } = rowFor(Number(visit.at), visit.channel, '')
      const flags = Number(visit.flags)
      row.visits++
      if (flags & 1) row.firstVisits++
      else row.returns++
      if (flags & 2) row.assigned++
      if (flags & 4) row.consented++
      if (flags & 8) row.followedUp++
    }

    // a disputed referral counts on the day the client arrived (or the broker registered, if they never came)
    const disputedAt = sql<number>`coalesce(${referrals.arrivedAt}, ${referrals.createdAt})`
    const disputedRows = await db
      .select({ at: disputedAt, brokerId: referrals.brokerId })
      .from(referrals)
      .where(
        and(
          eq(referrals.officeId, officeId),
          eq(referrals.status, 'disputed'),
          gte(disputedAt, startMs),
          lt(disputedAt, endMs),
        ),
      )
    for (const referral of disputedRows) {
      rowFor(Number(referral.at), `broker:${referral.brokerId}`, '').row.disputed++
    }
  }

  async function addZoneRows() {
    // by station: camera_sessions is indexed on (station, startedAt), not on office
    const stationIds = (
      await db.select({ id: stations.id }).from(stations).where(eq(stations.officeId, officeId))
    ).map((s) => s.id)
    const sessionRows = stationIds.length
      ? await db
          .select({
            startedAt: cameraSessions.startedAt,
            consentId: cameraSessions.consentId,
            dwellMs: cameraSessions.dwellMs,
            attentionMs: cameraSessions.attentionMs,
            zone: stations.zone,
            channel: visits.channel,
            brokerId: visits.brokerId,
          })
          .from(cameraSessions)
          .innerJoin(stations, eq(stations.id, cameraSessions.stationId))
          .leftJoin(visits, eq(visits.id, cameraSessions.visitId))
          .where(
            and(
              inArray(cameraSessions.stationId, stationIds),
              gte(cameraSessions.startedAt, startMs),
              lt(cameraSessions.startedAt, endMs),
            ),
          )
      : []
    for (const session of sessionRows) {
      const zone = session.zone || 'unzoned'
      const { row, key } = rowFor(session.startedAt, channelKey(session.channel, session.brokerId), zone)
      // people, not sessions: one consenting person walking back and forth is still one person
      let seen = people.get(key)
      if (!seen) people.set(key, (seen = new Set()))
      if (!seen.has(session.consentId)) {
        seen.add(session.consentId)
        row.visits++
      }
      row.sessions++
      row.dwellMsSum += session.dwellMs
      row.attentionMsSum += session.attentionMs
      row.dwellBuckets[dwellBucket(session.dwellMs)]!++
    }
  }

  if (only !== 'zones') await addVisitRows()
  if (only !== 'visits') await addZoneRows()
  return [...rows.values()].filter((row) => row.day >= from && row.day <= to)
}
