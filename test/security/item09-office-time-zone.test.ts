// Item 9 of the security review: an office's time zone is a real IANA zone, and one office cannot stop another's roll-ups.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { makeTestApp, Client, adminPassword } from '../helpers/app.ts'
import { createOffice, offices } from '../../models/offices.ts'
import { rolledThrough } from '../../models/rollups.ts'
import { startRollupJob } from '../../server/jobs/rollup.ts'

const office = { name: '三号案场', processorName: 'P', privacyContact: 'c', entranceName: '' }

test('item 9: POST /admin/offices refuses a time zone Intl does not list, and creates nothing', async () => {
  const t = await makeTestApp()
  const admin = new Client(t.app)
  await admin.login('admin', adminPassword)
  const count = async () => (await t.database.db.select().from(offices)).length
  const before = await count()
  for (const timeZone of [
    'Mars/Olympus',
    'Asia/Shanghai; DROP TABLE offices',
    '+08:00',
    'asia/shanghai ',
    '../../etc',
  ]) {
    const res = await admin.post('/admin/offices', { ...office, timeZone })
    assert.equal(res.status, 400, timeZone)
  }
  assert.equal(await count(), before)
  assert.equal((await admin.post('/admin/offices', { ...office, timeZone: 'Europe/Berlin' })).status, 303)
  assert.equal(await count(), before + 1)
})

test('item 9: an office with a broken time zone (older data) does not stop the roll-up job for the others', async () => {
  const t = await makeTestApp()
  // written past validation, as a database from before the check could hold it
  await t.database.db.insert(offices).values({
    id: 'office-broken-zone',
    name: 'broken',
    timeZone: 'Mars/Olympus',
    processorName: 'P',
    privacyContact: 'c',
    createdAt: t.clock.now(),
  })
  const later = await t.database.write((tx) =>
    createOffice({ tx, input: { ...office, timeZone: 'Asia/Shanghai' }, now: t.clock.now() }),
  )
  const errors: string[] = []
  const original = console.error
  console.error = (line: string) => void errors.push(String(line))
  try {
    const job = startRollupJob(t.deps, { intervalMs: 60_000 })
    await job.first
    await job.stop()
  } finally {
    console.error = original
  }
  assert.equal(await rolledThrough(t.database.db, t.seeded.officeId), '2026-11-22')
  assert.equal(await rolledThrough(t.database.db, later), '2026-11-22', 'the office after it was rolled up')
  assert.equal(await rolledThrough(t.database.db, 'office-broken-zone'), null)
  assert.ok(
    errors.some((e) => e.includes('office-broken-zone')),
    `the failing office is named in the log: ${errors.join(' | ')}`,
  )
})
