// `npm run backup`: a consistent copy of the live SQLite database (VACUUM INTO) and the keys into BACKUP_DIR,
// private to the user; backups older than the longest retention period are deleted (the notice's promise).
import { mkdir, chmod, copyFile, access, readdir, rm } from 'node:fs/promises'
import path from 'node:path'
import { createClient } from '@libsql/client'
import { configFromEnv } from '../server/config.ts'
import { drizzle } from 'drizzle-orm/libsql'
import * as schema from '../models/schema.ts'
import { longestRetentionDays } from '../models/retention.ts'

export type BackupResult = {
  databaseFile: string
  keysFile: string | null
  pruned: string[]
  keepDays: number
}

const day = 86400_000

// "2026-11-23T11:09:53.123Z" → "2026-11-23T11-09-53-123Z": sortable and safe in every file system
export function backupStamp(now: number): string {
  return new Date(now).toISOString().replace(/[:.]/g, '-')
}

const stampPattern = /^(\d{4}-\d\d-\d\d)T(\d\d)-(\d\d)-(\d\d)-(\d{3})Z\.(db|keys\.json)$/

// the time a backup file was taken, from its name; null for a file that is not one of ours
export function backupTime(name: string): number | null {
  const m = stampPattern.exec(name)
  if (!m) return null
  const at = Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4]}.${m[5]}Z`)
  return Number.isNaN(at) ? null : at
}

export function databaseFileOf(databaseUrl: string): string | null {
  if (!databaseUrl.startsWith('file:')) return null
  return databaseUrl.slice('file:'.length).split('?')[0]!
}

export class NotALocalDatabase extends Error {}

export const libsqlBackupAdvice = (url: string) =>
  `npm run backup copies a local SQLite file; ${url} is a libsql server. Back it up on that server: stop the ` +
  'sqld primary briefly and copy its --db-path, or use its bottomless replication to object storage ' +
  '(docs/deployment.md, "Backups"). Keep keys.json with those copies.'

// deletes backups taken more than keepDays ago: a backup must not keep what the purge has deleted
export async function pruneBackups(backupsDir: string, keepDays: number, now: number): Promise<string[]> {
  const pruned: string[] = []
  for (const name of await readdir(backupsDir)) {
    const at = backupTime(name)
    if (at === null || at >= now - keepDays * day) continue
    await rm(path.join(backupsDir, name), { force: true })
    pruned.push(name)
  }
  return pruned.sort()
}

// runs while the server is up: VACUUM INTO reads one snapshot, so concurrent writers neither block nor tear it
export async function backupDatabase({
  databaseUrl,
  dataDir,
  backupsDir,
  now = Date.now(),
}: {
  databaseUrl: string
  dataDir: string
  backupsDir: string
  now?: number
}): Promise<BackupResult> {
  if (!databaseFileOf(databaseUrl)) throw new NotALocalDatabase(libsqlBackupAdvice(databaseUrl))
  const previous = process.umask(0o077)
  try {
    await mkdir(backupsDir, { recursive: true, mode: 0o700 })
    const stamp = backupStamp(now)
    const databaseFile = path.join(backupsDir, `${stamp}.db`)
    const client = createClient({ url: databaseUrl })
    let keepDays: number
    try {
      await client.execute({ sql: 'VACUUM INTO ?', args: [databaseFile] })
      keepDays = await longestRetentionDays(drizzle(client, { schema, casing: 'snake_case' }))
    } finally {
      client.close()
    }
    await chmod(databaseFile, 0o600)
    // the database is unreadable in part (encrypted phone numbers) and its tokens unverifiable without its keys
    const keys = path.join(dataDir, 'keys.json')
    let keysFile: string | null = path.join(backupsDir, `${stamp}.keys.json`)
    try {
      await access(keys)
      await copyFile(keys, keysFile)
      await chmod(keysFile, 0o600)
    } catch {
      keysFile = null
    }
    const pruned = await pruneBackups(backupsDir, keepDays, now)
    return { databaseFile, keysFile, pruned, keepDays }
  } finally {
    process.umask(previous)
  }
}

if (process.argv[1]?.endsWith('scripts/backup.ts')) {
  const config = configFromEnv(process.env)
  try {
    const result = await backupDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      backupsDir: config.backupDir,
    })
    console.log(
      JSON.stringify({ at: new Date().toISOString(), level: 'info', msg: 'backup written', ...result }),
    )
  } catch (error) {
    const msg = error instanceof NotALocalDatabase ? error.message : `backup failed: ${String(error)}`
    console.error(JSON.stringify({ at: new Date().toISOString(), level: 'error', msg }))
    process.exit(error instanceof NotALocalDatabase ? 3 : 1)
  }
}
