// Database handle: drizzle over @libsql/client (embedded SQLite file by default, a libsql server by URL).
import { createClient, type Client } from '@libsql/client'
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql'
import { migrate } from 'drizzle-orm/libsql/migrator'
import { fileURLToPath } from 'node:url'
import * as schema from './schema.ts'

export type Db = LibSQLDatabase<typeof schema>
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]
export type Database = {
  db: Db
  client: Client
  url: string
  // runs `work` in one write transaction; in-process writers queue instead of spinning on SQLITE_BUSY
  write: <T>(work: (tx: Tx) => Promise<T>) => Promise<T>
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
  // busy timeout covers other processes; in this process the queue below serialises writers
  const client = createClient({ url, authToken, timeout: 5000 })
  if (isFile && url !== ':memory:') {
    // incremental auto-vacuum lets the purge hand freed pages back (deleted data must not linger); it must be
    // set before anything writes the file header (journal_mode = WAL does), and an older file needs one VACUUM
    await client.execute('PRAGMA auto_vacuum = INCREMENTAL')
    await client.execute('PRAGMA journal_mode = WAL')
    const mode = await client.execute('PRAGMA auto_vacuum')
    if (Number(mode.rows[0]?.auto_vacuum) !== 2) await client.execute('VACUUM')
  }
  const db = drizzle(client, { schema, casing: 'snake_case' })
  let queue: Promise<unknown> = Promise.resolve()
  const write = <T>(work: (tx: Tx) => Promise<T>): Promise<T> => {
    const run = queue.then(() => db.transaction(work, { behavior: 'immediate' }))
    queue = run.catch(() => undefined)
    return run
  }
  return { db, client, url, write, close: () => client.close() }
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
