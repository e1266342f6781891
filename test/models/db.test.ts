// Group commit: queued writers share one transaction, each in its own savepoint; a failing one harms no other.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { openDatabase, migrateDatabase } from '../../models/db.ts'
import { appendAudit, auditLog } from '../../models/audit.ts'

test('many concurrent writers: all committed, a failing one rolls back only its own work', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'showroom-db-'))
  const database = await openDatabase({ url: `file:${dir}/t.db` })
  await migrateDatabase(database)
  const writes = Array.from({ length: 200 }, (_, i) =>
    database.write(async (tx) => {
      await appendAudit(tx, { at: i, actorType: 'system', action: 'test.write', target: String(i) })
      if (i % 50 === 7) throw new Error(`writer ${i} fails`)
      return i
    }),
  )
  const results = await Promise.allSettled(writes)
  const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [i] : []))
  assert.deepEqual(failed, [7, 57, 107, 157])
  const rows = await database.db.select().from(auditLog)
  const targets = new Set(rows.filter((r) => r.action === 'test.write').map((r) => Number(r.target)))
  assert.equal(targets.size, 196)
  for (const i of failed) assert.equal(targets.has(i), false, `writer ${i} left nothing behind`)
  // values come back to each writer
  assert.equal((results[3] as PromiseFulfilledResult<number>).value, 3)
  database.close()
  await rm(dir, { recursive: true, force: true })
})

test('a lone writer that fails rolls back and is told so', async () => {
  const database = await openDatabase({ url: ':memory:' })
  await migrateDatabase(database)
  await assert.rejects(
    database.write(async (tx) => {
      await appendAudit(tx, { at: 1, actorType: 'system', action: 'test.lone' })
      throw new Error('nope')
    }),
    /nope/,
  )
  assert.equal((await database.db.select().from(auditLog)).filter((r) => r.action === 'test.lone').length, 0)
  database.close()
})
