// Restore cannot lose data: bad backups and a running server are refused with the live files untouched, a good
// restore keeps the replaced database; backups go to BACKUP_DIR and are pruned by the longest retention period.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm, readFile, readdir, writeFile, mkdir } from 'node:fs/promises'
import { createHash } from 'node:crypto'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { execFile } from 'node:child_process'
import { eq } from 'drizzle-orm'
import { setLogSink } from '../../server/log.ts'
import { appendAudit, auditLog } from '../../models/audit.ts'
import { openDatabase } from '../../models/db.ts'
import { offices } from '../../models/offices.ts'
import { setRetention } from '../../models/retention.ts'
import { backupDatabase, backupStamp } from '../../scripts/backup.ts'
import { restoreExit } from '../../scripts/restore.ts'
import { startNodeServer } from '../helpers/runtime.ts'
import { releaseClosedDatabase } from '../helpers/closed-database.ts'

const day = 86400_000

function runScript(name: string, args: string[], env: Record<string, string>) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.resolve('scripts', `${name}.ts`), ...args],
      { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    )
  })
}

// every file of a folder and a hash of its bytes: "byte-identical" and "nothing created" in one comparison
async function snapshot(dir: string) {
  const files: Record<string, string> = {}
  const entries = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile())
  for (const name of entries.map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort()) {
    files[name] = createHash('sha256')
      .update(await readFile(path.join(dir, name)))
      .digest('hex')
  }
  return files
}

// the live office is made by a real server process that has exited: an in-process database keeps its file handles
// until garbage collection (libsql closes on finalisation), and a late close would checkpoint the WAL mid-test
async function withOffice(
  work: (dirs: { dataDir: string; backupDir: string; root: string }) => Promise<void>,
) {
  const root = await mkdtemp(path.join(tmpdir(), 'showroom-restore-'))
  const dataDir = path.join(root, 'data')
  const backupDir = path.join(root, 'backups')
  const quiet = setLogSink(() => undefined)
  try {
    const server = await startNodeServer({
      DATA_DIR: dataDir,
      SHOWROOM_ADMIN_PASSWORD: 'restore-pw',
      SHOWROOM_DEMO: '0',
    })
    assert.equal(await server.stop(), 0, 'the server stopped cleanly')
    await work({ dataDir, backupDir, root })
  } finally {
    setLogSink(quiet)
    await rm(root, { recursive: true, force: true })
  }
}

for (const [what, make] of [
  ['a missing file', async (_file: string) => undefined],
  ['an empty file', async (file: string) => writeFile(file, '')],
  ['a text file', async (file: string) => writeFile(file, 'not a database at all\n'.repeat(200))],
] as const) {
  test(`restore of ${what}: non-zero exit, a clear message, the live database byte-identical`, async () => {
    await withOffice(async ({ dataDir, root }) => {
      const backup = path.join(root, 'nope.db')
      await make(backup)
      const before = await snapshot(dataDir)
      const result = await runScript('restore', [backup], { DATA_DIR: dataDir })
      assert.equal(result.code, restoreExit.badBackup, result.stderr)
      assert.match(
        result.stderr,
        /not restored: .*nope\.db (does not exist|is empty|is not a SQLite database)/,
      )
      assert.doesNotMatch(result.stdout, /restored/)
      assert.deepEqual(await snapshot(dataDir), before, 'DATA_DIR unchanged, byte for byte')
      if (what === 'a missing file') {
        await assert.rejects(readFile(backup), 'no file created at the mistyped path')
      }
    })
  })
}

test('restore while a server runs is refused; after it stops, a good restore keeps the replaced database', async () => {
  await withOffice(async ({ dataDir, backupDir }) => {
    const { databaseFile } = await backupDatabase({
      databaseUrl: `file:${dataDir}/showroom.db`,
      dataDir,
      backupsDir: backupDir,
    })
    const server = await startNodeServer({ DATA_DIR: dataDir, SHOWROOM_DEMO: '0' })
    let refused
    try {
      refused = await runScript('restore', [databaseFile], { DATA_DIR: dataDir })
    } finally {
      await server.stop()
    }
    assert.equal(refused.code, restoreExit.serverRunning, refused.stderr)
    assert.match(refused.stderr, new RegExp(`a server \\(pid ${server.process.pid}, .*stop it first`))
    assert.ok(!(await readdir(dataDir)).some((name) => name.includes('before-restore')))

    // a row written after the backup: only the kept copy has it
    const live = await openDatabase({ url: `file:${dataDir}/showroom.db` })
    await live.write((tx) =>
      appendAudit(tx, { at: Date.now(), actorType: 'system', action: 'test.after-backup' }),
    )
    live.close()
    await releaseClosedDatabase(path.join(dataDir, 'showroom.db'))
    const restored = await runScript('restore', [databaseFile], { DATA_DIR: dataDir })
    assert.equal(restored.code, 0, restored.stderr)
    const { previous } = JSON.parse(restored.stdout)
    const kept = (previous as string[]).find((file) => /showroom\.db\.before-restore-[\dTZ-]+$/.test(file))
    assert.ok(kept, `the replaced database is kept and named: ${restored.stdout}`)
    const old = await openDatabase({ url: `file:${kept}` })
    const rows = await old.db.select().from(auditLog).where(eq(auditLog.action, 'test.after-backup'))
    old.close()
    assert.equal(rows.length, 1, 'the kept copy holds what was written after the backup')
  })
})

test('backups go to BACKUP_DIR and none outlives the longest retention period', async () => {
  await withOffice(async ({ dataDir, backupDir }) => {
    const now = Date.now()
    await mkdir(backupDir, { recursive: true })
    const aged = (days: number) => backupStamp(now - days * day)
    // the default longest period is 1095 days (consents, audit log): an office keeps its audit log 3000 days
    const database = await openDatabase({ url: `file:${dataDir}/showroom.db` })
    const [office] = await database.db.select().from(offices)
    await database.write((tx) =>
      setRetention({ tx, input: { officeId: office!.id, kind: 'audit-log', days: 3000 }, now }),
    )
    database.close()
    for (const days of [3100, 2000, 10]) {
      await writeFile(path.join(backupDir, `${aged(days)}.db`), 'old')
      await writeFile(path.join(backupDir, `${aged(days)}.keys.json`), '{}')
    }
    await writeFile(path.join(backupDir, 'README.txt'), 'not a backup')
    const result = await runScript('backup', [], { DATA_DIR: dataDir, BACKUP_DIR: backupDir })
    assert.equal(result.code, 0, result.stderr)
    const written = JSON.parse(result.stdout)
    assert.equal(written.keepDays, 3000)
    assert.equal(path.dirname(written.databaseFile), backupDir)
    assert.deepEqual(written.pruned, [`${aged(3100)}.db`, `${aged(3100)}.keys.json`])
    const left = await readdir(backupDir)
    for (const kept of [`${aged(2000)}.db`, `${aged(10)}.keys.json`, 'README.txt'])
      assert.ok(left.includes(kept))
    assert.ok(!(await readdir(dataDir)).includes('backups'), 'nothing written under DATA_DIR')
  })
})

test('backup on a libsql server explains how that server is backed up, without a stack trace', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'showroom-backup-libsql-'))
  try {
    const result = await runScript('backup', [], {
      DATA_DIR: root,
      BACKUP_DIR: path.join(root, 'b'),
      DATABASE_URL: 'http://127.0.0.1:9',
    })
    assert.equal(result.code, 3)
    assert.match(result.stderr, /libsql server\. Back it up on that server/)
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace')
  } finally {
    await rm(root, { recursive: true, force: true })
  }
})
