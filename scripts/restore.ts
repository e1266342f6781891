// `npm run restore -- <backup.db>`: puts a backup (and its keys) back as the live database. Stop the server first.
import { copyFile, chmod, rename, rm, access, mkdir } from 'node:fs/promises'
import path from 'node:path'
import { createClient } from '@libsql/client'
import { configFromEnv } from '../server/config.ts'
import { databaseFileOf } from './backup.ts'

// a backup that fails SQLite's own check is never put in place
export async function checkBackup(file: string): Promise<void> {
  const client = createClient({ url: `file:${file}` })
  try {
    const result = await client.execute('PRAGMA integrity_check')
    const verdict = String(result.rows[0]?.[0] ?? '')
    if (verdict !== 'ok') throw new Error(`backup ${file} failed integrity_check: ${verdict}`)
  } finally {
    client.close()
  }
}

export async function restoreDatabase({
  backupFile,
  databaseUrl,
  dataDir,
}: {
  backupFile: string
  databaseUrl: string
  dataDir: string
}): Promise<{ databaseFile: string; keysRestored: boolean }> {
  const databaseFile = databaseFileOf(databaseUrl)
  if (!databaseFile) throw new Error(`restore works on a local SQLite file, not ${databaseUrl}`)
  await checkBackup(backupFile)
  const previous = process.umask(0o077)
  try {
    await mkdir(path.dirname(databaseFile), { recursive: true, mode: 0o700 })
    // copy beside the target, then rename: the live path is either the old file or the whole backup
    const staging = `${databaseFile}.restoring`
    await copyFile(backupFile, staging)
    await chmod(staging, 0o600)
    // a WAL left by the old database would be replayed onto the restored one
    await rm(`${databaseFile}-wal`, { force: true })
    await rm(`${databaseFile}-shm`, { force: true })
    await rename(staging, databaseFile)
    const keysBackup = backupFile.replace(/\.db$/, '.keys.json')
    let keysRestored = false
    try {
      await access(keysBackup)
      const keys = path.join(dataDir, 'keys.json')
      await copyFile(keysBackup, `${keys}.restoring`)
      await chmod(`${keys}.restoring`, 0o600)
      await rename(`${keys}.restoring`, keys)
      keysRestored = true
    } catch {
      keysRestored = false
    }
    return { databaseFile, keysRestored }
  } finally {
    process.umask(previous)
  }
}

if (process.argv[1]?.endsWith('scripts/restore.ts')) {
  const backupFile = process.argv[2]
  if (!backupFile) {
    console.error('usage: npm run restore -- data/backups/<timestamp>.db   (stop the server first)')
    process.exit(2)
  }
  const config = configFromEnv(process.env)
  const result = await restoreDatabase({
    backupFile,
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
  })
  console.log(JSON.stringify({ msg: 'restored', ...result }))
}
