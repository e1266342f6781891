// Multi-office on a libsql server: sqld on loopback, two app processes on one DATABASE_URL, each seeing the other.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm, copyFile, mkdir, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import WebSocket from 'ws'
import { createClient } from '@libsql/client'
import { sqldBinary, freePort, startChild, startNodeServer, signIn, waitUntil } from '../helpers/runtime.ts'
import { readMigrationFiles } from 'drizzle-orm/migrator'
import { migrationsFolder } from '../../models/db.ts'
import { lockout } from '../../server/routes/auth.tsx'
import { loadOrCreateKeys } from '../../server/keys.ts'
import { signToken } from '../../server/tokens.ts'
import { stationSocketPath } from '../../server/station-protocol.ts'

const password = 'sqld-test-admin-pw'

async function stationHello(base: string, token: string) {
  const ws = new WebSocket(base.replace('http', 'ws') + stationSocketPath)
  const first = new Promise<{ type: string; station?: { id: string } }>((resolve, reject) => {
    ws.once('message', (data) => resolve(JSON.parse(String(data))))
    ws.once('error', reject)
  })
  await new Promise((resolve) => ws.once('open', resolve))
  ws.send(JSON.stringify({ type: 'hello', token }))
  const message = await first
  ws.close()
  return message
}

test('two app processes on one sqld: logins, sessions, check-ins, pairings and lockouts are shared', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'showroom-sqld-'))
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const sqld = startChild(
    sqldBinary(),
    ['--db-path', path.join(root, 'primary.sqld'), '--http-listen-addr', `127.0.0.1:${port}`, '--no-welcome'],
    { PATH: process.env.PATH, HOME: root, RUST_LOG: 'info' },
  )
  const servers: Awaited<ReturnType<typeof startNodeServer>>[] = []
  try {
    await sqld.waitFor(/listening for incoming user HTTP connection/)
    // the first process migrates and seeds; the second joins with the same keys (docs/deployment.md)
    const a = await startNodeServer({
      DATA_DIR: path.join(root, 'a'),
      DATABASE_URL: url,
      SHOWROOM_ADMIN_PASSWORD: password,
    })
    servers.push(a)
    await mkdir(path.join(root, 'b'), { mode: 0o700 })
    await copyFile(path.join(root, 'a', 'keys.json'), path.join(root, 'b', 'keys.json'))
    const b = await startNodeServer({ DATA_DIR: path.join(root, 'b'), DATABASE_URL: url })
    servers.push(b)
    for (const server of [a, b]) assert.equal((await fetch(`${server.base}/readyz`)).status, 200)
    assert.ok(!b.output.some((line) => line.includes('First admin login')), 'b does not seed a second time')

    // a session made by one process is good at the other; signing out at one ends it at both
    const atA = await signIn(a.base, 'admin', password)
    assert.equal(atA.status, 303)
    assert.equal((await fetch(`${b.base}/dashboard`, { headers: { cookie: atA.cookie } })).status, 200)
    const [salesPassword] = a.output.join('\n').match(/(?<=Demo sales login: sales \/ )\S+/) ?? []
    const atB = await signIn(b.base, 'sales', salesPassword!)
    assert.equal(atB.status, 303, 'a demo account seeded through a signs in at b')

    // both write at once: every attempt is answered (no SQLITE_BUSY surfaced as 500) and every row lands
    const attempts = await Promise.all(
      [a, b].flatMap((server, s) =>
        Array.from({ length: 8 }, (_, i) => signIn(server.base, `nobody-${s}-${i}`, 'x')),
      ),
    )
    assert.deepEqual(new Set(attempts.map((r) => r.status)), new Set([401]))
    const db = createClient({ url })
    const rows = await db.execute(
      "SELECT target FROM audit_log WHERE action = 'login.failure' AND target LIKE 'nobody-%'",
    )
    assert.equal(rows.rows.length, 16)
    const successes = await db.execute("SELECT target FROM audit_log WHERE action = 'login.success'")
    assert.deepEqual(successes.rows.map((r) => r.target).sort(), ['admin', 'sales'])

    // brute force spread over both processes still locks the account
    for (let i = 0; i < lockout.failures; i++) {
      const server = i % 2 ? b : a
      assert.equal((await signIn(server.base, 'sales2', `guess-${i}`)).status, 401)
    }
    const [sales2Password] = a.output.join('\n').match(/(?<=Demo sales login: sales2 \/ )\S+/) ?? []
    assert.equal((await signIn(b.base, 'sales2', sales2Password!)).status, 429)

    // a screen paired through a (its link printed by a) says hello to b
    const [pairUrl] =
      a.output.join('\n').match(/(?<=pair this browser as that screen \(link valid 24 h\): )\S+/) ?? []
    const pairPath = new URL(pairUrl!).pathname
    const form = await fetch(`${a.base}${pairPath}`)
    const csrf = /sr_csrf=([^;]+)/.exec(form.headers.get('set-cookie') ?? '')![1]!
    const paired = await fetch(`${a.base}${pairPath}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `sr_csrf=${csrf}` },
      body: new URLSearchParams({ _csrf: csrf }),
    })
    assert.equal(paired.status, 200)
    const stationToken = /data-token="([^"]+)"/.exec(await paired.text())![1]!
    assert.equal((await stationHello(b.base, stationToken)).type, 'welcome')

    // check-ins through both processes: the same phone at b is recognised as a's visit of today
    const { keys } = await loadOrCreateKeys({
      load: () => readFile(path.join(root, 'a', 'keys.json'), 'utf8'),
      save: async () => assert.fail('keys exist'),
    })
    const entrance = (await db.execute("SELECT id, office_id FROM stations WHERE kind = 'entrance'")).rows[0]!
    const now = Date.now()
    const { token: qr } = await signToken(
      keys,
      'entrance',
      { office: String(entrance.office_id), station: String(entrance.id) },
      { now, expiresAt: now + 60_000 },
    )
    const atOffice = await checkIn(a.base, qr, '13800138000')
    // b knows the number a took: it asks the visitor to confirm, showing only the mask
    const confirm = await fetch(`${b.base}/checkin`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: 'sr_csrf=sqld-test-csrf-000001',
      },
      body: new URLSearchParams({ _csrf: 'sqld-test-csrf-000001', t: qr, phone: '13800138000' }),
    })
    assert.equal(confirm.status, 200)
    assert.match(await confirm.text(), /138\*{4}8000/)
    const sameAtB = await checkIn(b.base, qr, '13800138000', 'yes')
    const otherAtB = await checkIn(b.base, qr, '13900139000')
    assert.equal(sameAtB, atOffice, 'one visitor, one visit today, whichever process took the check-in')
    assert.notEqual(otherAtB, atOffice)
    const visitRows = await db.execute('SELECT id FROM visits')
    assert.deepEqual(visitRows.rows.map((r) => String(r.id)).sort(), [atOffice, otherAtB].sort())

    await signOut(a.base, atA.cookie)
    const after = await fetch(`${b.base}/dashboard`, { headers: { cookie: atA.cookie }, redirect: 'manual' })
    assert.equal(after.status, 303, 'signed out at a → signed out at b')
    db.close()
  } finally {
    for (const server of servers) await server.stop()
    await sqld.stop()
    await rm(root, { recursive: true, force: true })
  }
})

test('an office on a read replica: reads locally, writes forwarded to the primary', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'showroom-replica-'))
  const [httpPort, grpcPort, replicaPort] = [await freePort(), await freePort(), await freePort()]
  const primaryUrl = `http://127.0.0.1:${httpPort}`
  const replicaUrl = `http://127.0.0.1:${replicaPort}`
  const env = { PATH: process.env.PATH, HOME: root, RUST_LOG: 'info' }
  const primary = startChild(
    sqldBinary(),
    [
      '--no-welcome',
      '--db-path',
      path.join(root, 'primary.sqld'),
      '--http-listen-addr',
      `127.0.0.1:${httpPort}`,
      '--grpc-listen-addr',
      `127.0.0.1:${grpcPort}`,
    ],
    env,
  )
  const replica = startChild(
    sqldBinary(),
    [
      '--no-welcome',
      '--db-path',
      path.join(root, 'replica.sqld'),
      '--http-listen-addr',
      `127.0.0.1:${replicaPort}`,
      '--primary-grpc-url',
      `http://127.0.0.1:${grpcPort}`,
    ],
    env,
  )
  const servers: Awaited<ReturnType<typeof startNodeServer>>[] = []
  const primaryDb = createClient({ url: primaryUrl })
  const replicaDb = createClient({ url: replicaUrl })
  try {
    await primary.waitFor(/listening for incoming user HTTP connection/)
    await replica.waitFor(/listening for incoming user HTTP connection/)
    const head = await startNodeServer({
      DATA_DIR: path.join(root, 'head-office'),
      DATABASE_URL: primaryUrl,
      SHOWROOM_ADMIN_PASSWORD: password,
      SHOWROOM_DEMO: '0',
    })
    servers.push(head)
    // an office's process starts once its replica has the schema the primary migrated
    const expected = readMigrationFiles({ migrationsFolder }).length
    await waitUntil(
      async () => {
        const rows = await replicaDb
          .execute('SELECT count(*) AS n FROM __drizzle_migrations')
          .catch(() => null)
        return rows && Number(rows.rows[0]!.n) >= expected
      },
      { what: 'replica to catch up with the migrations' },
    )
    await mkdir(path.join(root, 'office'), { mode: 0o700 })
    await copyFile(path.join(root, 'head-office', 'keys.json'), path.join(root, 'office', 'keys.json'))
    const office = await startNodeServer({ DATA_DIR: path.join(root, 'office'), DATABASE_URL: replicaUrl })
    servers.push(office)
    assert.equal((await fetch(`${office.base}/readyz`)).status, 200)

    const signedIn = await signIn(office.base, 'admin', password)
    assert.equal(signedIn.status, 303)
    const logins = await primaryDb.execute(
      "SELECT count(*) AS n FROM audit_log WHERE action = 'login.success'",
    )
    assert.equal(Number(logins.rows[0]!.n), 1, 'the write through the replica is on the primary')
    assert.equal(
      (await fetch(`${head.base}/dashboard`, { headers: { cookie: signedIn.cookie } })).status,
      200,
    )
  } finally {
    for (const server of servers) await server.stop()
    primaryDb.close()
    replicaDb.close()
    await replica.stop()
    await primary.stop()
    await rm(root, { recursive: true, force: true })
  }
})

// a phone check-in from the entrance QR; the id of the visit on the pass it returns
async function checkIn(base: string, qr: string, phone: string, confirm?: 'yes'): Promise<string> {
  const csrf = 'sqld-test-csrf-000001'
  const response = await fetch(`${base}/checkin`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `sr_csrf=${csrf}` },
    body: new URLSearchParams({ _csrf: csrf, t: qr, phone, ...(confirm ? { confirm } : {}) }),
  })
  assert.equal(response.status, 303)
  const pass = /sr_visit=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')![1]!
  return String(JSON.parse(Buffer.from(pass.split('.')[1]!, 'base64url').toString()).visit)
}

async function signOut(base: string, cookie: string) {
  const page = await fetch(`${base}/dashboard`, { headers: { cookie } })
  const csrf = /sr_csrf=([^;]+)/.exec(page.headers.get('set-cookie') ?? '')![1]!
  const response = await fetch(`${base}/logout`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `${cookie}; sr_csrf=${csrf}` },
    body: new URLSearchParams({ _csrf: csrf }),
  })
  assert.equal(response.status, 303)
}
