// Several offices on one libsql server: no demo seeding there unless asked, and a process without the database's
// key set refuses to start (with a clear message) instead of making keys of its own.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm, mkdir, copyFile, access, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createClient } from '@libsql/client'
import { sqldBinary, freePort, startChild, startNodeServer } from '../helpers/runtime.ts'
import { loadOrCreateKeys } from '../../server/keys.ts'

// a Node server expected to refuse: its exit code and what it said
async function refusedStart(env: Record<string, string>) {
  const child = startChild(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    HOST: '127.0.0.1',
    PORT: '0',
    ...env,
  })
  const code = await child.exited
  return { code, output: child.output.join('\n') }
}

test('one libsql server, several offices: no demo unless asked; a process without the key set refuses to start', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'showroom-sqld-keys-'))
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const sqld = startChild(
    sqldBinary(),
    ['--db-path', path.join(root, 'db.sqld'), '--http-listen-addr', `127.0.0.1:${port}`, '--no-welcome'],
    { PATH: process.env.PATH, HOME: root, RUST_LOG: 'info' },
  )
  const db = createClient({ url })
  try {
    await sqld.waitFor(/listening for incoming user HTTP connection/)
    // the first process: SHOWROOM_DEMO not set, so no demo office, stations or accounts on the shared server
    const first = await startNodeServer({ DATA_DIR: path.join(root, 'head'), DATABASE_URL: url })
    try {
      const staff = await db.execute('SELECT username FROM staff')
      assert.deepEqual(
        staff.rows.map((r) => r.username),
        ['admin'],
      )
      assert.equal((await db.execute('SELECT count(*) AS n FROM stations')).rows[0]!.n, 0)

      // a second office's process with an empty DATA_DIR: refused, and it made no keys of its own
      const empty = path.join(root, 'office-b')
      const refused = await refusedStart({ DATA_DIR: empty, DATABASE_URL: url })
      assert.equal(refused.code, 1)
      const line = JSON.parse(refused.output.split('\n').find((l) => l.includes('refusing'))!)
      assert.equal(line.level, 'error')
      assert.match(
        line.msg,
        /already holds data made with a key set, and .*keys\.json does not exist; copy keys\.json/,
      )
      await assert.rejects(access(path.join(empty, 'keys.json')), 'no keys.json was made')

      // with a key set of its own: refused too
      const other = path.join(root, 'office-c')
      await mkdir(other, { mode: 0o700 })
      await loadOrCreateKeys({
        load: async () => null,
        save: (text) => writeFile(path.join(other, 'keys.json'), text, { mode: 0o600 }),
      })
      const wrongKeys = await refusedStart({ DATA_DIR: other, DATABASE_URL: url })
      assert.equal(wrongKeys.code, 1)
      assert.match(wrongKeys.output, /keys\.json is not the key set of http:\/\/127\.0\.0\.1:\d+/)

      // with the first process's keys.json: it starts and joins
      await mkdir(empty, { recursive: true, mode: 0o700 })
      await copyFile(path.join(root, 'head', 'keys.json'), path.join(empty, 'keys.json'))
      const joined = await startNodeServer({ DATA_DIR: empty, DATABASE_URL: url })
      assert.equal((await fetch(`${joined.base}/readyz`)).status, 200)
      await joined.stop()
    } finally {
      await first.stop()
    }
  } finally {
    db.close()
    await sqld.stop()
    await rm(root, { recursive: true, force: true })
  }
})
