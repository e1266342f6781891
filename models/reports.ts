// Report queries: filters, period × channel/zone grids from roll-ups (past) and live aggregates (not yet rolled up).
import { eq, sql } from 'drizzle-orm'
import { z } from 'zod'
import type { Db } from './db.ts'
import { offices } from './offices.ts'
import { brokers } from './staff.ts'
import { aggregateDays, rolledThrough, type RollupRow } from './rollups.ts'
import {
  addDays,
  datePresets,
  daysBetween,
  eachDay,
  isCalendarDay,
  localDayHour,
  maxPeriodDays,
  mondayOf,
  presetRange,
} from './report-period.ts'
import { addSums, emptySums, releaseGrid, type CellSums, type Grid, type Released } from './anonymity.ts'
import { dwellBucketLimitsMs } from './rollup-aggregate.ts'

export const reportGroups = ['day', 'week', 'hour'] as const
export type ReportGroup = (typeof reportGroups)[number]
export const reportSplits = ['none', 'channel', 'zone'] as const
export type ReportSplit = (typeof reportSplits)[number]
export const maxReportDays = maxPeriodDays

const day = z.string().refine(isCalendarDay, 'not a calendar day (YYYY-MM-DD)')
const blankToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v)

export const reportQuery = z.object({
  preset: z.preprocess(blankToUndefined, z.enum(datePresets).default('30d')),
  from: z.preprocess(blankToUndefined, day.optional()),
  to: z.preprocess(blankToUndefined, day.optional()),
  group: z.preprocess(blankToUndefined, z.enum(reportGroups).default('day')),
  split: z.preprocess(blankToUndefined, z.enum(reportSplits).default('none')),
  channel: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^(walk-in|unattributed|broker:[A-Za-z0-9_-]{1,64})$/, 'unknown channel')
      .optional(),
  ),
})
export type ReportQuery = z.input<typeof reportQuery>

export type ReportFilters = {
  preset: (typeof datePresets)[number]
  from: string
  to: string
  group: ReportGroup
  split: ReportSplit
  channel: string | null
}

// filters from a query string: a preset decides the days unless it is 'custom'; errors as readable lines
export function resolveFilters(
  query: Record<string, unknown>,
  today: string,
): { ok: true; filters: ReportFilters } | { ok: false; error: z.ZodError } {
  const parsed = reportQuery
    .superRefine((q, ctx) => {
      if (q.preset !== 'custom') return
      if (!q.from || !q.to) return ctx.addIssue({ code: 'custom', message: 'custom range needs from and to' })
      if (q.from > q.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'to is before from' })
      else if (daysBetween(q.from, q.to) >= maxReportDays)
        ctx.addIssue({ code: 'custom', path: ['to'], message: `at most ${maxReportDays} days` })
    })
    .safeParse(query)
  if (!parsed.success) return { ok: false, error: parsed.error }
  const q = parsed.data
  const range = q.preset === 'custom' ? { from: q.from!, to: q.to! } : presetRange(q.preset, today)
  return {
    ok: true,
    filters: { preset: q.preset, ...range, group: q.group, split: q.split, channel: q.channel ?? null },
  }
}

// the filters as a query string (links, exports, the URL htmx pushes)
export function filtersQuery(f: ReportFilters): string {
  const params = new URLSearchParams({
    preset: f.preset,
    from: f.from,
    to: f.to,
    group: f.group,
    split: f.split,
  })
  if (f.channel) params.set('channel', f.channel)
  return params.toString()
}

function periodKeys(f: ReportFilters): string[] {
  if (f.group === 'hour') return Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'))
  const days = [...eachDay(f.from, f.to)]
  return f.group === 'day' ? days : [...new Set(days.map(mondayOf))]
}

const periodSql = { day: 'day', week: "date(day, '-6 days', 'weekday 1')", hour: "printf('%02d', hour)" }
const splitSql = { none: "'all'", channel: 'channel', zone: 'zone' }

type SqlRow = Record<string, number | string | null>
const bucketColumns = dwellBucketLimitsMs.map((_, i) => `b${i}`)

// past days straight from roll-ups, grouped by SQLite: rows returned are periods × columns, never raw rows
async function rolledCells(db: Db, officeId: string, f: ReportFilters, to: string) {
  const zoneClause = f.split === 'zone' ? "zone <> ''" : "zone = ''"
  const buckets = bucketColumns.map((b, i) => `sum(dwell_b_${i}) AS ${b}`).join(', ')
  const rows = await db.all<SqlRow>(sql`
    SELECT ${sql.raw(periodSql[f.group])} AS period, ${sql.raw(splitSql[f.split])} AS col,
      sum(visits) AS visits, sum(CASE WHEN channel LIKE 'broker:%' THEN visits ELSE 0 END) AS brokerVisits,
      sum(first_visits) AS firstVisits, sum(returns) AS returns, sum(consented) AS consented,
      sum(disputed) AS disputed, sum(assigned) AS assigned, sum(followed_up) AS followedUp,
      sum(sessions) AS sessions, sum(dwell_ms_sum) AS dwellMsSum, sum(attention_ms_sum) AS attentionMsSum,
      ${sql.raw(buckets)}
    FROM daily_rollups
    WHERE office_id = ${officeId} AND day BETWEEN ${f.from} AND ${to} AND ${sql.raw(zoneClause)}
      ${f.channel ? sql`AND channel = ${f.channel}` : sql``}
    GROUP BY period, col`)
  return rows.map((row) => {
    const sums = emptySums()
    for (const key of Object.keys(sums) as (keyof CellSums)[]) {
      if (key !== 'buckets') sums[key] = Number(row[key] ?? 0)
    }
    sums.buckets = bucketColumns.map((b) => Number(row[b] ?? 0))
    return { period: String(row.period), col: String(row.col), sums }
  })
}

function liveCell(row: RollupRow, f: ReportFilters) {
  const period =
    f.group === 'hour' ? String(row.hour).padStart(2, '0') : f.group === 'week' ? mondayOf(row.day) : row.day
  const col = f.split === 'none' ? 'all' : f.split === 'channel' ? row.channel : row.zone
  const sums = emptySums()
  Object.assign(sums, {
    visits: row.visits,
    brokerVisits: row.channel.startsWith('broker:') ? row.visits : 0,
    firstVisits: row.firstVisits,
    returns: row.returns,
    consented: row.consented,
    disputed: row.disputed,
    assigned: row.assigned,
    followedUp: row.followedUp,
    sessions: row.sessions,
    dwellMsSum: row.dwellMsSum,
    attentionMsSum: row.attentionMsSum,
  })
  if (row.dwellBuckets.length) sums.buckets = [...row.dwellBuckets]
  return { period, col, sums }
}

export async function reportGrid(
  db: Db,
  officeId: string,
  f: ReportFilters,
  known: { timeZone?: string; names?: Map<string, string> } = {},
): Promise<Grid> {
  const watermark = await rolledThrough(db, officeId)
  const rolledTo = watermark && watermark >= f.from ? (watermark < f.to ? watermark : f.to) : null
  const parts = rolledTo ? await rolledCells(db, officeId, f, rolledTo) : []
  const liveFrom = rolledTo ? addDays(rolledTo, 1) : f.from
  if (liveFrom <= f.to) {
    const only = f.split === 'zone' ? 'zones' : 'visits'
    const live = await aggregateDays(db, {
      officeId,
      from: liveFrom,
      to: f.to,
      only,
      timeZone: known.timeZone,
    })
    for (const row of live) {
      if ((f.split === 'zone') !== (row.zone !== '')) continue
      if (f.channel && row.channel !== f.channel) continue
      parts.push(liveCell(row, f))
    }
  }
  const cells = new Map<string, CellSums>()
  const colKeys = new Set<string>(f.split === 'none' ? ['all'] : [])
  for (const part of parts) {
    colKeys.add(part.col)
    const key = `${part.period}|${part.col}`
    cells.set(key, addSums(cells.get(key) ?? emptySums(), part.sums))
  }
  const names = known.names ?? (await brokerNames(db, officeId))
  const cols = [...colKeys].map((key) => ({ key, label: channelLabel(key, names) })).sort(columnOrder)
  const rows = periodKeys(f).map((key) => ({ key, label: key }))
  return {
    measure: f.split === 'zone' ? 'zone' : 'visits',
    rows,
    cols,
    cells: rows.map((r) => cols.map((c) => cells.get(`${r.key}|${c.key}`) ?? null)),
  }
}

// walk-in first, brokers by name, sessions of people who never checked in last
function columnOrder(a: { key: string; label: string }, b: { key: string; label: string }) {
  const rank = (key: string) => (key === 'walk-in' ? 0 : key === 'unattributed' ? 2 : 1)
  return rank(a.key) - rank(b.key) || a.label.localeCompare(b.label)
}

export async function brokerNames(db: Db, officeId: string): Promise<Map<string, string>> {
  const rows = await db
    .select({ id: brokers.id, name: brokers.displayName })
    .from(brokers)
    .where(eq(brokers.officeId, officeId))
  return new Map(rows.map((b) => [`broker:${b.id}`, b.name]))
}

// brokers by display name; other keys (walk-in, zones) stay as they are and views translate them
export function channelLabel(key: string, names: Map<string, string>): string {
  return names.get(key) ?? (key.startsWith('broker:') ? 'broker' : key)
}

export type ReportManifest = {
  office: string
  from: string
  to: string
  group: ReportGroup
  split: ReportSplit
  channel: string | null
  k: number
  epsilon: number | null
  // to the minute: the export's own time, not anyone's visit
  generatedAt: string
}

// the only entry point the page and the exports use: grids leave models/ through the anonymity gate
export async function anonymousReport(
  db: Db,
  {
    officeId,
    filters,
    epsilon = null,
    now,
  }: { officeId: string; filters: ReportFilters; epsilon?: number | null; now: number },
): Promise<{ released: Released; manifest: ReportManifest }> {
  const [office] = await db.select().from(offices).where(eq(offices.id, officeId))
  if (!office) throw new Error('unknown office')
  const names = await brokerNames(db, officeId)
  const grid = await reportGrid(db, officeId, filters, { timeZone: office.timeZone, names })
  const released = releaseGrid(grid, { k: office.kAnonymity, epsilon })
  return {
    released,
    manifest: {
      office: office.nameEn ? `${office.name} (${office.nameEn})` : office.name,
      from: filters.from,
      to: filters.to,
      group: filters.group,
      split: filters.split,
      channel: filters.channel ? channelLabel(filters.channel, names) : null,
      k: office.kAnonymity,
      epsilon,
      generatedAt: new Date(Math.floor(now / 60_000) * 60_000).toISOString().slice(0, 16) + 'Z',
    },
  }
}

// today in the office's own calendar: what presets count back from
export async function officeToday(db: Db, officeId: string, now: number): Promise<string> {
  const [office] = await db
    .select({ timeZone: offices.timeZone })
    .from(offices)
    .where(eq(offices.id, officeId))
  return localDayHour(now, office?.timeZone ?? 'Asia/Shanghai').day
}

// what the channel filter offers: walk-in, each broker of the office by name, people who never checked in
export async function reportChannels(db: Db, officeId: string) {
  const names = await brokerNames(db, officeId)
  return [
    { key: 'walk-in', label: 'walk-in' },
    ...[...names].map(([key, label]) => ({ key, label })).sort((a, b) => a.label.localeCompare(b.label)),
    { key: 'unattributed', label: 'unattributed' },
  ]
}
