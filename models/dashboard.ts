// Read side of the sales dashboard: today's arrivals, counters, queue and chart data, all on indexed ranges.
import { and, asc, desc, eq, gte, inArray, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import type { Db } from './db.ts'
import { visits, visitors } from './visits.ts'
import { staff, brokers } from './staff.ts'
import { consents, cameraSessions } from './consents.ts'
import { offices, stations } from './offices.ts'
import { localDay, localHour, zoneOffsetAt } from './time.ts'
import { queueHead } from './reception.ts'

// how many past same weekdays the hourly comparison averages over
export const weekdayHistoryWeeks = 8
// the list shows at most this many of today's arrivals (a busy Saturday stays far below it)
export const arrivalsListLimit = 500

export type Arrival = Awaited<ReturnType<typeof todayArrivals>>[number]

// ms to add to epoch ms to get the office's wall-clock time at `at`
export function zoneOffsetMs(timeZone: string, at: number): number {
  return zoneOffsetAt(at, timeZone)
}

// local midnight before `at`, from the zone offset at `at` (an Intl search costs milliseconds here); on a
// summer-time switch day it may be an hour off, which only widens or narrows the zone chart's window
export function startOfLocalDay(at: number, timeZone: string): number {
  const offset = zoneOffsetMs(timeZone, at)
  return Math.floor((at + offset) / 86_400_000) * 86_400_000 - offset
}

// YYYY-MM-DD minus n days (calendar arithmetic, no zone involved)
export function daysBefore(day: string, n: number): string {
  const at = Date.parse(`${day}T12:00:00Z`) - n * 86_400_000
  return new Date(at).toISOString().slice(0, 10)
}

// today's visits, newest first, with what the list shows; served by visits_office_day_idx
export async function todayArrivals(db: Db, officeId: string, day: string) {
  const consultant = alias(staff, 'consultant')
  return db
    .select({
      id: visits.id,
      checkedInAt: visits.checkedInAt,
      checkedOutAt: visits.checkedOutAt,
      channel: visits.channel,
      brokerId: visits.brokerId,
      brokerName: brokers.displayName,
      brokerCompany: brokers.company,
      firstVisit: visits.firstVisit,
      status: visits.status,
      revision: visits.revision,
      consultantId: visits.consultantId,
      consultantName: consultant.displayName,
      phoneMasked: visitors.phoneMasked,
      consented: sql<number>`EXISTS (SELECT 1 FROM ${consents} WHERE ${consents.visitId} = ${visits.id} AND ${consents.withdrawnAt} IS NULL)`,
    })
    .from(visits)
    .leftJoin(visitors, eq(visitors.id, visits.visitorId))
    .leftJoin(brokers, eq(brokers.id, visits.brokerId))
    .leftJoin(consultant, eq(consultant.id, visits.consultantId))
    .where(and(eq(visits.officeId, officeId), eq(visits.day, day)))
    .orderBy(desc(visits.checkedInAt), desc(visits.id))
    .limit(arrivalsListLimit)
}

export type Counters = {
  visits: number
  firstVisits: number
  returns: number
  walkIns: number
  // one row per broker with visits today, most first
  brokers: { id: string; name: string; visits: number }[]
  consented: number
  // share of today's visits with an active camera consent, 0–1 (null with no visits)
  consentedShare: number | null
  // median minutes between check-in and check-out of visits that have left (null before anyone left)
  medianDwellMs: number | null
}

export function countersOf(arrivals: Arrival[]): Counters {
  const brokerCounts = new Map<string, { id: string; name: string; visits: number }>()
  let firstVisits = 0
  let walkIns = 0
  let consented = 0
  const dwell: number[] = []
  for (const a of arrivals) {
    if (a.firstVisit) firstVisits++
    if (a.consented) consented++
    if (a.channel === 'broker' && a.brokerId) {
      const row = brokerCounts.get(a.brokerId) ?? { id: a.brokerId, name: a.brokerName ?? '?', visits: 0 }
      row.visits++
      brokerCounts.set(a.brokerId, row)
    } else walkIns++
    if (a.status === 'left' && a.checkedOutAt) dwell.push(a.checkedOutAt - a.checkedInAt)
  }
  return {
    visits: arrivals.length,
    firstVisits,
    returns: arrivals.length - firstVisits,
    walkIns,
    brokers: [...brokerCounts.values()].sort((a, b) => b.visits - a.visits),
    consented,
    consentedShare: arrivals.length ? consented / arrivals.length : null,
    medianDwellMs: median(dwell),
  }
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

// arrivals per local hour on the same weekday of past weeks, averaged over the weeks that had visits;
// one grouped, covering-index scan of visits_office_day_idx (a few thousand rows, never the whole table)
export async function weekdayHourlyAverage(db: Db, officeId: string, day: string, timeZone: string) {
  return (await cachedHistory(officeId, day, () => readWeekdayHourlyAverage(db, officeId, day, timeZone)))
    .value
}

// past days do not change during the day (only a retention purge thins them), so every render and push of
// the same day reuses one read for a while instead of scanning weeks of visits again
export const historyCacheMs = 10 * 60_000
const historyCache = new Map<string, { readAt: number; value: { weeks: number; perHour: number[] } }>()
async function cachedHistory(
  officeId: string,
  day: string,
  read: () => Promise<{ weeks: number; perHour: number[] }>,
) {
  const key = `${officeId}|${day}`
  const now = Date.now()
  const hit = historyCache.get(key)
  if (hit && now - hit.readAt < historyCacheMs) return hit
  if (historyCache.size > 1000) historyCache.clear()
  const entry = { readAt: now, value: await read() }
  historyCache.set(key, entry)
  return entry
}

export async function readWeekdayHourlyAverage(db: Db, officeId: string, day: string, timeZone: string) {
  const days = Array.from({ length: weekdayHistoryWeeks }, (_, i) => daysBefore(day, 7 * (i + 1)))
  // the zone's offset can differ between those days (summer time), so each day carries its own
  const offsetCase = sql.join(
    [
      sql`CASE ${visits.day}`,
      ...days.map((d) => sql` WHEN ${d} THEN ${zoneOffsetMs(timeZone, Date.parse(`${d}T12:00:00Z`))}`),
      sql` ELSE 0 END`,
    ],
    sql``,
  )
  const rows = await db
    .select({
      day: visits.day,
      hour: sql<number>`((${visits.checkedInAt} + ${offsetCase}) / 3600000) % 24`,
      n: sql<number>`count(*)`,
    })
    .from(visits)
    .where(and(eq(visits.officeId, officeId), inArray(visits.day, days)))
    .groupBy(visits.day, sql`2`)
  const weeks = new Set(rows.map((r) => r.day)).size
  const perHour = new Array<number>(24).fill(0)
  for (const r of rows) perHour[Number(r.hour)]! += Number(r.n)
  return { weeks, perHour: perHour.map((n) => (weeks ? n / weeks : 0)) }
}

export function hourlyToday(arrivals: Arrival[], timeZone: string): number[] {
  const perHour = new Array<number>(24).fill(0)
  if (arrivals.length === 0) return perHour
  // one zone lookup for the day, not an Intl call per arrival; on a summer-time switch day, each exactly
  const first = zoneOffsetMs(timeZone, arrivals.at(-1)!.checkedInAt)
  const steady = first === zoneOffsetMs(timeZone, arrivals[0]!.checkedInAt)
  for (const a of arrivals) {
    perHour[
      steady ? Math.floor((a.checkedInAt + first) / 3600_000) % 24 : localHour(a.checkedInAt, timeZone)
    ]!++
  }
  return perHour
}

// camera engagement per zone today (consented sessions only exist at all); served by camera_sessions_station_idx
export async function zoneEngagement(db: Db, officeId: string, since: number) {
  const rows = await db
    .select({
      zone: stations.zone,
      sessions: sql<number>`count(*)`,
      dwellMs: sql<number>`coalesce(sum(${cameraSessions.dwellMs}), 0)`,
      attentionMs: sql<number>`coalesce(sum(${cameraSessions.attentionMs}), 0)`,
    })
    .from(cameraSessions)
    .innerJoin(stations, eq(stations.id, cameraSessions.stationId))
    .where(
      and(
        inArray(
          cameraSessions.stationId,
          db.select({ id: stations.id }).from(stations).where(eq(stations.officeId, officeId)),
        ),
        gte(cameraSessions.startedAt, since),
      ),
    )
    .groupBy(stations.zone)
    .orderBy(asc(stations.zone))
  return rows.map((r) => ({
    zone: r.zone || '—',
    sessions: Number(r.sessions),
    dwellMs: Number(r.dwellMs),
    attentionMs: Number(r.attentionMs),
  }))
}

// active staff of the office (for reassignment) with today's count of visitors served
export function consultantCounts(arrivals: Arrival[]) {
  const counts = new Map<string, number>()
  for (const a of arrivals)
    if (a.consultantId) counts.set(a.consultantId, (counts.get(a.consultantId) ?? 0) + 1)
  return counts
}

export async function officeStaff(db: Db, officeId: string) {
  return db
    .select({
      id: staff.id,
      displayName: staff.displayName,
      onDuty: staff.onDuty,
      dutyOrder: staff.dutyOrder,
      createdAt: staff.createdAt,
      role: staff.role,
    })
    .from(staff)
    .where(and(eq(staff.officeId, officeId), sql`${staff.disabledAt} IS NULL`))
    .orderBy(asc(staff.displayName))
}

export type DashboardSnapshot = Awaited<ReturnType<typeof dashboardSnapshot>>

// everything the dashboard page and its fragments render, read once
export async function dashboardSnapshot(db: Db, officeId: string, now: number) {
  const [office] = await db.select().from(offices).where(eq(offices.id, officeId))
  const timeZone = office?.timeZone ?? 'Asia/Shanghai'
  const day = localDay(now, timeZone)
  const [arrivals, history, zones, members] = await Promise.all([
    todayArrivals(db, officeId, day),
    weekdayHourlyAverage(db, officeId, day, timeZone),
    zoneEngagement(db, officeId, startOfLocalDay(now, timeZone)),
    officeStaff(db, officeId),
  ])
  const counts = consultantCounts(arrivals)
  // the same order and head as dutyRoster/queueHead, from rows already read (one query fewer each)
  const roster = members
    .filter((m) => m.onDuty)
    .sort((a, b) => a.dutyOrder - b.dutyOrder || a.createdAt - b.createdAt)
  const oldestWaiting = [...arrivals].reverse().find((a) => a.status === 'waiting')
  const head =
    arrivals.length >= arrivalsListLimit
      ? await queueHead(db, officeId, day)
      : oldestWaiting
        ? { id: oldestWaiting.id, revision: oldestWaiting.revision }
        : null
  return {
    officeId,
    day,
    timeZone,
    now,
    arrivals,
    counters: countersOf(arrivals),
    queue: {
      head,
      waiting: arrivals.filter((a) => a.status === 'waiting').length,
      roster: roster.map((r) => ({ id: r.id, displayName: r.displayName, today: counts.get(r.id) ?? 0 })),
    },
    staff: members.map((m) => ({ ...m, today: counts.get(m.id) ?? 0 })),
    charts: { today: hourlyToday(arrivals, timeZone), history, zones },
  }
}
