// The developer report's anonymity: small cells suppressed with partners, small splits hidden, totals safe.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { releaseDeveloperGrid } from '../../models/developer-report.ts'

const c = (visits: number, firstVisits = visits, crossOffice = 0) => ({ visits, firstVisits, crossOffice })

test('offices with k or more in every cell are shown in full, with the developer total', () => {
  const { perOffice, total } = releaseDeveloperGrid(
    [
      { walkIn: c(20, 15), broker: c(10, 8, 5) },
      { walkIn: c(30, 25), broker: c(12, 12, 6) },
    ],
    5,
  )
  assert.deepEqual(perOffice[0], { visits: 30, firstVisits: 23, walkIn: 20, broker: 10, crossOffice: 5 })
  assert.deepEqual(perOffice[1], { visits: 42, firstVisits: 37, walkIn: 30, broker: 12, crossOffice: 6 })
  assert.deepEqual(total, { visits: 72, firstVisits: 60, walkIn: 50, broker: 22, crossOffice: 11 })
})

test('a small cell is hidden, and a partner too, so it cannot be worked out from the totals', () => {
  const { perOffice, total } = releaseDeveloperGrid(
    [
      { walkIn: c(20), broker: c(2) },
      { walkIn: c(30), broker: c(12) },
    ],
    5,
  )
  assert.equal(perOffice[0]!.broker, 'hidden')
  assert.equal(perOffice[0]!.crossOffice, 'hidden', 'a part of a hidden cell is hidden')
  // office 1's broker cell or the broker total must go too, else 2 = total − 12
  const derivable = perOffice[1]!.broker !== 'hidden' && total.broker !== 'hidden'
  assert.equal(derivable, false)
  // and the row: 2 = visits − walk-in unless one of them is hidden as well
  assert.ok(perOffice[0]!.visits === 'hidden' || perOffice[0]!.walkIn === 'hidden')
})

test('an office of fewer than k visits shows nothing but <k', () => {
  const { perOffice } = releaseDeveloperGrid(
    [
      { walkIn: c(2), broker: c(1) },
      { walkIn: c(30), broker: c(12) },
      { walkIn: c(25), broker: c(9) },
    ],
    5,
  )
  assert.deepEqual(perOffice[0], {
    visits: 'hidden',
    firstVisits: 'hidden',
    walkIn: 'hidden',
    broker: 'hidden',
    crossOffice: 'hidden',
  })
})

test('a split that leaves fewer than k on either side is hidden (first visits, sibling-office arrivals)', () => {
  const { perOffice } = releaseDeveloperGrid(
    [
      { walkIn: c(20, 15), broker: c(10, 10, 1) },
      { walkIn: c(30, 30), broker: c(12, 12, 10) },
    ],
    5,
  )
  assert.equal(perOffice[0]!.crossOffice, 'hidden', 'one person arrived on another office’s registration')
  assert.equal(perOffice[1]!.crossOffice, 'hidden', '12 − 10 = 2 came on this office’s own registrations')
  assert.equal(perOffice[0]!.firstVisits, 25, '25 first visits and 5 returns: both at least k')
  const strict = releaseDeveloperGrid([{ walkIn: c(20, 18), broker: c(10, 10) }], 5)
  assert.equal(strict.perOffice[0]!.firstVisits, 'hidden', '30 visits, 28 first: 2 returns would show')
  assert.equal(releaseDeveloperGrid([{ walkIn: c(0), broker: c(0) }], 5).total.visits, 0, 'zero is no one')
})
