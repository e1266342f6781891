// `npm run restore -- <backup.db>`: puts a backup (and its keys) back as the live database, keeping the old one.
import { copyFile, chmod, rename, access, mkdir, open, stat } from 'node:fs/promises'
import path from 'node:path'
import { createClient } from '@libsql/client'
import { configFromEnv } from '../server/config.ts'
import { lockHolder } from '../server/instance-lock.ts'
import { backupStamp, databaseFileOf } from './backup.ts'

// exit codes a script can rely on
export const restoreExit = {
  ok: 0,
  failed: 1,
  usage: 2,
  badBackup: 3,
  serverRunning: 4,
  notLocal: 5,
} as const

export class RestoreRefused extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message)
  }
}

const sqliteHeader = 'SQLite format 3\0'

// a backup that is missing, empty, not SQLite or fails SQLite's own check is refused before anything is touched
export async function checkBackup(file: string): Promise<void> {
  const refuse = (why: string) => new RestoreRefused(`not restored: ${file} ${why}`, restoreExit.badBackup)
  const info = await stat(file).catch(() => null)
  if (!info) throw refuse('does not exist')
  if (!info.isFile()) throw refuse('is not a file')
  if (info.size === 0) throw refuse('is empty')
  const handle = await open(file, 'r')
  const head = Buffer.alloc(sqliteHeader.length)
  try {
    await handle.read(head, 0, head.length, 0)
  } finally {
    await handle.close()
  }
  if (head.toString('latin1') !== sqliteHeader) throw refuse('is not a SQLite database')
  const client = createClient({ url: `file:${file}` })
  try {
    const result = await client.execute('PRAGMA integrity_check')
    const verdict = String(result.rows[0]?.[0] ?? '')
    if (verdict !== 'ok') throw refuse(`failed integrity_check: ${verdict}`)
  } catch (error) {
    throw error instanceof RestoreRefused ? error : refuse(`cannot be read as SQLite: ${String(error)}`)
  } finally {
    client.close()
  }
}

// moves a file aside if it exists; returns where it went
async function moveAside(file: string, to: string): Promise<string | null> {
  try {
    await access(file)
  } catch {
    return null
  }
  await rename(file, to)
  return to
}

export type RestoreResult = { databaseFile: string; keysRestored: boolean; previous: string[] }

export async function restoreDatabase({
  backupFile,
  databaseUrl,
  dataDir,
  now = Date.now(),
}: {
  backupFile: string
  databaseUrl: string
  dataDir: string
  now?: number
}): Promise<RestoreResult> {
  const databaseFile = databaseFileOf(databaseUrl)
  if (!databaseFile) {
    throw new RestoreRefused(
      `not restored: restore works on a local SQLite file, not ${databaseUrl}; restore a libsql server from its own snapshots (docs/deployment.md)`,
      restoreExit.notLocal,
    )
  }
  await checkBackup(backupFile)
  const holder = await lockHolder(dataDir)
  if (holder) {
    throw new RestoreRefused(
      `not restored: a server (pid ${holder.pid}, started ${holder.startedAt}) is using ${dataDir}; stop it first`,
      restoreExit.serverRunning,
    )
  }
  const previousUmask = process.umask(0o077)
  try {
    await mkdir(path.dirname(databaseFile), { recursive: true, mode: 0o700 })
    // copy beside the target first: a failed copy leaves the live database where it was
    const staging = `${databaseFile}.restoring`
    await copyFile(backupFile, staging)
    await chmod(staging, 0o600)
    // the replaced database is kept with its WAL (SQLite replays it when the copy is opened), never deleted
    const aside = `${databaseFile}.before-restore-${backupStamp(now)}`
    const previous: string[] = []
    for (const suffix of ['', '-wal', '-shm']) {
      const moved = await moveAside(`${databaseFile}${suffix}`, `${aside}${suffix}`)
      if (moved) previous.push(moved)
    }
    await rename(staging, databaseFile)
    const keysBackup = backupFile.replace(/\.db$/, '.keys.json')
    let keysRestored = false
    try {
      await access(keysBackup)
      const keys = path.join(dataDir, 'keys.json')
      await copyFile(keysBackup, `${keys}.restoring`)
      await chmod(`${keys}.restoring`, 0o600)
      const keysAside = await moveAside(keys, `${keys}.before-restore-${backupStamp(now)}`)
      if (keysAside) previous.push(keysAside)
      await rename(`${keys}.restoring`, keys)
      keysRestored = true
    } catch {
      keysRestored = false
    }
    return { databaseFile, keysRestored, previous }
  } finally {
    process.umask(previousUmask)
  }
}

if (process.argv[1]?.endsWith('scripts/restore.ts')) {
  const backupFile = process.argv[2]
  if (!backupFile) {
    console.error('usage: npm run restore -- backups/<timestamp>.db   (stop the server first)')
    process.exit(restoreExit.usage)
  }
  const config = configFromEnv(process.env)
  try {
    const result = await restoreDatabase({
      backupFile,
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
    })
    console.log(JSON.stringify({ at: new Date().toISOString(), level: 'info', msg: 'restored', ...result }))
  } catch (error) {
    const refused = error instanceof RestoreRefused
    console.error(
      JSON.stringify({
        at: new Date().toISOString(),
        level: 'error',
        msg: refused ? error.message : `not restored: ${String(error)}`,
      }),
    )
    process.exit(refused ? error.exitCode : restoreExit.failed)
  }
}
