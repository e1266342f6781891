// Multi-office on a libsql server: sqld on loopback, two app processes on one DATABASE_URL, each seeing the other.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm, copyFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import WebSocket from 'ws'
import { createClient } from '@libsql/client'
import {
  sqldBinary,
  freePort,
  startChild,
  startNodeServer,
  signIn,
  waitUntil,
  firstStartText,
} from '../helpers/runtime.ts'
import { readMigrationFiles } from 'drizzle-orm/migrator'
import { migrationsFolder } from '../../models/db.ts'
import { lockout } from '../../server/routes/auth.tsx'
import { entranceStationOf, insertEntranceCodes } from '../helpers/entrance-codes.ts'
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
      // the demo office and accounts on a shared server only when asked
      SHOWROOM_DEMO: '1',
    })
    servers.push(a)
    await mkdir(path.join(root, 'b'), { mode: 0o700 })
    await copyFile(path.join(root, 'a', 'keys.json'), path.join(root, 'b', 'keys.json'))
    const b = await startNodeServer({ DATA_DIR: path.join(root, 'b'), DATABASE_URL: url })
    servers.push(b)
    for (const server of [a, b]) assert.equal((await fetch(`${server.base}/readyz`)).status, 200)
    assert.ok(!b.output.some((line) => line.includes('"firstStart":true')), 'b does not seed a second time')
    const firstStart = await firstStartText(path.join(root, 'a'))

    // a session made by one process is good at the other; signing out at one ends it at both
    const atA = await signIn(a.base, 'admin', password)
    assert.equal(atA.status, 303)
    assert.equal((await fetch(`${b.base}/dashboard`, { headers: { cookie: atA.cookie } })).status, 200)
    const [salesPassword] = firstStart.match(/(?<=Demo sales login: sales \/ )\S+/) ?? []
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
    const [sales2Password] = firstStart.match(/(?<=Demo sales login: sales2 \/ )\S+/) ?? []
    assert.equal((await signIn(b.base, 'sales2', sales2Password!)).status, 429)

    // a screen paired through a (its link printed by a) says hello to b
    const [pairUrl] = firstStart.match(/(?<=pair this browser as that screen \(link valid 24 h\): )\S+/) ?? []
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
    const [qr] = await insertEntranceCodes(db, await entranceStationOf(db))
    const atOffice = await checkIn(a.base, qr!, '13800138000')
    // b takes the same number from another browser: a visit of its own (a number grants nothing), linked
    // on the shared database to the same visitor for counting, whichever process took the check-in
    const sameAtB = await checkIn(b.base, qr!, '13800138000')
    const otherAtB = await checkIn(b.base, qr!, '13900139000')
    assert.notEqual(sameAtB, atOffice)
    assert.notEqual(otherAtB, atOffice)
    const visitorOf = async (visit: string) =>
      String(
        (await db.execute({ sql: 'SELECT visitor_id FROM visits WHERE id = ?', args: [visit] })).rows[0]!
          .visitor_id,
      )
    assert.equal(await visitorOf(sameAtB), await visitorOf(atOffice), 'one visitor across both processes')
    assert.notEqual(await visitorOf(otherAtB), await visitorOf(atOffice))
    const visitRows = await db.execute('SELECT id FROM visits')
    assert.deepEqual(visitRows.rows.map((r) => String(r.id)).sort(), [atOffice, sameAtB, otherAtB].sort())

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

test('two offices of one developer on one sqld, one process each: check-ins, report, referral protected', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'showroom-xoffice-'))
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const sqld = startChild(
    sqldBinary(),
    ['--db-path', path.join(root, 'primary.sqld'), '--http-listen-addr', `127.0.0.1:${port}`, '--no-welcome'],
    { PATH: process.env.PATH, HOME: root, RUST_LOG: 'info' },
  )
  const servers: Awaited<ReturnType<typeof startNodeServer>>[] = []
  const db = createClient({ url })
  try {
    await sqld.waitFor(/listening for incoming user HTTP connection/)
    // office A's process seeds the demo office and its developer; office B's process shares the key set, so a
    // phone hashed at one office compares equal at the other
    const a = await startNodeServer({
      DATA_DIR: path.join(root, 'office-a'),
      DATABASE_URL: url,
      SHOWROOM_ADMIN_PASSWORD: password,
      // the demo office and accounts on a shared server only when asked
      SHOWROOM_DEMO: '1',
    })
    servers.push(a)
    await mkdir(path.join(root, 'office-b'), { mode: 0o700 })
    await copyFile(path.join(root, 'office-a', 'keys.json'), path.join(root, 'office-b', 'keys.json'))
    const b = await startNodeServer({ DATA_DIR: path.join(root, 'office-b'), DATABASE_URL: url })
    servers.push(b)

    // the admin opens office B of the same developer (with its entrance screen) and a broker account there
    const admin = (await signIn(a.base, 'admin', password)).cookie
    const opened = await postForm(a.base, '/admin/offices', admin, {
      name: '二号案场',
      nameEn: 'Office B',
      processorName: 'P',
      privacyContact: 'privacy@b.example',
    })
    assert.equal(opened.status, 303)
    const officeB = new URL(opened.headers.get('location')!, a.base).searchParams.get('office')!
    const officeA = String(
      (await db.execute('SELECT office_id FROM staff WHERE username = ?', ['admin'])).rows[0]!.office_id,
    )
    const developers = await db.execute('SELECT DISTINCT developer_id FROM offices')
    assert.equal(developers.rows.length, 1, 'both offices belong to one developer')
    const madeBroker = await postForm(b.base, '/admin/brokers', admin, {
      officeId: officeB,
      username: 'broker-b',
      displayName: '孙经纪 Sun',
      company: 'B',
    })
    assert.equal(madeBroker.status, 200)
    const brokerBPassword = /id="temp-password">([^<]+)</.exec(await madeBroker.text())![1]!

    const entranceQr = async (officeId: string) => {
      const [code] = await insertEntranceCodes(db, await entranceStationOf(db, officeId))
      return code!
    }

    // broker1 of office A registers five clients at A (through A's process)
    const clients = Array.from({ length: 5 }, (_, i) => `1360013600${i}`)
    const [broker1Password] =
      (await firstStartText(path.join(root, 'office-a'))).match(/(?<=Demo broker login: broker1 \/ )\S+/) ??
      []
    const broker1 = (await signIn(a.base, 'broker1', broker1Password!)).cookie
    const registered: string[] = []
    for (const phone of clients) {
      const made = await postForm(a.base, '/agent/referrals', broker1, { phone })
      assert.equal(made.status, 303)
      registered.push(made.headers.get('location')!.split('/').pop()!)
    }

    // (i) a broker of office B registers the first client at B (through B's process): invalid, naming office A
    const brokerB = (await signIn(b.base, 'broker-b', brokerBPassword)).cookie
    // an admin-issued password is replaced at the first sign-in
    const chosen = 'broker-b-own-password'
    const changed = await postForm(b.base, '/account/password', brokerB, {
      current: brokerBPassword,
      next: chosen,
      repeat: chosen,
    })
    assert.equal(changed.status, 200)
    const second = await postForm(b.base, '/agent/referrals', brokerB, { phone: clients[0]! })
    assert.equal(second.status, 303)
    const secondId = second.headers.get('location')!.split('/').pop()!
    const ruled = await db.execute('SELECT status, conflict_referral_id FROM referrals WHERE id = ?', [
      secondId,
    ])
    assert.deepEqual({ ...ruled.rows[0] }, { status: 'invalid', conflict_referral_id: registered[0]! })
    const agentPage = await (await fetch(`${b.base}/agent`, { headers: { cookie: brokerB } })).text()
    assert.match(agentPage, /无效：该客户已由 陈经纪 Chen 于 .+ 在「示范案场 · 滨江壹号售楼处」报备/)

    // (ii) the clients check in at office B (through B's process): broker1's clients, registered at A
    for (const [i, phone] of clients.entries()) {
      const arrival = await checkIn(b.base, await entranceQr(officeB), phone)
      const visit = await db.execute(
        'SELECT v.office_id, v.channel, v.attribution_reason, b.username FROM visits v JOIN brokers b ON b.id = v.broker_id WHERE v.id = ?',
        [arrival],
      )
      assert.deepEqual(
        { ...visit.rows[0] },
        {
          office_id: officeB,
          channel: 'broker',
          attribution_reason: 'referral-other-office',
          username: 'broker1',
        },
      )
      const referral = await db.execute('SELECT status, visit_id FROM referrals WHERE id = ?', [
        registered[i]!,
      ])
      assert.deepEqual({ ...referral.rows[0] }, { status: 'arrived', visit_id: arrival })
    }

    // walk-ins at both offices, each through its own process, all at once
    await Promise.all([
      ...Array.from({ length: 5 }, async (_, i) =>
        checkIn(a.base, await entranceQr(officeA), `1390013900${i}`),
      ),
      ...Array.from({ length: 5 }, async (_, i) =>
        checkIn(b.base, await entranceQr(officeB), `1370013700${i}`),
      ),
    ])

    // the cross-office report from A's process counts both offices; no cell is under k = 5, so all show
    const report = await (
      await fetch(`${a.base}/admin/developer-report?preset=today`, { headers: { cookie: admin } })
    ).text()
    const figures = (office: string) =>
      [
        ...new RegExp(`data-office="${office}"[^]*?</tr>`)
          .exec(report)![0]
          .matchAll(/data-metric="\w+">([^<]*)</g),
      ]
        .map((m) => m[1])
        .join(',')
    // visits, first visits, walk-in, broker, arrivals on another office's registration
    assert.equal(figures(officeA), '5,5,5,0,0')
    assert.equal(figures(officeB), '10,10,5,5,5')
    assert.equal(figures('total'), '15,15,10,5,5')
    const csv = await fetch(`${b.base}/admin/developer-report.csv?preset=today`, {
      headers: { cookie: admin },
    })
    assert.equal(csv.status, 200)
    assert.match(await csv.text(), /\r\n二号案场,10,10,5,5,5\r\n/)
  } finally {
    db.close()
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
      (await fetch(`${head.base}/admin/office`, { headers: { cookie: signedIn.cookie } })).status,
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
// the phone opens the code (GET /checkin?t=…): the binding cookie it is given
async function openCode(base: string, qr: string): Promise<string> {
  const page = await fetch(`${base}/checkin?t=${qr}`, { redirect: 'manual' })
  return /sr_entry=[^;]+/.exec(page.headers.get('set-cookie') ?? '')![0]
}

async function checkIn(base: string, qr: string, phone: string): Promise<string> {
  const csrf = 'sqld-test-csrf-000001'
  const entry = await openCode(base, qr)
  const response = await fetch(`${base}/checkin`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `sr_csrf=${csrf}; ${entry}` },
    body: new URLSearchParams({ _csrf: csrf, t: qr, phone }),
  })
  assert.equal(response.status, 303)
  const pass = /sr_visit=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')![1]!
  return String(JSON.parse(Buffer.from(pass.split('.')[1]!, 'base64url').toString()).visit)
}

// a signed-in form post over HTTP (double-submit CSRF: the session's token as cookie and field, as the
// server hands it out; it is tied to the session, so a made-up one is refused)
async function postForm(base: string, path: string, cookie: string, fields: Record<string, string>) {
  const page = await fetch(`${base}/`, { headers: { cookie }, redirect: 'manual' })
  const csrf = /sr_csrf=([^;]+)/.exec(page.headers.get('set-cookie') ?? '')![1]!
  return fetch(`${base}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `${cookie}; sr_csrf=${csrf}` },
    body: new URLSearchParams({ _csrf: csrf, ...fields }),
  })
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
