// The roll-up job: rolls finished days at start, keeps today live, moves the watermark, and is idempotent.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import { makeTestApp } from '../../helpers/app.ts'
import { reportFixtures, craftedDataset, shanghai, loneDay } from '../../helpers/report-fixtures.ts'
import { consents, withdrawConsent } from '../../../models/consents.ts'
import { startRollupJob } from '../../../server/jobs/rollup.ts'
import { dailyRollups, rolledThrough } from '../../../models/rollups.ts'
import { reportGrid } from '../../../models/reports.ts'

test('the job rolls up through yesterday at start, and today is counted live', async () => {
  const t = await makeTestApp({ demo: true })
  const officeId = t.seeded.officeId
  const fx = await reportFixtures(t.database, officeId)
  await craftedDataset(fx)
  // today (2026-11-23 in Shanghai): not rolled up, still in reports
  await fx.visit({ at: shanghai('2026-11-23', 9) })

  const job = startRollupJob(t.deps, { intervalMs: 60_000 })
  await job.first
  assert.equal(await rolledThrough(t.database.db, officeId), '2026-11-22')
  const rows = await t.database.db.select().from(dailyRollups).where(eq(dailyRollups.officeId, officeId))
  assert.equal(
    rows.filter((r) => r.zone === '').reduce((a, r) => a + r.visits, 0),
    71,
  )
  assert.ok(rows.every((r) => r.day <= '2026-11-22'))

  const grid = await reportGrid(t.database.db, officeId, {
    preset: 'custom',
    from: '2026-11-18',
    to: '2026-11-23',
    group: 'day',
    split: 'none',
    channel: null,
  })
  assert.deepEqual(
    grid.cells.map((row) => row[0]?.visits ?? 0),
    [14, 14, 15, 14, 14, 1],
  )

  // the next day: yesterday gets rolled, running again changes nothing
  t.clock.advance(24 * 3600_000)
  await job.runNow()
  assert.equal(await rolledThrough(t.database.db, officeId), '2026-11-23')
  const after = await t.database.db.select().from(dailyRollups).where(eq(dailyRollups.officeId, officeId))
  assert.equal(
    after.filter((r) => r.zone === '').reduce((a, r) => a + r.visits, 0),
    72,
  )
  await job.runNow()
  const again = await t.database.db.select().from(dailyRollups).where(eq(dailyRollups.officeId, officeId))
  assert.equal(again.length, after.length)
  await job.stop()
})

test('a first catch-up over weeks of history rolls every day, a week per transaction', async () => {
  const t = await makeTestApp({ demo: true })
  const officeId = t.seeded.officeId
  const fx = await reportFixtures(t.database, officeId)
  for (const day of ['2026-10-01', '2026-10-15', '2026-11-02', '2026-11-22'])
    await fx.visit({ at: shanghai(day, 11) })
  const job = startRollupJob(t.deps, { intervalMs: 60_000 })
  await job.first
  await job.stop()
  const rows = await t.database.db.select().from(dailyRollups).where(eq(dailyRollups.officeId, officeId))
  assert.deepEqual(rows.map((r) => r.day).sort(), ['2026-10-01', '2026-10-15', '2026-11-02', '2026-11-22'])
  assert.equal(await rolledThrough(t.database.db, officeId), '2026-11-22')
})

test('a consent withdrawal removes that person from the rolled-up zone counts of their visit day', async () => {
  const t = await makeTestApp({ demo: true })
  const officeId = t.seeded.officeId
  const fx = await reportFixtures(t.database, officeId)
  const { lone } = await craftedDataset(fx)
  const job = startRollupJob(t.deps, { intervalMs: 60_000 })
  await job.first
  const zoneRows = async () =>
    (await t.database.db.select().from(dailyRollups).where(eq(dailyRollups.officeId, officeId))).filter(
      (r) => r.day === loneDay && r.zone !== '',
    )
  assert.ok((await zoneRows()).some((r) => r.zone === 'model-unit'))
  const sandTableBefore = (await zoneRows()).filter((r) => r.zone === 'sand-table')

  const [consent] = await t.database.db.select().from(consents).where(eq(consents.visitId, lone.visitId))
  await t.database.write((tx) => withdrawConsent({ tx, consentId: consent!.id, now: t.clock.now() }))
  t.deps.events!.emit({
    type: 'consent.changed',
    officeId,
    consentId: consent!.id,
    visitId: lone.visitId,
    granted: false,
  })
  await job.idle()

  const after = await zoneRows()
  assert.equal(after.filter((r) => r.zone === 'model-unit').length, 0, 'the withdrawn person is gone')
  assert.deepEqual(
    after.filter((r) => r.zone === 'sand-table'),
    sandTableBefore,
    'everyone else is still counted',
  )
  await job.stop()
})
