// The purge job runs at start and again on its interval, recording each run.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { makeTestApp } from '../../helpers/app.ts'
import { startPurgeJob } from '../../../server/jobs/purge.ts'
import { listPurgeRuns } from '../../../models/retention.ts'

test('the purge job runs once at start and then on every interval', async () => {
  const t = await makeTestApp({ config: { purgeIntervalMs: 20 } })
  const job = startPurgeJob(t.deps)
  await job.first
  const first = await listPurgeRuns(t.database.db)
  assert.equal(first.length, 1)
  assert.equal(first[0]!.trigger, 'start')
  // wait for the schedule to produce a second run (a condition, not a fixed sleep)
  while ((await listPurgeRuns(t.database.db)).length < 2) await new Promise((r) => setImmediate(r))
  await job.stop()
  const runs = await listPurgeRuns(t.database.db)
  assert.ok(runs.some((r) => r.trigger === 'schedule'))
})
