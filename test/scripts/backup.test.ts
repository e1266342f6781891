// Backup and restore: `npm run backup` on a running server, wipe the data, `npm run restore`, the data is back.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm, stat, readdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { eq } from 'drizzle-orm'
import { start } from '../../server/main.ts'
import { configFromEnv } from '../../server/config.ts'
import { appendAudit, auditLog } from '../../models/audit.ts'
import { setLogSink } from '../../server/log.ts'
import { releaseClosedDatabase } from '../helpers/closed-database.ts'

const run = promisify(execFile)
const script = (name: string) => path.resolve('scripts', `${name}.ts`)

async function startIn(dataDir: string) {
  return start(
    configFromEnv({
      DATA_DIR: dataDir,
      PORT: '0',
      SHOWROOM_ADMIN_PASSWORD: 'backup-test-pw',
      SHOWROOM_DEMO: '0',
    }),
  )
}

async function mark(server: Awaited<ReturnType<typeof startIn>>, action: string) {
  await server.database.write((tx) => appendAudit(tx, { at: Date.now(), actorType: 'system', action }))
}

async function has(server: Awaited<ReturnType<typeof startIn>>, action: string) {
  const rows = await server.database.db.select().from(auditLog).where(eq(auditLog.action, action))
  return rows.length > 0
}

test('backup while serving → wipe → restore → the backed-up data is there and the server is ready', async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'showroom-backup-'))
  const quiet = setLogSink(() => undefined)
  const backupDir = path.join(dataDir, '..', `${path.basename(dataDir)}-backups`)
  const env = { ...process.env, DATA_DIR: dataDir, BACKUP_DIR: backupDir, DATABASE_URL: '' }
  delete (env as Record<string, string | undefined>).DATABASE_URL
  try {
    let server = await startIn(dataDir)
    await mark(server, 'test.before-backup')
    const backup = await run(process.execPath, ['--import', 'tsx', script('backup')], { env })
    const { databaseFile, keysFile } = JSON.parse(backup.stdout.trim().split('\n').at(-1)!)
    assert.match(path.basename(databaseFile), /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z\.db$/)
    assert.equal(path.dirname(databaseFile), backupDir, 'backups live in BACKUP_DIR, outside DATA_DIR')
    assert.equal((await stat(databaseFile)).mode & 0o777, 0o600)
    assert.equal((await stat(keysFile)).mode & 0o777, 0o600)
    await mark(server, 'test.after-backup')
    await server.stop('test')
    // closed for real (WAL checkpointed and removed) before the files go: a late close would unlink the WAL of
    // the server started after the restore
    await releaseClosedDatabase(path.join(dataDir, 'showroom.db'))

    // the disaster: the database is gone
    for (const name of await readdir(dataDir))
      if (name.startsWith('showroom.db')) await rm(path.join(dataDir, name))

    const restore = await run(process.execPath, ['--import', 'tsx', script('restore'), databaseFile], { env })
    assert.match(restore.stdout, /"keysRestored":true/)
    assert.equal((await stat(path.join(dataDir, 'showroom.db'))).mode & 0o777, 0o600)

    server = await startIn(dataDir)
    try {
      assert.equal(await has(server, 'test.before-backup'), true, 'data written before the backup is back')
      assert.equal(
        await has(server, 'test.after-backup'),
        false,
        'the restore is the backup, not the lost file',
      )
      assert.equal((await fetch(`${server.base}/readyz`)).status, 200)
      const form = await fetch(`${server.base}/login`)
      const csrf = /sr_csrf=([^;]+)/.exec(form.headers.get('set-cookie') ?? '')![1]!
      const login = await fetch(`${server.base}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `sr_csrf=${csrf}` },
        body: new URLSearchParams({ _csrf: csrf, username: 'admin', password: 'backup-test-pw' }),
      })
      assert.equal(login.status, 303, 'the restored admin account signs in')
    } finally {
      await server.stop('test')
    }
  } finally {
    setLogSink(quiet)
    await rm(dataDir, { recursive: true, force: true })
    await rm(backupDir, { recursive: true, force: true })
  }
})

test('restore refuses a file that is not a sound SQLite database and leaves the live one alone', async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'showroom-restore-'))
  try {
    const { writeFile } = await import('node:fs/promises')
    const bogus = path.join(dataDir, 'bogus.db')
    await writeFile(bogus, 'this is not a database'.repeat(100))
    await writeFile(path.join(dataDir, 'showroom.db'), 'live')
    const { restoreDatabase } = await import('../../scripts/restore.ts')
    await assert.rejects(
      restoreDatabase({ backupFile: bogus, databaseUrl: `file:${dataDir}/showroom.db`, dataDir }),
    )
    const { readFile } = await import('node:fs/promises')
    assert.equal(await readFile(path.join(dataDir, 'showroom.db'), 'utf8'), 'live')
  } finally {
    await rm(dataDir, { recursive: true, force: true })
  }
})
