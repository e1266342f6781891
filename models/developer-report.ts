// The developer report: per office of one developer, visits by channel and arrivals on sibling-office referrals.
// Aggregates only, through the same k-anonymity rules as the office reports (models/anonymity.ts).
import { and, between, count, eq, inArray, sql } from 'drizzle-orm'
import type { Db } from './db.ts'
import { developers, offices } from './offices.ts'
import { visits } from './visits.ts'
import { suppressionPattern } from './anonymity.ts'

// a released figure: a number, or 'hidden' (shown as <k) when it would give away fewer than k people
export type Figure = number | 'hidden'
export const developerMetrics = ['visits', 'firstVisits', 'walkIn', 'broker', 'crossOffice'] as const
export type DeveloperMetric = (typeof developerMetrics)[number]
export type DeveloperRow = {
  // null: the all-offices total
  officeId: string | null
  name: string
  nameEn: string
  figures: Record<DeveloperMetric, Figure>
}
export type DeveloperReport = {
  developer: { name: string; nameEn: string }
  from: string
  to: string
  k: number
  rows: DeveloperRow[]
  // to the minute: the report's own time, not anyone's visit
  generatedAt: string
}

type Counts = { visits: number; firstVisits: number; crossOffice: number }
const none = (): Counts => ({ visits: 0, firstVisits: 0, crossOffice: 0 })
const small = (n: number, k: number) => n > 0 && n < k

// The grid is offices × {walk-in, broker} with visits as cell size: small cells are suppressed and partners
// hidden so no suppressed count follows from totals. Within a shown entry, a figure that splits it into a
// part smaller than k (first visits vs returns, sibling-office arrivals vs the office's own broker visits) is
// hidden too, as the office reports hide a broker share that would reveal a small count.
export function releaseDeveloperGrid(
  rows: { walkIn: Counts; broker: Counts }[],
  k: number,
): { perOffice: Record<DeveloperMetric, Figure>[]; total: Record<DeveloperMetric, Figure> } {
  const sizes = rows.map((r) => [r.walkIn.visits, r.broker.visits])
  const pattern = suppressionPattern(sizes, k)
  const part = (n: number, whole: number) => (small(n, k) || small(whole - n, k) ? 'hidden' : n)
  const release = (
    walkIn: Counts,
    broker: Counts,
    hidden: { walkIn: boolean; broker: boolean; whole: boolean },
  ): Record<DeveloperMetric, Figure> => {
    const visits = walkIn.visits + broker.visits
    const firstVisits = walkIn.firstVisits + broker.firstVisits
    return {
      visits: hidden.whole ? 'hidden' : visits,
      firstVisits: hidden.whole ? 'hidden' : part(firstVisits, visits),
      walkIn: hidden.walkIn ? 'hidden' : walkIn.visits,
      broker: hidden.broker ? 'hidden' : broker.visits,
      crossOffice: hidden.broker ? 'hidden' : part(broker.crossOffice, broker.visits),
    }
  }
  const sum = (pick: (r: { walkIn: Counts; broker: Counts }) => Counts) =>
    rows.reduce((acc, r) => {
      const c = pick(r)
      return {
        visits: acc.visits + c.visits,
        firstVisits: acc.firstVisits + c.firstVisits,
        crossOffice: acc.crossOffice + c.crossOffice,
      }
    }, none())
  return {
    perOffice: rows.map((r, i) =>
      release(r.walkIn, r.broker, {
        walkIn: pattern.cells[i]![0]!,
        broker: pattern.cells[i]![1]!,
        whole: pattern.rowTotals[i]!,
      }),
    ),
    total: release(
      sum((r) => r.walkIn),
      sum((r) => r.broker),
      { walkIn: pattern.colTotals[0]!, broker: pattern.colTotals[1]!, whole: pattern.grand },
    ),
  }
}

// the developer of `officeId` and its offices' figures for the local days from..to (inclusive)
export async function developerReport(
  db: Db,
  { officeId, from, to, now }: { officeId: string; from: string; to: string; now: number },
): Promise<DeveloperReport | null> {
  const [own] = await db.select().from(offices).where(eq(offices.id, officeId))
  if (!own?.developerId) return null
  const [developer] = await db.select().from(developers).where(eq(developers.id, own.developerId))
  const officeRows = await db
    .select()
    .from(offices)
    .where(eq(offices.developerId, own.developerId))
    .orderBy(offices.createdAt, offices.id)
  const ids = officeRows.map((o) => o.id)
  // grouped by SQLite: rows returned are offices × channels, never visits
  const grouped = await db
    .select({
      officeId: visits.officeId,
      channel: visits.channel,
      visits: count(),
      firstVisits: sql<number>`coalesce(sum(${visits.firstVisit}), 0)`,
      crossOffice: sql<number>`coalesce(sum(${visits.attributionReason} = 'referral-other-office'), 0)`,
    })
    .from(visits)
    .where(and(inArray(visits.officeId, ids), between(visits.day, from, to)))
    .groupBy(visits.officeId, visits.channel)
  const cells = officeRows.map((o) => {
    const of = (channel: 'walk-in' | 'broker'): Counts => {
      const row = grouped.find((g) => g.officeId === o.id && g.channel === channel)
      return row
        ? { visits: row.visits, firstVisits: Number(row.firstVisits), crossOffice: Number(row.crossOffice) }
        : none()
    }
    return { walkIn: of('walk-in'), broker: of('broker') }
  })
  // the strictest office's threshold holds for the whole table
  const k = Math.max(...officeRows.map((o) => o.kAnonymity))
  const released = releaseDeveloperGrid(cells, k)
  return {
    developer: { name: developer!.name, nameEn: developer!.nameEn },
    from,
    to,
    k,
    rows: [
      ...officeRows.map((o, i) => ({
        officeId: o.id,
        name: o.name,
        nameEn: o.nameEn,
        figures: released.perOffice[i]!,
      })),
      { officeId: null, name: '', nameEn: '', figures: released.total },
    ],
    generatedAt: new Date(Math.floor(now / 60_000) * 60_000).toISOString().slice(0, 16) + 'Z',
  }
}
