// What held attention, per content item and display over a period: plays and on-screen time (never suppressed:
// not personal), and consenting viewers, watchers and attention (k-suppressed with complementary suppression).
import { and, eq, gte, lt } from 'drizzle-orm'
import type { Db } from './db.ts'
import { contentAttention, contentItems, contentPlays, type ContentKind } from './content.ts'
import { stations } from './offices.ts'
import { suppressionPattern } from './anonymity.ts'

// a watcher looked at the item at least this long (Quividi's "watchers" and "watchers 2 s")
export const watcherMs = [1000, 2000] as const

export type ViewerFigures = {
  viewers: number
  watchers1s: number
  watchers2s: number
  attentionS: number
  // attention ÷ dwell, percent; null when nobody was there
  attractionPct: number | null
}
export type ContentCell = {
  plays: number
  onScreenS: number
  // null: fewer than k viewers here (or hidden so that such a cell cannot be worked out from the totals)
  viewers: ViewerFigures | null
}
export type ContentRow = {
  itemId: string
  name: string
  kind: ContentKind | null
  cells: ContentCell[]
  total: ContentCell
}
export type ContentReport = {
  k: number
  stations: { id: string; name: string }[]
  rows: ContentRow[]
  totals: ContentCell[]
  grand: ContentCell
}

type Sums = {
  plays: number
  onScreenMs: number
  viewers: number
  w1: number
  w2: number
  dwell: number
  att: number
}
const empty = (): Sums => ({ plays: 0, onScreenMs: 0, viewers: 0, w1: 0, w2: 0, dwell: 0, att: 0 })
const add = (a: Sums, b: Sums): Sums => ({
  plays: a.plays + b.plays,
  onScreenMs: a.onScreenMs + b.onScreenMs,
  viewers: a.viewers + b.viewers,
  w1: a.w1 + b.w1,
  w2: a.w2 + b.w2,
  dwell: a.dwell + b.dwell,
  att: a.att + b.att,
})

function release(s: Sums, hidden: boolean): ContentCell {
  return {
    plays: s.plays,
    onScreenS: Math.round(s.onScreenMs / 1000),
    viewers: hidden
      ? null
      : {
          viewers: s.viewers,
          watchers1s: s.w1,
          watchers2s: s.w2,
          attentionS: Math.round(s.att / 1000),
          attractionPct: s.dwell ? Math.round((1000 * s.att) / s.dwell) / 10 : null,
        },
  }
}

export async function contentReport(
  db: Db,
  { officeId, fromMs, toMs, k }: { officeId: string; fromMs: number; toMs: number; k: number },
): Promise<ContentReport> {
  const [plays, attention, displays, items] = await Promise.all([
    db
      .select()
      .from(contentPlays)
      .where(
        and(
          eq(contentPlays.officeId, officeId),
          gte(contentPlays.startedAt, fromMs),
          lt(contentPlays.startedAt, toMs),
        ),
      ),
    db
      .select()
      .from(contentAttention)
      .where(
        and(
          eq(contentAttention.officeId, officeId),
          gte(contentAttention.startedAt, fromMs),
          lt(contentAttention.startedAt, toMs),
        ),
      ),
    db
      .select({ id: stations.id, name: stations.name })
      .from(stations)
      .where(and(eq(stations.officeId, officeId), eq(stations.kind, 'display')))
      .orderBy(stations.name),
    db
      .select({ id: contentItems.id, name: contentItems.name, kind: contentItems.kind })
      .from(contentItems)
      .where(eq(contentItems.officeId, officeId)),
  ])
  const names = new Map(items.map((i) => [i.id, i.name]))
  const kinds = new Map(items.map((i) => [i.id, i.kind]))
  // a deleted item keeps the name its plays were stored with
  for (const p of plays) if (!names.has(p.itemId)) names.set(p.itemId, p.itemName)
  const col = new Map(displays.map((s, i) => [s.id, i]))
  const grid = new Map<string, Sums[]>()
  const cellOf = (itemId: string, stationId: string) => {
    const c = col.get(stationId)
    if (c === undefined) return null
    let row = grid.get(itemId)
    if (!row) grid.set(itemId, (row = displays.map(empty)))
    return row[c]!
  }
  for (const p of plays) {
    const cell = cellOf(p.itemId, p.stationId)
    if (!cell) continue
    cell.plays++
    cell.onScreenMs += p.endedAt - p.startedAt
  }
  // one viewer per consented session and item (versions of an item are one item to the reader)
  const perSession = new Map<string, { itemId: string; stationId: string; dwell: number; att: number }>()
  for (const a of attention) {
    const key = `${a.sessionId}|${a.itemId}`
    const seen = perSession.get(key) ?? { itemId: a.itemId, stationId: a.stationId, dwell: 0, att: 0 }
    seen.dwell += a.dwellMs
    seen.att += a.attentionMs
    perSession.set(key, seen)
  }
  for (const v of perSession.values()) {
    const cell = cellOf(v.itemId, v.stationId)
    if (!cell || v.dwell <= 0) continue
    cell.viewers++
    if (v.att >= watcherMs[0]) cell.w1++
    if (v.att >= watcherMs[1]) cell.w2++
    cell.dwell += v.dwell
    cell.att += v.att
  }
  const itemIds = [...grid.keys()].sort((a, b) => (names.get(a) ?? '').localeCompare(names.get(b) ?? ''))
  const sums = itemIds.map((id) => grid.get(id)!)
  const pattern = suppressionPattern(
    sums.map((row) => row.map((s) => s.viewers)),
    k,
  )
  const rowSums = sums.map((row) => row.reduce(add, empty()))
  const colSums = displays.map((_, c) => sums.reduce((acc, row) => add(acc, row[c]!), empty()))
  return {
    k,
    stations: displays,
    rows: itemIds.map((itemId, r) => ({
      itemId,
      name: names.get(itemId) ?? itemId,
      kind: kinds.get(itemId) ?? null,
      cells: sums[r]!.map((s, c) => release(s, pattern.cells[r]![c]!)),
      total: release(rowSums[r]!, pattern.rowTotals[r]!),
    })),
    totals: colSums.map((s, c) => release(s, pattern.colTotals[c]!)),
    grand: release(rowSums.reduce(add, empty()), pattern.grand),
  }
}
