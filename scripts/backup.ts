// `npm run backup`: a consistent copy of the live SQLite database (VACUUM INTO) and the keys, private to the user.
import { mkdir, chmod, copyFile, access } from 'node:fs/promises'
import path from 'node:path'
import { createClient } from '@libsql/client'
import { configFromEnv } from '../server/config.ts'

export type BackupResult = { databaseFile: string; keysFile: string | null }

// "2026-11-23T11:09:53.123Z" → "2026-11-23T11-09-53-123Z": sortable and safe in every file system
export function backupStamp(now: number): string {
  return new Date(now).toISOString().replace(/[:.]/g, '-')
}

export function databaseFileOf(databaseUrl: string): string | null {
  if (!databaseUrl.startsWith('file:')) return null
  return databaseUrl.slice('file:'.length).split('?')[0]!
}

// runs while the server is up: VACUUM INTO reads one snapshot, so concurrent writers neither block nor tear it
export async function backupDatabase({
  databaseUrl,
  dataDir,
  backupsDir = path.join(dataDir, 'backups'),
  now = Date.now(),
}: {
  databaseUrl: string
  dataDir: string
  backupsDir?: string
  now?: number
}): Promise<BackupResult> {
  if (!databaseFileOf(databaseUrl)) {
    throw new Error(
      `backup works on a local SQLite file; ${databaseUrl} is a server: use its own snapshots (docs/deployment.md)`,
    )
  }
  const previous = process.umask(0o077)
  try {
    await mkdir(backupsDir, { recursive: true, mode: 0o700 })
    const stamp = backupStamp(now)
    const databaseFile = path.join(backupsDir, `${stamp}.db`)
    const client = createClient({ url: databaseUrl })
    try {
      await client.execute({ sql: 'VACUUM INTO ?', args: [databaseFile] })
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
    return { databaseFile, keysFile }
  } finally {
    process.umask(previous)
  }
}

if (process.argv[1]?.endsWith('scripts/backup.ts')) {
  const config = configFromEnv(process.env)
  const result = await backupDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
  console.log(JSON.stringify({ msg: 'backup written', ...result }))
}
