// Retention on a libsql server: the purge against sqld deletes what is due and records success; a failed purge is
// logged at `error` and shown as failed on the privacy console.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { eq } from 'drizzle-orm'
import { sqldBinary, freePort, startChild } from '../helpers/runtime.ts'
import { Client, TestClock } from '../helpers/app.ts'
import { openDatabase, migrateDatabase, type Database } from '../../models/db.ts'
import { seedFirstStart } from '../../models/seed.ts'
import { appendAudit, auditLog } from '../../models/audit.ts'
import { usedTokens } from '../../models/visits.ts'
import { listPurgeRuns, purgeExpired } from '../../models/retention.ts'
import { startPurgeJob } from '../../server/jobs/purge.ts'
import { createApp } from '../../server/app.ts'
import { testConfig } from '../../server/config.ts'
import { ephemeralKeys } from '../../server/keys.ts'
import { LiveHub } from '../../server/live.ts'
import { nodeAssetReader } from '../../server/assets-node.ts'
import { setLogSink } from '../../server/log.ts'

const day = 86400_000

async function withSqld(work: (database: Database) => Promise<void>) {
  const root = await mkdtemp(path.join(tmpdir(), 'showroom-sqld-purge-'))
  const port = await freePort()
  const sqld = startChild(
    sqldBinary(),
    ['--db-path', path.join(root, 'db.sqld'), '--http-listen-addr', `127.0.0.1:${port}`, '--no-welcome'],
    { PATH: process.env.PATH, HOME: root, RUST_LOG: 'info' },
  )
  try {
    await sqld.waitFor(/listening for incoming user HTTP connection/)
    const database = await openDatabase({ url: `http://127.0.0.1:${port}` })
    try {
      await migrateDatabase(database)
      await work(database)
    } finally {
      database.close()
    }
  } finally {
    await sqld.stop()
    await rm(root, { recursive: true, force: true })
  }
}

test('purge against sqld deletes what is due and records a successful run', async () => {
  await withSqld(async (database) => {
    const now = Date.now()
    const seeded = (await seedFirstStart({ database, adminPassword: 'pw-sqld-purge', demo: false, now }))!
    await database.write(async (tx) => {
      await appendAudit(tx, {
        at: now - 2000 * day,
        officeId: seeded.officeId,
        actorType: 'system',
        action: 'old',
      })
      await appendAudit(tx, { at: now - 2000 * day, actorType: 'system', action: 'old' })
      await appendAudit(tx, {
        at: now - 10 * day,
        officeId: seeded.officeId,
        actorType: 'system',
        action: 'recent',
      })
      await tx
        .insert(usedTokens)
        .values({ jti: 'spent-long-ago', typ: 'entrance', usedAt: now - 2 * day, expiresAt: now - day })
    })
    const result = await purgeExpired({ database, now, trigger: 'manual' })
    assert.equal(result.error, null)
    assert.equal(result.deleted['audit-log'], 2)
    assert.equal(result.deleted['used-tokens'], 1)
    assert.deepEqual(await database.db.select().from(auditLog).where(eq(auditLog.action, 'old')), [])
    assert.equal((await database.db.select().from(auditLog).where(eq(auditLog.action, 'recent'))).length, 1)
    const [run] = await listPurgeRuns(database.db, { limit: 1 })
    assert.equal(run!.id, result.id)
    assert.equal(run!.error, null)
    const [audited] = await database.db.select().from(auditLog).where(eq(auditLog.target, result.id))
    assert.equal(audited!.action, 'retention.purged')
  })
})

test('a failed purge on sqld is logged at error and shown as failed on the privacy console', async () => {
  await withSqld(async (database) => {
    const clock = new TestClock(Date.now())
    const seeded = (await seedFirstStart({
      database,
      adminPassword: 'pw-sqld-purge',
      demo: true,
      now: clock.now(),
    }))!
    // the forced failure: a table the purge deletes from is gone
    await database.client.execute('DROP TABLE station_events')
    const lines: string[] = []
    const previous = setLogSink((line) => lines.push(line))
    try {
      const job = startPurgeJob({ config: testConfig(), database, clock })
      await job.first
      await job.stop()
    } finally {
      setLogSink(previous)
    }
    const logged = lines
      .map((line) => JSON.parse(line))
      .find((entry) => entry.msg.startsWith('retention purge'))
    assert.equal(logged.level, 'error', JSON.stringify(logged))
    assert.match(logged.msg, /failed/)
    assert.match(logged.error, /station_events/)
    const [run] = await listPurgeRuns(database.db, { limit: 1 })
    assert.match(run!.error ?? '', /station_events/)

    const app = createApp({
      config: testConfig(),
      database,
      keys: await ephemeralKeys(),
      clock,
      live: new LiveHub(),
      assets: nodeAssetReader(),
    })
    const officer = new Client(app)
    const privacyPassword = seeded.demoAccounts.find((a) => a.username === 'privacy')!.password
    await officer.login('privacy', privacyPassword)
    const overview = await (await officer.request('/privacy')).text()
    assert.match(overview, /id="last-purge-failed"/)
    const runs = await (await officer.request('/privacy/purges')).text()
    assert.match(runs, /class="bad">[^<]*(错误|Error)/)
  })
})
