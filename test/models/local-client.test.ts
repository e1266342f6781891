// The embedded-file client: writes outside a transaction queue behind it (no 5 s freeze), reads never wait,
// rows look like @libsql/client's, errors roll back and keep SQLite's codes.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { setImmediate as turn } from 'node:timers/promises'
import { eq } from 'drizzle-orm'
import { openDatabase, migrateDatabase, localPath } from '../../models/db.ts'
import { appendAudit, auditLog } from '../../models/audit.ts'
import { createLocalClient } from '../../models/local-client.ts'

async function fileDatabase() {
  const dir = await mkdtemp(path.join(tmpdir(), 'showroom-client-'))
  const database = await openDatabase({ url: `file:${dir}/t.db` })
  await migrateDatabase(database)
  return {
    database,
    async [Symbol.asyncDispose]() {
      database.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

// a write transaction held open until `release` is called
function heldTransaction(database: Awaited<ReturnType<typeof fileDatabase>>['database']) {
  let release!: () => void
  const gate = new Promise<void>((resolve) => (release = resolve))
  let opened!: () => void
  const open = new Promise<void>((resolve) => (opened = resolve))
  const done = database.write(async (tx) => {
    await appendAudit(tx, { at: 1, actorType: 'system', action: 'test.inside' })
    opened()
    await gate
  })
  return { open, release, done }
}

test('a write outside a transaction waits for it instead of failing with SQLITE_BUSY after the timeout', async () => {
  await using file = await fileDatabase()
  const { database } = file
  const held = heldTransaction(database)
  await held.open
  let outsideDone = false
  const outside = appendAudit(database.db, { at: 2, actorType: 'system', action: 'test.outside' }).then(
    () => {
      outsideDone = true
    },
  )
  for (let i = 0; i < 20; i++) await turn()
  assert.equal(outsideDone, false, 'the outside write waits while the transaction holds the writer')
  held.release()
  await held.done
  await outside
  const actions = (await database.db.select().from(auditLog)).map((row) => row.action)
  assert.deepEqual(actions.filter((a) => a.startsWith('test.')).sort(), ['test.inside', 'test.outside'])
})

test('a read outside a transaction answers at once from the last commit', async () => {
  await using file = await fileDatabase()
  const { database } = file
  await appendAudit(database.db, { at: 0, actorType: 'system', action: 'test.before' })
  const held = heldTransaction(database)
  await held.open
  const seen = await database.db.select().from(auditLog).where(eq(auditLog.action, 'test.inside'))
  assert.equal(seen.length, 0, 'uncommitted work is not visible outside its transaction')
  const before = await database.db.select().from(auditLog).where(eq(auditLog.action, 'test.before'))
  assert.equal(before.length, 1)
  held.release()
  await held.done
  assert.equal(
    (await database.db.select().from(auditLog).where(eq(auditLog.action, 'test.inside'))).length,
    1,
  )
})

test('rows carry names, indices and length; a repeated column name keeps the first value', async () => {
  const client = createLocalClient({ path: ':memory:' })
  const result = await client.execute({ sql: 'SELECT ? AS a, ? AS b, 3 AS a', args: [1, 'two'] })
  assert.deepEqual(result.columns, ['a', 'b', 'a'])
  const row = result.rows[0]!
  assert.equal(row.a, 1)
  assert.equal(row.b, 'two')
  assert.equal(row.length, 3)
  assert.deepEqual(Array.from(row as ArrayLike<unknown>), [1, 'two', 3])
  assert.deepEqual(Object.keys(row), ['a', 'b'])
  assert.deepEqual(result.toJSON().rows, [[1, 'two', 3]])
  // the cached statement answers again with new arguments
  assert.equal((await client.execute({ sql: 'SELECT ? AS a, ? AS b, 3 AS a', args: [9, 'x'] })).rows[0]!.a, 9)
  // a column may carry a name Object.prototype also has
  assert.equal((await client.execute('SELECT 7 AS constructor')).rows[0]!.constructor, 7)
  await assert.rejects(client.execute('SELECT * FROM no_such_table'), (error: Error & { code?: string }) => {
    assert.equal(error.code, 'SQLITE_ERROR')
    return true
  })
  client.close()
  await assert.rejects(client.execute('SELECT 1'), /closed/)
})

test('a failing statement in a batch rolls the whole batch back and keeps the SQLite code', async () => {
  const client = createLocalClient({ path: ':memory:' })
  await client.execute('CREATE TABLE t (id INTEGER PRIMARY KEY)')
  await assert.rejects(
    client.batch([
      { sql: 'INSERT INTO t VALUES (?)', args: [1] },
      { sql: 'INSERT INTO t VALUES (?)', args: [1] },
    ]),
    (error: Error & { code?: string }) => error.code === 'SQLITE_CONSTRAINT',
  )
  assert.equal((await client.execute('SELECT count(*) AS n FROM t')).rows[0]!.n, 0)
  const insert = await client.execute({ sql: 'INSERT INTO t VALUES (?)', args: [5] })
  assert.equal(insert.rowsAffected, 1)
  assert.equal(insert.lastInsertRowid, 5n)
  client.close()
})

test('a transaction left open by a failure is rolled back and the writer is free again', async () => {
  const client = createLocalClient({ path: ':memory:' })
  await client.execute('CREATE TABLE t (id INTEGER PRIMARY KEY)')
  const tx = await client.transaction('write')
  await tx.execute({ sql: 'INSERT INTO t VALUES (?)', args: [1] })
  tx.close()
  assert.equal(tx.closed, true)
  await assert.rejects(tx.execute({ sql: 'SELECT 1', args: [] }), /closed/)
  await client.execute({ sql: 'INSERT INTO t VALUES (?)', args: [2] })
  assert.deepEqual(
    (await client.execute('SELECT id FROM t')).rows.map((row) => row.id),
    [2],
  )
  client.close()
})

test('file URLs name the file the native driver opens', () => {
  assert.equal(localPath('file:data/showroom.db'), 'data/showroom.db')
  assert.equal(localPath('file:///var/lib/showroom/x.db?mode=rwc'), '/var/lib/showroom/x.db')
  assert.equal(localPath(':memory:'), ':memory:')
})
