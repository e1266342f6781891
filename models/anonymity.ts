// The one gate between aggregates and any reader (page, CSV, JSON): k-suppression, complementary suppression, noise.
import { dwellBucketLimitsMs } from './rollup-aggregate.ts'

export type CellSums = {
  visits: number
  brokerVisits: number
  firstVisits: number
  returns: number
  consented: number
  disputed: number
  assigned: number
  followedUp: number
  sessions: number
  dwellMsSum: number
  attentionMsSum: number
  buckets: number[]
}

// 'visits': check-ins by channel; 'zone': people with a camera session in a zone
export type Measure = 'visits' | 'zone'

export const metricsOf = {
  visits: [
    'visits',
    'firstVisits',
    'returns',
    'brokerShare',
    'consentedShare',
    'disputed',
    'assigned',
    'followedUp',
  ],
  zone: ['people', 'sessions', 'dwellMedianS', 'dwellP75S', 'attentionShare'],
} as const
export type MetricKey = (typeof metricsOf)[Measure][number]

export type Grid = {
  measure: Measure
  rows: { key: string; label: string }[]
  cols: { key: string; label: string }[]
  // cells[row][col]; null = nothing happened there
  cells: (CellSums | null)[][]
}

// null: undefined (a share of nothing); 'hidden': this one figure would give away a small count
export type MetricValue = number | null | 'hidden'

export type ReleasedCell =
  { suppressed: true } | { suppressed: false; values: Partial<Record<MetricKey, MetricValue>> }

export type Released = {
  measure: Measure
  metrics: readonly MetricKey[]
  k: number
  epsilon: number | null
  rows: { key: string; label: string; cells: ReleasedCell[]; total: ReleasedCell }[]
  cols: { key: string; label: string }[]
  colTotals: ReleasedCell[]
  grand: ReleasedCell
}

export function emptySums(): CellSums {
  return {
    visits: 0,
    brokerVisits: 0,
    firstVisits: 0,
    returns: 0,
    consented: 0,
    disputed: 0,
    assigned: 0,
    followedUp: 0,
    sessions: 0,
    dwellMsSum: 0,
    attentionMsSum: 0,
    buckets: dwellBucketLimitsMs.map(() => 0),
  }
}

const countKeys = [
  'visits',
  'brokerVisits',
  'firstVisits',
  'returns',
  'consented',
  'disputed',
  'assigned',
  'followedUp',
  'sessions',
  'dwellMsSum',
  'attentionMsSum',
] as const satisfies readonly Exclude<keyof CellSums, 'buckets'>[]

export function addSums(into: CellSums, from: CellSums): CellSums {
  for (const key of countKeys) into[key] += from[key]
  for (let i = 0; i < from.buckets.length; i++) into.buckets[i] = (into.buckets[i] ?? 0) + from.buckets[i]!
  return into
}

// what k is compared with: visits (people, for zones); a cell with no visit but a disputed referral still has one
export function cellSize(sums: CellSums | null, measure: Measure): number {
  if (!sums) return 0
  return measure === 'visits' && sums.visits === 0 ? sums.disputed : sums.visits
}

export type Pattern = { cells: boolean[][]; rowTotals: boolean[]; colTotals: boolean[]; grand: boolean }

// Primary suppression (0 < size < k) then complementary suppression: repeat until no row or column of the
// table-with-totals has exactly one hidden entry, since such an entry equals its total minus the shown ones.
// The extra entry hidden is the smallest non-zero inner cell, else a total, else a zero cell.
// Totals' sizes default to the sums of the cells' sizes.
export function suppressionPattern(
  sizes: number[][],
  k: number,
  totals?: { rows: number[]; cols: number[]; grand: number },
): Pattern {
  const R = sizes.length
  const C = R ? sizes[0]!.length : 0
  const rowSize = totals?.rows ?? sizes.map((row) => row.reduce((a, b) => a + b, 0))
  const colSize =
    totals?.cols ?? Array.from({ length: C }, (_, c) => sizes.reduce((a, row) => a + row[c]!, 0))
  const grandSize = totals?.grand ?? rowSize.reduce((a, b) => a + b, 0)
  const small = (n: number) => n > 0 && n < k
  const p: Pattern = {
    cells: sizes.map((row) => row.map(small)),
    rowTotals: rowSize.map(small),
    colTotals: colSize.map(small),
    grand: small(grandSize),
  }
  type Entry = { key: string; size: number; inner: boolean; hidden: () => boolean; hide: () => void }
  const entries = new Map<string, Entry>()
  const entry = (key: string, make: () => Omit<Entry, 'key'>) => {
    if (!entries.has(key)) entries.set(key, { key, ...make() })
    return entries.get(key)!
  }
  const cell = (r: number, c: number) =>
    entry(`c${r}:${c}`, () => ({
      size: sizes[r]![c]!,
      inner: true,
      hidden: () => p.cells[r]![c]!,
      hide: () => (p.cells[r]![c] = true),
    }))
  const rowTotal = (r: number) =>
    entry(`r${r}`, () => ({
      size: rowSize[r]!,
      inner: false,
      hidden: () => p.rowTotals[r]!,
      hide: () => (p.rowTotals[r] = true),
    }))
  const colTotal = (c: number) =>
    entry(`k${c}`, () => ({
      size: colSize[c]!,
      inner: false,
      hidden: () => p.colTotals[c]!,
      hide: () => (p.colTotals[c] = true),
    }))
  const grand = entry('g', () => ({
    size: grandSize,
    inner: false,
    hidden: () => p.grand,
    hide: () => (p.grand = true),
  }))
  const lines: Entry[][] = [
    ...Array.from({ length: R }, (_, r) => [...Array.from({ length: C }, (_, c) => cell(r, c)), rowTotal(r)]),
    ...Array.from({ length: C }, (_, c) => [...Array.from({ length: R }, (_, r) => cell(r, c)), colTotal(c)]),
    [...Array.from({ length: C }, (_, c) => colTotal(c)), grand],
    [...Array.from({ length: R }, (_, r) => rowTotal(r)), grand],
  ]
  // hidden entries per line, kept up to date as entries are hidden (a year by day is thousands of entries)
  const linesOf = new Map<string, number[]>()
  lines.forEach((line, i) => line.forEach((e) => linesOf.set(e.key, [...(linesOf.get(e.key) ?? []), i])))
  const hiddenCount = lines.map((line) => line.filter((e) => e.hidden()).length)
  const hide = (e: Entry) => {
    e.hide()
    for (const i of linesOf.get(e.key) ?? []) hiddenCount[i]!++
  }
  const rank = (e: Entry) => (e.size > 0 ? (e.inner ? 0 : 1) : e.inner ? 2 : 3)
  // hiding an entry also touches its other line: best if that line had one hidden entry (now protected too),
  // worst if it had none (it now needs a partner of its own); this keeps the chain of extra suppressions short
  const crossScore = (e: Entry, lineIndex: number) =>
    (linesOf.get(e.key) ?? [])
      .filter((other) => other !== lineIndex)
      .reduce((score, other) => score + (hiddenCount[other] === 1 ? 2 : hiddenCount[other] ? 1 : 0), 0)
  for (let changed = true; changed;) {
    changed = false
    lines.forEach((line, i) => {
      if (hiddenCount[i] !== 1) return
      const candidates = line
        .filter((e) => !e.hidden())
        .map((e) => ({ e, rank: rank(e), score: crossScore(e, i) }))
        .sort((a, b) => a.rank - b.rank || b.score - a.score || a.e.size - b.e.size)
      if (!candidates.length) return
      hide(candidates[0]!.e)
      changed = true
    })
  }
  return p
}

// Laplace(0, 1/ε) from a uniform draw: each released count changes by one person's presence with sensitivity 1
export function laplace(epsilon: number, uniform: () => number): number {
  const u = uniform() - 0.5
  return -(1 / epsilon) * Math.sign(u) * Math.log(1 - 2 * Math.abs(u))
}

export function cryptoUniform(): number {
  const [n] = crypto.getRandomValues(new Uint32Array(1))
  return (n! + 0.5) / 2 ** 32
}

function noisy(sums: CellSums, epsilon: number, uniform: () => number): CellSums {
  const count = (n: number) => Math.max(0, Math.round(n + laplace(epsilon, uniform)))
  return {
    ...sums,
    visits: count(sums.visits),
    brokerVisits: count(sums.brokerVisits),
    firstVisits: count(sums.firstVisits),
    returns: count(sums.returns),
    consented: count(sums.consented),
    disputed: count(sums.disputed),
    assigned: count(sums.assigned),
    followedUp: count(sums.followedUp),
    sessions: count(sums.sessions),
    buckets: sums.buckets.map(count),
  }
}

// a percentile of dwell (seconds) from the histogram, interpolated inside its bucket; open last bucket → its floor
export function dwellPercentileS(buckets: number[], q: number): number | null {
  const n = buckets.reduce((a, b) => a + b, 0)
  if (!n) return null
  const target = q * n
  let before = 0
  for (let i = 0; i < buckets.length; i++) {
    const count = buckets[i]!
    if (count && before + count >= target) {
      const lower = i ? dwellBucketLimitsMs[i - 1]! : 0
      const upper = dwellBucketLimitsMs[i]!
      if (!Number.isFinite(upper)) return Math.round(lower / 1000)
      return Math.round((lower + ((target - before) / count) * (upper - lower)) / 1000)
    }
    before += count
  }
  return null
}

const small = (n: number, k: number) => n > 0 && n < k
const percent = (part: number, whole: number) => (whole ? Math.round((1000 * part) / whole) / 10 : null)

function values(sums: CellSums, measure: Measure, k: number): Partial<Record<MetricKey, MetricValue>> {
  if (measure === 'zone') {
    return {
      people: sums.visits,
      sessions: sums.sessions,
      dwellMedianS: dwellPercentileS(sums.buckets, 0.5),
      dwellP75S: dwellPercentileS(sums.buckets, 0.75),
      attentionShare: percent(sums.attentionMsSum, sums.dwellMsSum),
    }
  }
  return {
    visits: sums.visits,
    firstVisits: sums.firstVisits,
    returns: sums.returns,
    // the share splits visits into broker and walk-in counts: either being small would show through it
    brokerShare:
      small(sums.brokerVisits, k) || small(sums.visits - sums.brokerVisits, k)
        ? 'hidden'
        : percent(sums.brokerVisits, sums.visits),
    consentedShare: percent(sums.consented, sums.visits),
    disputed: sums.disputed,
    assigned: sums.assigned,
    followedUp: sums.followedUp,
  }
}

// Everything a reader may see of a grid: suppressed cells carry no number at all, so no caller can leak one.
export function releaseGrid(
  grid: Grid,
  {
    k,
    epsilon = null,
    uniform = cryptoUniform,
  }: { k: number; epsilon?: number | null; uniform?: () => number },
): Released {
  if (!Number.isInteger(k) || k < 2) throw new Error('k must be an integer ≥ 2')
  if (epsilon !== null && !(epsilon > 0)) throw new Error('epsilon must be positive')
  const { measure } = grid
  const sums = grid.cells.map((row) => row.map((s) => s ?? emptySums()))
  const rowSums = sums.map((row) => row.reduce((acc, s) => addSums(acc, s), emptySums()))
  const colSums = grid.cols.map((_, c) => sums.reduce((acc, row) => addSums(acc, row[c]!), emptySums()))
  const grandSums = rowSums.reduce((acc, s) => addSums(acc, s), emptySums())
  const pattern = suppressionPattern(
    grid.cells.map((row) => row.map((s) => cellSize(s, measure))),
    k,
    {
      rows: rowSums.map((s) => cellSize(s, measure)),
      cols: colSums.map((s) => cellSize(s, measure)),
      grand: cellSize(grandSums, measure),
    },
  )
  // by channel, a total's broker share is the walk-in cell in disguise: hidden wherever that cell is
  const walkIn = grid.cols.findIndex((c) => c.key === 'walk-in')
  const release = (s: CellSums, hidden: boolean, walkInHidden = false): ReleasedCell => {
    if (hidden) return { suppressed: true }
    const released = values(epsilon ? noisy(s, epsilon, uniform) : s, measure, k)
    if (walkInHidden && measure === 'visits') released.brokerShare = 'hidden'
    return { suppressed: false, values: released }
  }
  return {
    measure,
    metrics: metricsOf[measure],
    k,
    epsilon,
    cols: grid.cols,
    rows: grid.rows.map((row, r) => ({
      ...row,
      cells: sums[r]!.map((s, c) => release(s, pattern.cells[r]![c]!)),
      total: release(rowSums[r]!, pattern.rowTotals[r]!, walkIn >= 0 && pattern.cells[r]![walkIn]!),
    })),
    colTotals: colSums.map((s, c) => release(s, pattern.colTotals[c]!)),
    grand: release(grandSums, pattern.grand, walkIn >= 0 && pattern.colTotals[walkIn]!),
  }
}

// the one way a released figure becomes text: `<k` for a suppressed cell, '' for an undefined ratio
export function formatMetric(cell: ReleasedCell, metric: MetricKey, k: number): string {
  if (cell.suppressed) return `<${k}`
  const value = cell.values[metric]
  if (value === 'hidden') return `<${k}`
  return value === null || value === undefined ? '' : String(value)
}
