// Runtime portability: server/deno.ts under the Deno binary npm installed, on the SQLite file and keys Node made.
// Covers /healthz, /readyz, JWKS, sign-in, a station socket and a phone check-in.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import WebSocket from 'ws'
import { and, eq } from 'drizzle-orm'
import { denoBinary, startChild, startNodeServer, signIn, pairOverHttp } from '../helpers/runtime.ts'
import { openDatabase } from '../../models/db.ts'
import { auditLog } from '../../models/audit.ts'
import { stations } from '../../models/offices.ts'
import { visits } from '../../models/visits.ts'
import { loadOrCreateKeys } from '../../server/keys.ts'
import { issueEntranceCode } from '../../models/entrance-codes.ts'
import { entryCookieFor } from '../helpers/entrance-codes.ts'
import { stationSocketPath } from '../../server/station-protocol.ts'

const password = 'deno-smoke-admin-pw'

test('under Deno: healthz, readyz, JWKS, sign-in, a station socket and a check-in on the data dir Node created', async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'showroom-deno-'))
  const env = { DATA_DIR: dataDir, SHOWROOM_ADMIN_PASSWORD: password, SHOWROOM_DEMO: '1' }
  try {
    // Node creates the database, the keys and the demo office first
    const node = await startNodeServer(env)
    const nodeJwks = await (await fetch(`${node.base}/.well-known/jwks.json`)).json()
    assert.equal(await node.stop(), 0)

    let visitId = ''
    const deno = startChild(
      denoBinary(),
      [
        'run',
        '--allow-net=127.0.0.1',
        '--allow-read',
        '--allow-write',
        '--allow-env',
        '--allow-ffi',
        '--allow-sys',
        'server/deno.ts',
      ],
      {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DENO_NO_UPDATE_CHECK: '1',
        HOST: '127.0.0.1',
        PORT: '0',
        ...env,
      },
    )
    try {
      const [, base] = await deno.waitFor(
        /"msg":"listening","url":"(http:\/\/127\.0\.0\.1:\d+)","runtime":"deno"/,
      )
      assert.deepEqual(await (await fetch(`${base}/healthz`)).json(), { ok: true })
      const ready = await fetch(`${base}/readyz`)
      assert.equal(ready.status, 200)
      assert.equal((await ready.json()).migrations, 'current')
      assert.deepEqual(
        await (await fetch(`${base}/.well-known/jwks.json`)).json(),
        nodeJwks,
        'same keys file',
      )

      const wrong = await signIn(base!, 'admin', 'not-the-password')
      assert.equal(wrong.status, 401)
      const login = await signIn(base!, 'admin', password)
      assert.equal(login.status, 303)
      const dashboard = await fetch(`${base}/dashboard`, { headers: { cookie: login.cookie } })
      assert.equal(dashboard.status, 200)

      // a station pairs and says hello over Deno's WebSocket (hono/deno upgradeWebSocket)
      const { keys } = await loadOrCreateKeys({
        load: () => readFile(path.join(dataDir, 'keys.json'), 'utf8'),
        save: async () => assert.fail('keys must already exist'),
      })
      const database = await openDatabase({ url: `file:${dataDir}/showroom.db` })
      const [kiosk] = await database.db.select().from(stations).where(eq(stations.kind, 'kiosk'))
      database.close()
      const now = Date.now()
      const stationToken = await pairOverHttp(base!, keys, kiosk!.id)
      const ws = new WebSocket(base!.replace('http', 'ws') + stationSocketPath)
      const welcome = new Promise<{ type: string; station: { id: string } }>((resolve, reject) => {
        ws.once('message', (data) => resolve(JSON.parse(String(data))))
        ws.once('error', reject)
      })
      await new Promise((resolve) => ws.once('open', resolve))
      ws.send(JSON.stringify({ type: 'hello', token: stationToken }))
      const message = await welcome
      assert.equal(message.type, 'welcome')
      assert.equal(message.station.id, kiosk!.id)
      ws.close()

      // a phone check-in from the entrance QR: a visit pass comes back and the visit is in the shared file
      const [entrance, code] = await (async () => {
        const db = await openDatabase({ url: `file:${dataDir}/showroom.db` })
        try {
          const [station] = await db.db.select().from(stations).where(eq(stations.kind, 'entrance'))
          const code = await db.write((tx) =>
            issueEntranceCode(tx, {
              officeId: station!.officeId,
              stationId: station!.id,
              now: Date.now(),
              lifetimeMs: 60_000,
            }),
          )
          return [station, code] as const
        } finally {
          db.close()
        }
      })()
      // the phone opened the code on the screen: the browser binding it holds comes with the form
      const entry = await entryCookieFor(keys, code.id, entrance!, now)
      const csrf = 'deno-check-in-csrf-0001'
      const checkin = await fetch(`${base}/checkin`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `sr_csrf=${csrf}; ${entry}` },
        body: new URLSearchParams({ _csrf: csrf, t: code.id, phone: '13800138000' }),
      })
      assert.equal(checkin.status, 303)
      assert.equal(checkin.headers.get('location'), '/pass')
      const pass = /sr_visit=([^;]+)/.exec(checkin.headers.get('set-cookie') ?? '')?.[1]
      assert.ok(pass, 'a visit pass is issued')
      visitId = String(JSON.parse(Buffer.from(pass.split('.')[1]!, 'base64url').toString()).visit)
      const passPage = await fetch(`${base}/pass`, { headers: { cookie: `sr_visit=${pass}` } })
      assert.equal(passPage.status, 200)
    } finally {
      assert.equal(await deno.stop(), 0, 'Deno adapter stops cleanly on SIGTERM')
    }

    // what Deno wrote is in the one SQLite file
    const database = await openDatabase({ url: `file:${dataDir}/showroom.db` })
    const [visit] = await database.db.select().from(visits).where(eq(visits.id, visitId))
    assert.ok(visit, 'the check-in made under Deno is in the database')
    const logins = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'login.success'), eq(auditLog.target, 'admin')))
    database.close()
    assert.equal(logins.length, 1)
  } finally {
    await rm(dataDir, { recursive: true, force: true })
  }
})
