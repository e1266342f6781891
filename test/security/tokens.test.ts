// Hostile tokens on every token-taking route: session cookie, /pair/:token, station socket hello. All refused, no write.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import WebSocket from 'ws'
import { eq } from 'drizzle-orm'
import { makeTestApp, Client } from '../helpers/app.ts'
import { startTestServer } from '../helpers/browser.ts'
import { tableCounts, changedTables } from '../helpers/counts.ts'
import { hostileTokens } from './craft.ts'
import { entranceToken } from '../helpers/visitor.ts'
import { staff } from '../../models/staff.ts'
import { listStations } from '../../models/offices.ts'
import { issuePairingToken, pairStation } from '../../server/stations.ts'
import { stationSocketPath } from '../../server/station-protocol.ts'
import { verifyToken, signToken, type TokenType } from '../../server/tokens.ts'
import { setLogSink } from '../../server/log.ts'

test('the hostile tokens are refused by verifyToken itself, each with a failure reason', async () => {
  const t = await makeTestApp()
  const tokens = await hostileTokens(t.keys, 'staff', { sub: 'x', role: 'admin' }, t.clock.now())
  for (const [name, token] of Object.entries(tokens)) {
    const result = await verifyToken(t.keys, 'staff', token, t.clock.now())
    assert.equal(result.ok, false, `${name} was accepted`)
  }
})

test('a token verified once is still refused once expired, for another typ, and after its valid twin is seen', async () => {
  const t = await makeTestApp()
  const now = t.clock.now()
  const { token } = await signToken(t.keys, 'entrance', { office: 'o' }, { now, expiresAt: now + 60_000 })
  assert.equal((await verifyToken(t.keys, 'entrance', token, now)).ok, true)
  // the second look is served from the cache of verified tokens: same claims, a copy the caller may change
  const again = await verifyToken(t.keys, 'entrance', token, now + 1000)
  assert.ok(again.ok)
  again.claims.office = 'changed'
  const third = await verifyToken(t.keys, 'entrance', token, now + 1000)
  assert.ok(third.ok && third.claims.office === 'o')
  assert.deepEqual(await verifyToken(t.keys, 'entrance', token, now + 60_000), {
    ok: false,
    failure: 'expired',
  })
  assert.deepEqual(await verifyToken(t.keys, 'visit', token, now), { ok: false, failure: 'wrong-type' })
  // a forgery of the remembered token (payload changed, signature kept) is not the same string: verified afresh
  const [header, payload, signature] = token.split('.')
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString())
  const forged = [
    header,
    Buffer.from(JSON.stringify({ ...claims, office: 'other' })).toString('base64url'),
    signature,
  ]
  assert.deepEqual(await verifyToken(t.keys, 'entrance', forged.join('.'), now), {
    ok: false,
    failure: 'forged',
  })
  // another key set (a restarted install with new keys) never sees this install's verified tokens
  const other = await makeTestApp()
  assert.deepEqual(await verifyToken(other.keys, 'entrance', token, now), { ok: false, failure: 'forged' })
})

test('session cookie: every hostile token is treated as signed out, cleared, and writes nothing', async () => {
  const t = await makeTestApp()
  const [admin] = await t.database.db.select().from(staff).where(eq(staff.username, 'admin'))
  const tokens = await hostileTokens(
    t.keys,
    'staff',
    { sub: admin!.id, role: 'admin', office: admin!.officeId },
    t.clock.now(),
  )
  const before = await tableCounts(t.database)
  for (const [name, token] of Object.entries(tokens)) {
    const res = await t.app.request('/dashboard', { headers: { cookie: `sr_session=${token}` } })
    assert.equal(res.status, 303, name)
    assert.match(res.headers.get('location')!, /^\/login/, name)
    if (token)
      assert.ok(
        res.headers.getSetCookie().some((c) => /^sr_session=;/.test(c)),
        `${name}: cookie cleared`,
      )
    const api = await t.app.request('/api/v1/anything', { headers: { cookie: `sr_session=${token}` } })
    assert.ok(api.status >= 400 && api.status < 500, name)
  }
  assert.deepEqual(changedTables(before, await tableCounts(t.database)), [])
})

test('/pair/:token: every hostile token gets 400 and only a token.rejected audit row', async () => {
  const t = await makeTestApp()
  const [station] = await listStations(t.database.db, t.seeded.officeId)
  const tokens = await hostileTokens(t.keys, 'pairing', { station: station!.id }, t.clock.now())
  const client = new Client(t.app)
  await client.get('/login')
  for (const [name, token] of Object.entries(tokens)) {
    if (!token) continue
    const before = await tableCounts(t.database)
    const page = await client.get(`/pair/${encodeURIComponent(token)}`)
    assert.ok(page.status === 200 || page.status === 404, `${name}: GET only shows a page`)
    const res = await client.post(`/pair/${encodeURIComponent(token)}`)
    assert.ok([400, 404].includes(res.status), `${name}: ${res.status}`)
    const after = await tableCounts(t.database)
    assert.deepEqual(
      changedTables(before, after).filter((n) => n !== 'auditLog'),
      [],
      name,
    )
    assert.ok(after.auditLog! - before.auditLog! <= 1, name)
  }
  const [unchanged] = (await listStations(t.database.db, t.seeded.officeId)).filter(
    (s) => s.id === station!.id,
  )
  assert.equal(unchanged!.deviceTokenId, null, 'no hostile token paired the station')
})

test('visitor tokens: entrance QR, referral link, consent receipt and visit pass refuse every hostile token', async () => {
  const t = await makeTestApp()
  const now = t.clock.now()
  const entrance = (await listStations(t.database.db, t.seeded.officeId)).find((s) => s.kind === 'entrance')!
  // a real check-in first: the hostile visit passes below carry a real visitor's ids
  const visitor = new Client(t.app)
  const realEntrance = await entranceToken(t)
  await visitor.get(`/checkin?t=${realEntrance}`)
  assert.equal((await visitor.post('/checkin', { t: realEntrance, phone: '13800138000' })).status, 303)
  // a code still on the screen: hostile browser bindings (the sr_entry cookie) name it
  const liveCode = await entranceToken(t)
  const passClaims = JSON.parse(
    Buffer.from(visitor.cookies.get('sr_visit')!.split('.')[1]!, 'base64url').toString(),
  )
  const cases: {
    typ: TokenType
    claims: Record<string, unknown>
    send: (token: string, c: Client) => Promise<Response>[]
  }[] = [
    {
      // the entrance QR carries a short code; the signed token is the browser's binding to the code it opened
      typ: 'entrance',
      claims: { code: liveCode, office: t.seeded.officeId, station: entrance.id },
      send: (token, c) => {
        c.cookies.set('sr_entry', token)
        return [
          c.get(`/checkin?t=${encodeURIComponent(token)}`),
          c.post('/checkin', { t: liveCode, phone: '13900139000' }),
        ]
      },
    },
    {
      typ: 'referral',
      claims: { office: t.seeded.officeId, broker: 'b', referral: 'r' },
      send: (token, c) => [c.get(`/r/${encodeURIComponent(token)}`)],
    },
    {
      typ: 'receipt',
      claims: { consent: 'c', scope: 'camera', notice: 'n', granted: now },
      send: (token, c) => [
        c.get(`/receipt/${encodeURIComponent(token)}`),
        c.post(`/receipt/${encodeURIComponent(token)}/withdraw`),
      ],
    },
    {
      typ: 'visit',
      claims: { visit: passClaims.visit, visitor: passClaims.visitor, office: passClaims.office },
      send: (token, c) => {
        c.cookies.set('sr_visit', token)
        return [c.get('/pass'), c.get('/me'), c.get('/me/data.json'), c.post('/me/delete')]
      },
    },
  ]
  for (const { typ, claims, send } of cases) {
    const tokens = await hostileTokens(t.keys, typ, claims, now)
    for (const [name, token] of Object.entries(tokens)) {
      if (!token) continue
      const client = new Client(t.app)
      await client.get('/login')
      const before = await tableCounts(t.database)
      const responses = []
      for (const pending of send(token, client)) responses.push(await pending)
      for (const res of responses)
        assert.ok(res.status >= 400 && res.status < 500, `${typ} ${name}: ${res.status}`)
      assert.equal(client.cookies.has('sr_referral'), false, `${typ} ${name}: no referral cookie`)
      const after = await tableCounts(t.database)
      assert.deepEqual(
        changedTables(before, after).filter((n) => n !== 'auditLog'),
        [],
        `${typ} ${name}`,
      )
      assert.ok(after.auditLog! - before.auditLog! <= responses.length, `${typ} ${name}`)
    }
  }
  // the real visitor's data is untouched
  assert.equal((await visitor.get('/me')).status, 200)
})

let server: Awaited<ReturnType<typeof startTestServer>>
let restoreLogs: ReturnType<typeof setLogSink>
before(async () => {
  restoreLogs = setLogSink(() => undefined)
  server = await startTestServer()
})
after(async () => {
  await server?.close()
  setLogSink(restoreLogs)
})

function helloWith(token: string) {
  const ws = new WebSocket(server.base.replace('http', 'ws') + stationSocketPath)
  const messages: string[] = []
  ws.on('message', (data) => messages.push(String(data)))
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)))
  ws.once('open', () => ws.send(JSON.stringify({ type: 'hello', token })))
  return { closed, messages }
}

test('station socket: every hostile device token is closed with 4001 before any welcome, and writes nothing', async () => {
  const deps = server.deps
  const stations = await listStations(deps.database.db, server.seeded!.officeId)
  const kiosk = stations.find((s) => s.kind === 'kiosk')!
  // a real pairing first, so the station has a current device token a forgery could pretend to be
  const paired = await pairStation(deps, await issuePairingToken(deps, kiosk.id))
  assert.ok(paired.ok)
  const [, realPayload] = paired.stationToken.split('.')
  const claims = JSON.parse(Buffer.from(realPayload!, 'base64url').toString())
  const tokens = await hostileTokens(deps.keys, 'station', claims, Date.now())
  const before = await tableCounts(deps.database)
  for (const [name, token] of Object.entries(tokens)) {
    const socket = helloWith(token)
    // an oversized hello is cut off as too large before it is read as a token
    assert.equal(await socket.closed, name === 'huge' ? 1009 : 4001, name)
    assert.ok(!socket.messages.some((m) => m.includes('welcome')), name)
  }
  assert.deepEqual(changedTables(before, await tableCounts(deps.database)), [])
})
