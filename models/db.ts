// Database handle: drizzle over @libsql/client (embedded SQLite file by default, a libsql server by URL).
import { createClient, type Client } from '@libsql/client'
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql'
import { migrate } from 'drizzle-orm/libsql/migrator'
import { fileURLToPath } from 'node:url'
import { createLocalClient } from './local-client.ts'
import * as schema from './schema.ts'

export type Db = LibSQLDatabase<typeof schema>
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]
export type Database = {
  db: Db
  client: Client
  url: string
  // runs `work` in one write transaction; in-process writers queue instead of spinning on SQLITE_BUSY
  write: <T>(work: (tx: Tx) => Promise<T>) => Promise<T>
  // how many write transactions ran and how many writers they served (group commit's batching, for benchmarks)
  writeStats: { transactions: number; writers: number }
  close: () => void
}

export const migrationsFolder = fileURLToPath(new URL('../drizzle/', import.meta.url))

export async function openDatabase({
  url,
  authToken,
}: {
  url: string
  authToken?: string
}): Promise<Database> {
  const isFile = url.startsWith('file:') || url === ':memory:'
  // busy timeout covers other processes; in this process the writer queue of the local client serialises writers
  const client = isFile
    ? createLocalClient({ path: localPath(url) })
    : createClient({ url, authToken, timeout: 5000 })
  if (isFile && url !== ':memory:') {
    // incremental auto-vacuum lets the purge hand freed pages back (deleted data must not linger); it must be
    // set before anything writes the file header (journal_mode = WAL does), and an older file needs one VACUUM
    await client.execute('PRAGMA auto_vacuum = INCREMENTAL')
    await client.execute('PRAGMA journal_mode = WAL')
    const mode = await client.execute('PRAGMA auto_vacuum')
    if (Number(mode.rows[0]?.auto_vacuum) !== 2) await client.execute('VACUUM')
  }
  const db = drizzle(client, { schema, casing: 'snake_case' })
  const writeStats = { transactions: 0, writers: 0 }
  return { db, client, url, write: groupCommit(db, writeStats), writeStats, close: () => client.close() }
}

// file:data/x.db, file:///abs/x.db, :memory: → what the native driver opens
export function localPath(url: string): string {
  if (url === ':memory:' || url === 'file::memory:') return ':memory:'
  const rest = url.slice('file:'.length).split('?')[0]!
  return rest.startsWith('//') ? fileURLToPath(url.split('?')[0]!) : decodeURIComponent(rest)
}

type Queued = {
  work: (tx: Tx) => Promise<unknown>
  resolve: (value: unknown) => void
  reject: (error: unknown) => void
}

// group commit: writers that queue up while a transaction runs share the next one, each inside its own
// savepoint (one failing writer rolls back only its own work); every writer is answered after the commit,
// so an acknowledged write is durable, and one fsync serves many writers
export const maxGroupSize = 64

function groupCommit(db: Db, stats: Database['writeStats']) {
  const pending: Queued[] = []
  let draining = false
  async function drain() {
    draining = true
    while (pending.length) {
      const group = pending.splice(0, maxGroupSize)
      stats.transactions++
      stats.writers += group.length
      const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = []
      try {
        await db.transaction(
          async (tx) => {
            for (const item of group) {
              try {
                outcomes.push({
                  ok: true,
                  value: group.length === 1 ? await item.work(tx) : await tx.transaction(item.work),
                })
              } catch (error) {
                if (group.length === 1) throw error
                outcomes.push({ ok: false, error })
              }
            }
          },
          { behavior: 'immediate' },
        )
      } catch (error) {
        for (const item of group) item.reject(error)
        continue
      }
      group.forEach((item, i) => {
        const outcome = outcomes[i]!
        if (outcome.ok) item.resolve(outcome.value)
        else item.reject(outcome.error)
      })
    }
    draining = false
  }
  return <T>(work: (tx: Tx) => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      pending.push({ work, resolve: resolve as (value: unknown) => void, reject })
      if (!draining) {
        draining = true
        setImmediate(drain)
      }
    })
}

export async function migrateDatabase(database: Database): Promise<void> {
  await migrate(database.db, { migrationsFolder })
}

// true when every migration shipped with this build is applied (readiness)
export async function migrationsCurrent(database: Database): Promise<boolean> {
  const { readMigrationFiles } = await import('drizzle-orm/migrator')
  const expected = readMigrationFiles({ migrationsFolder }).length
  try {
    const rows = await database.client.execute('SELECT count(*) AS n FROM __drizzle_migrations')
    return Number(rows.rows[0]?.n) >= expected
  } catch {
    return false
  }
}
