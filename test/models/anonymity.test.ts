// The anonymity gate: small cells hidden, no hidden cell recoverable from its row or column, noise recorded.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import {
  suppressionPattern,
  releaseGrid,
  emptySums,
  formatMetric,
  dwellPercentileS,
  type Grid,
  type Pattern,
} from '../../models/anonymity.ts'

// every line of the table-with-totals: its entries' hidden flags
function lines(p: Pattern): boolean[][] {
  const R = p.cells.length
  const C = R ? p.cells[0]!.length : 0
  return [
    ...p.cells.map((row, r) => [...row, p.rowTotals[r]!]),
    ...Array.from({ length: C }, (_, c) => [...p.cells.map((row) => row[c]!), p.colTotals[c]!]),
    [...p.colTotals, p.grand],
    [...p.rowTotals, p.grand],
  ]
}

test('a lone small cell is hidden together with a partner in its row and in its column', () => {
  const sizes = [
    [20, 1, 30],
    [15, 12, 9],
    [8, 25, 40],
  ]
  const p = suppressionPattern(sizes, 5)
  assert.equal(p.cells[0]![1], true)
  assert.ok(p.cells[0]!.filter(Boolean).length >= 2, 'row 0 needs a second hidden cell')
  assert.ok(p.cells.filter((row) => row[1]).length >= 2, 'column 1 needs a second hidden cell')
  for (const line of lines(p)) assert.notEqual(line.filter(Boolean).length, 1)
  // totals of at least k stay visible: they are what marketing reads
  assert.deepEqual(p.rowTotals, [false, false, false])
  assert.equal(p.grand, false)
})

test('property: small cells and small totals hidden; no line of the table has exactly one hidden entry', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 6 }).chain((rows) =>
        fc.record({
          k: fc.integer({ min: 2, max: 10 }),
          sizes: fc.array(
            fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 30 })), {
              minLength: 1,
              maxLength: 5,
            }),
            { minLength: rows, maxLength: rows },
          ),
        }),
      ),
      ({ k, sizes }) => {
        const width = sizes[0]!.length
        const grid = sizes.map((row) => Array.from({ length: width }, (_, c) => row[c] ?? 0))
        const p = suppressionPattern(grid, k)
        grid.forEach((row, r) =>
          row.forEach((n, c) => {
            if (n > 0 && n < k) assert.ok(p.cells[r]![c], 'small cell shown')
          }),
        )
        grid.forEach((row, r) => {
          const total = row.reduce((a, b) => a + b, 0)
          if (total > 0 && total < k) assert.ok(p.rowTotals[r], 'small row total shown')
        })
        for (const line of lines(p)) assert.notEqual(line.filter(Boolean).length, 1)
      },
    ),
    { numRuns: 400 },
  )
})

function grid(cells: number[][]): Grid {
  return {
    measure: 'visits',
    rows: cells.map((_, r) => ({ key: `r${r}`, label: `r${r}` })),
    cols: cells[0]!.map((_, c) => ({ key: `c${c}`, label: `c${c}` })),
    cells: cells.map((row) =>
      row.map((n) => (n ? { ...emptySums(), visits: n, firstVisits: n, brokerVisits: 0 } : null)),
    ),
  }
}

test('released suppressed cells carry no numbers and print as <k', () => {
  const released = releaseGrid(
    grid([
      [9, 1],
      [7, 8],
    ]),
    { k: 5 },
  )
  const hidden = released.rows[0]!.cells[1]!
  assert.deepEqual(hidden, { suppressed: true })
  assert.equal(formatMetric(hidden, 'visits', 5), '<5')
  assert.equal(released.epsilon, null)
  // exact without noise
  assert.equal(formatMetric(released.grand, 'visits', 5), '25')
})

test('a cell with no visit but a disputed referral is suppressed too', () => {
  const g = grid([
    [9, 0],
    [7, 8],
  ])
  g.cells[0]![1] = { ...emptySums(), disputed: 1 }
  const released = releaseGrid(g, { k: 5 })
  assert.equal(released.rows[0]!.cells[1]!.suppressed, true)
})

test('Laplace noise is applied when ε is given and ε is recorded', () => {
  let i = 0
  const uniforms = [0.9, 0.1, 0.8, 0.2, 0.95, 0.05]
  const uniform = () => uniforms[i++ % uniforms.length]!
  const exact = releaseGrid(
    grid([
      [50, 60],
      [70, 80],
    ]),
    { k: 5 },
  )
  const noisy = releaseGrid(
    grid([
      [50, 60],
      [70, 80],
    ]),
    { k: 5, epsilon: 0.5, uniform },
  )
  assert.equal(noisy.epsilon, 0.5)
  const values = (r: typeof exact) =>
    r.rows.flatMap((row) => row.cells.map((c) => formatMetric(c, 'visits', 5)))
  assert.notDeepEqual(values(noisy), values(exact))
  assert.throws(() => releaseGrid(grid([[1]]), { k: 5, epsilon: 0 }))
  assert.throws(() => releaseGrid(grid([[1]]), { k: 1 }))
})

test('dwell percentiles interpolate inside the histogram bucket', () => {
  // 10 sessions all in 15–30 s: median at 22.5 s → 23
  assert.equal(dwellPercentileS([0, 0, 10, 0, 0, 0, 0, 0], 0.5), 23)
  assert.equal(dwellPercentileS([0, 0, 0, 0, 0, 0, 0, 4], 0.75), 600)
  assert.equal(dwellPercentileS([0, 0, 0, 0, 0, 0, 0, 0], 0.5), null)
})

test('broker share is hidden where it would reveal a small count or a hidden walk-in cell', () => {
  const sums = (visits: number, brokerVisits: number) => ({ ...emptySums(), visits, brokerVisits })
  // no split: 1 broker visit among 12 → the share would show that one visit
  const plain: Grid = {
    measure: 'visits',
    rows: [
      { key: 'd1', label: 'd1' },
      { key: 'd2', label: 'd2' },
    ],
    cols: [{ key: 'all', label: 'all' }],
    cells: [[sums(12, 1)], [sums(20, 10)]],
  }
  const p = releaseGrid(plain, { k: 5 })
  assert.equal(formatMetric(p.rows[0]!.total, 'brokerShare', 5), '<5')
  assert.equal(formatMetric(p.rows[1]!.total, 'brokerShare', 5), '50')
  // by channel: the walk-in cell of d1 is hidden (complement of the small broker cell), so d1's share is too
  const byChannel: Grid = {
    measure: 'visits',
    rows: [
      { key: 'd1', label: 'd1' },
      { key: 'd2', label: 'd2' },
    ],
    cols: [
      { key: 'walk-in', label: 'walk-in' },
      { key: 'broker:a', label: 'A' },
      { key: 'broker:b', label: 'B' },
    ],
    cells: [
      [sums(8, 0), sums(6, 6), sums(1, 1)],
      [sums(9, 0), sums(7, 7), sums(6, 6)],
    ],
  }
  const c = releaseGrid(byChannel, { k: 5 })
  const hiddenWalkIn = c.rows[0]!.cells[0]!.suppressed
  assert.equal(formatMetric(c.rows[0]!.total, 'brokerShare', 5) === '<5', hiddenWalkIn)
  assert.notEqual(formatMetric(c.rows[0]!.total, 'visits', 5), '<5')
})
