// Roll-ups: counts right, recomputing changes nothing, and purged personal data does not erase past counts.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import { makeTestApp } from '../helpers/app.ts'
import { reportFixtures, craftedDataset, craftedDays } from '../helpers/report-fixtures.ts'
import { dailyRollups, rollupDays, setRolledThrough, rolledThrough } from '../../models/rollups.ts'
import { visits, visitors } from '../../models/visits.ts'
import { cameraSessions } from '../../models/consents.ts'
import { reportGrid, type ReportFilters } from '../../models/reports.ts'

async function setup() {
  const t = await makeTestApp({ demo: true })
  const fx = await reportFixtures(t.database, t.seeded.officeId)
  const crafted = await craftedDataset(fx)
  return { ...t, fx, crafted }
}

const range = { officeId: '', from: craftedDays[0]!, to: craftedDays.at(-1)! }

async function allRollups(t: Awaited<ReturnType<typeof setup>>) {
  return t.database.db
    .select()
    .from(dailyRollups)
    .where(eq(dailyRollups.officeId, t.seeded.officeId))
    .orderBy(dailyRollups.day, dailyRollups.hour, dailyRollups.channel, dailyRollups.zone)
}

test('rollupDays counts visits, conversions and sessions per hour × channel × zone, and is idempotent', async () => {
  const t = await setup()
  const input = { ...range, officeId: t.seeded.officeId }
  await t.database.write((tx) => rollupDays({ tx, ...input }))
  const first = await allRollups(t)
  const visitRows = first.filter((r) => r.zone === '')
  assert.equal(
    visitRows.reduce((a, r) => a + r.visits, 0),
    5 * 14 + 1,
  )
  const walkIn10 = visitRows.find((r) => r.day === '2026-11-18' && r.hour === 10 && r.channel === 'walk-in')!
  assert.deepEqual(
    [
      walkIn10.visits,
      walkIn10.firstVisits,
      walkIn10.returns,
      walkIn10.assigned,
      walkIn10.followedUp,
      walkIn10.consented,
    ],
    [8, 5, 3, 6, 2, 6],
  )
  assert.equal(
    visitRows.reduce((a, r) => a + r.disputed, 0),
    1,
  )
  const lone = first.filter((r) => r.day === '2026-11-20' && r.zone === 'model-unit')
  assert.equal(lone.length, 1)
  assert.equal(lone[0]!.visits, 1)
  assert.equal(lone[0]!.channel, `broker:${t.crafted.liu.id}`)
  // 400 s of dwell: the 5–10 min bucket
  assert.equal(lone[0]!.dwellB6, 1)
  assert.equal(lone[0]!.dwellMsSum, 400_000)
  // no finer time than the hour, and no id of a person anywhere in the table
  assert.deepEqual(Object.keys(first[0]!).sort(), [
    'assigned',
    'attentionMsSum',
    'channel',
    'consented',
    'day',
    'disputed',
    'dwellB0',
    'dwellB1',
    'dwellB2',
    'dwellB3',
    'dwellB4',
    'dwellB5',
    'dwellB6',
    'dwellB7',
    'dwellMsSum',
    'firstVisits',
    'followedUp',
    'hour',
    'officeId',
    'returns',
    'sessions',
    'visits',
    'zone',
  ])

  await t.database.write((tx) => rollupDays({ tx, ...input }))
  assert.deepEqual(await allRollups(t), first)
})

test('roll-ups survive the deletion of the visits and sessions they were computed from', async () => {
  const t = await setup()
  const input = { ...range, officeId: t.seeded.officeId }
  await t.database.write((tx) => rollupDays({ tx, ...input }))
  const before = await allRollups(t)
  await t.database.write(async (tx) => {
    await tx.delete(cameraSessions)
    await tx.delete(visits)
    await tx.delete(visitors)
  })
  await t.database.write((tx) => rollupDays({ tx, ...input }))
  assert.deepEqual(await allRollups(t), before)
})

test('a report reads the same from roll-ups as from live data', async () => {
  const t = await setup()
  const officeId = t.seeded.officeId
  const filters: ReportFilters = { preset: 'custom', ...range, group: 'day', split: 'channel', channel: null }
  const live = await reportGrid(t.database.db, officeId, filters)
  await t.database.write(async (tx) => {
    await rollupDays({ tx, officeId, from: range.from, to: range.to })
    await setRolledThrough({ tx, officeId, day: '2026-11-21' })
  })
  assert.equal(await rolledThrough(t.database.db, officeId), '2026-11-21')
  assert.deepEqual(await reportGrid(t.database.db, officeId, filters), live)
  for (const split of ['zone', 'none'] as const) {
    for (const group of ['week', 'hour'] as const) {
      const f = { ...filters, split, group }
      const rolled = await reportGrid(t.database.db, officeId, f)
      assert.ok(rolled.rows.length > 0)
      assert.ok(
        rolled.cells.flat().some((c) => c !== null),
        `${split}/${group} has data`,
      )
    }
  }
})

test('rollupDays rejects a bad range and changes nothing', async () => {
  const t = await setup()
  await assert.rejects(
    t.database.write((tx) =>
      rollupDays({ tx, officeId: t.seeded.officeId, from: '2026-11-22', to: '2026-11-18' }),
    ),
  )
  await assert.rejects(
    t.database.write((tx) =>
      rollupDays({ tx, officeId: t.seeded.officeId, from: '2026-02-30', to: '2026-03-01' }),
    ),
  )
  assert.equal((await allRollups(t)).length, 0)
})
