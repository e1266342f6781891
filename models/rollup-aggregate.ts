// Computes anonymous hour × channel × zone aggregates of office-local days from visits, camera sessions and referrals.
import { and, between, eq, gte, inArray, lt, sql } from 'drizzle-orm'
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

export async function aggregateDays(
  db: Db | Tx,
  { officeId, from, to }: { officeId: string; from: string; to: string },
): Promise<RollupRow[]> {
  const [office] = await db
    .select({ timeZone: offices.timeZone })
    .from(offices)
    .where(eq(offices.id, officeId))
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

  const visitRows = await db
    .select({
      checkedInAt: visits.checkedInAt,
      channel: visits.channel,
      brokerId: visits.brokerId,
      firstVisit: visits.firstVisit,
      assigned: sql<number>`(${visits.consultantId} IS NOT NULL OR ${visits.assignedAt} IS NOT NULL)`,
      // spelled out: inside a subquery drizzle would leave the outer column unqualified
      consented: sql<number>`EXISTS (SELECT 1 FROM consents c WHERE c.visit_id = visits.id)`,
      followedUp: sql<number>`EXISTS (SELECT 1 FROM visit_notes n WHERE n.visit_id = visits.id)`,
    })
    .from(visits)
    .where(and(eq(visits.officeId, officeId), between(visits.day, from, to)))
  for (const visit of visitRows) {
    const { row } = rowFor(visit.checkedInAt, channelKey(visit.channel, visit.brokerId), '')
    row.visits++
    if (visit.firstVisit) row.firstVisits++
    else row.returns++
    if (Number(visit.consented)) row.consented++
    if (Number(visit.assigned)) row.assigned++
    if (Number(visit.followedUp)) row.followedUp++
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

  return [...rows.values()].filter((row) => row.day >= from && row.day <= to)
}
