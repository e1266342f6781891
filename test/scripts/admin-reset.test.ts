// `npm run admin:reset` under a running server: a new one-time password, the old sessions end, an audit row;
// without read access to DATA_DIR's keys it refuses.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { execFile } from 'node:child_process'
import { createClient } from '@libsql/client'
import { startNodeServer, signIn } from '../helpers/runtime.ts'
import { adminResetExit } from '../../scripts/admin-reset.ts'

function adminReset(env: Record<string, string>, args: string[] = []) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.resolve('scripts/admin-reset.ts'), ...args],
      { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    )
  })
}

test('admin:reset on a running server: new one-time password, old sessions ended, audited', async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'showroom-admin-reset-'))
  const server = await startNodeServer({
    DATA_DIR: dataDir,
    SHOWROOM_DEMO: '0',
    SHOWROOM_ADMIN_PASSWORD: 'forgotten-password-1',
  })
  try {
    const before = await signIn(server.base, 'admin', 'forgotten-password-1')
    assert.equal(before.status, 303)
    const settings = () =>
      fetch(`${server.base}/admin/office`, { headers: { cookie: before.cookie }, redirect: 'manual' })
    assert.equal((await settings()).status, 200)

    const reset = await adminReset({ DATA_DIR: dataDir })
    assert.equal(reset.code, 0, reset.stderr)
    const [, password] = /New one-time password for admin: (\S+)/.exec(reset.stdout) ?? []
    assert.ok(password, reset.stdout)

    const after = await settings()
    assert.equal(after.status, 303, 'the session from before the reset is over')
    assert.match(after.headers.get('location') ?? '', /^\/login/)
    assert.equal((await signIn(server.base, 'admin', 'forgotten-password-1')).status, 401)
    const signedIn = await signIn(server.base, 'admin', password!)
    assert.equal(signedIn.status, 303)
    const first = await fetch(`${server.base}/dashboard`, {
      headers: { cookie: signedIn.cookie },
      redirect: 'manual',
    })
    assert.equal(first.headers.get('location'), '/account/password', 'the one-time password must be changed')

    const db = createClient({ url: `file:${dataDir}/showroom.db` })
    const rows = await db.execute(
      "SELECT actor_type, detail FROM audit_log WHERE action = 'password.reset-local'",
    )
    db.close()
    assert.equal(rows.rows.length, 1)
    assert.equal(rows.rows[0]!.actor_type, 'system')
    assert.doesNotMatch(String(rows.rows[0]!.detail), new RegExp(password!), 'the password is not audited')
    assert.ok(!server.output.join('\n').includes(password!), 'nor does it reach the server log')

    const unknown = await adminReset({ DATA_DIR: dataDir }, ['nobody'])
    assert.equal(unknown.code, adminResetExit.noSuchAdmin)
  } finally {
    await server.stop()
    await rm(dataDir, { recursive: true, force: true })
  }
})

test('admin:reset refuses without read access to DATA_DIR/keys.json and changes nothing', async () => {
  const empty = await mkdtemp(path.join(tmpdir(), 'showroom-admin-reset-nokeys-'))
  try {
    const refused = await adminReset({ DATA_DIR: empty, DATABASE_URL: `file:${empty}/showroom.db` })
    assert.equal(refused.code, adminResetExit.noLocalAccess)
    assert.match(refused.stderr, /keys\.json is not readable/)
  } finally {
    await rm(empty, { recursive: true, force: true })
  }
})
