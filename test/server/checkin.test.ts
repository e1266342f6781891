// Check-in with the entrance QR: visits, visit passes, phone numbers, and every way a token can be wrong.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { count, eq } from 'drizzle-orm'
import { SignJWT } from 'jose'
import { makeTestApp, Client } from '../helpers/app.ts'
import { entranceToken, entranceStation, checkIn } from '../helpers/visitor.ts'
import { visits, visitors } from '../../models/visits.ts'
import { auditLog } from '../../models/audit.ts'
import { signToken } from '../../server/tokens.ts'
import { checkinFormGraceMs } from '../../server/routes/checkin.tsx'

const rows = async (t: Awaited<ReturnType<typeof makeTestApp>>) => {
  const [v] = await t.database.db.select({ n: count() }).from(visits)
  const [p] = await t.database.db.select({ n: count() }).from(visitors)
  return { visits: v!.n, visitors: p!.n }
}

test('the entrance screen page exists for entrance stations only', async () => {
  const t = await makeTestApp()
  const station = await entranceStation(t)
  const page = await t.app.request(`/entrance/${station.id}`)
  assert.equal(page.status, 200)
  const html = await page.text()
  assert.match(html, /id="entrance-qr"/)
  assert.match(html, /privacy@demo\.example/, 'the privacy contact is on the screen')
  assert.match(html, /未在同意屏上主动同意/, 'the short notice is on the screen')
  assert.equal((await t.app.request('/entrance/nope')).status, 404)
})

test('a valid entrance token creates one visit and a visit pass; a second scan the same day returns it', async () => {
  const t = await makeTestApp()
  const phone = await checkIn(t)
  const cookie = [...phone.cookies].find(([k]) => k === 'sr_visit')
  assert.ok(cookie, 'visit pass cookie set')
  const pass = await phone.get('/pass')
  assert.equal(pass.status, 200)
  const html = await pass.text()
  assert.match(html, /<svg/, 'the pass is shown as a QR')
  assert.match(html, /签到已记录/)
  assert.deepEqual(await rows(t), { visits: 1, visitors: 1 })
  // scanning again today: the same visit (GET goes straight to the pass, a POST does not add one)
  const again = await phone.get(`/checkin?t=${await entranceToken(t)}`)
  assert.equal(again.headers.get('location'), '/pass')
  await checkIn(t, { client: phone })
  assert.deepEqual(await rows(t), { visits: 1, visitors: 1 })
})

test('the visit pass is HttpOnly and ends with the office day', async () => {
  const t = await makeTestApp()
  const token = await entranceToken(t)
  const phone = new Client(t.app)
  await phone.get(`/checkin?t=${token}`)
  const res = await phone.post('/checkin', { t: token })
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('sr_visit='))!
  assert.match(setCookie, /HttpOnly/)
  const expires = Date.parse(/Expires=([^;]+)/.exec(setCookie)![1]!)
  // test clock is 10:00 in Shanghai; the pass lasts until local midnight (16:00 UTC)
  assert.equal(new Date(expires).toISOString(), '2026-11-23T16:00:00.000Z')
})

test('a returning phone number is recognised as a return visit, never by a face', async () => {
  const t = await makeTestApp()
  await checkIn(t, { phone: '138 0013 8000' })
  t.clock.advance(3 * 86400_000)
  await checkIn(t, { phone: '+86 13800138000' })
  const all = await t.database.db.select().from(visits).orderBy(visits.checkedInAt)
  assert.deepEqual(
    all.map((v) => v.firstVisit),
    [true, false],
  )
  assert.equal(all[0]!.visitorId, all[1]!.visitorId)
})

test('a phone number is kept only as hash, mask and ciphertext', async () => {
  const t = await makeTestApp()
  await checkIn(t, { phone: '13912345678' })
  const [visitor] = await t.database.db.select().from(visitors)
  assert.equal(visitor!.phoneMasked, '139****5678')
  assert.match(visitor!.phoneHash!, /^[0-9a-f]{64}$/)
  assert.doesNotMatch(JSON.stringify(visitor), /13912345678/)
})

test('a malformed phone number gets a clear message and writes nothing', async () => {
  const t = await makeTestApp()
  const token = await entranceToken(t)
  const phone = new Client(t.app)
  await phone.get(`/checkin?t=${token}`)
  const res = await phone.post('/checkin', { t: token, phone: '12345' })
  assert.equal(res.status, 400)
  assert.match(await res.text(), /手机号格式不正确/)
  assert.deepEqual(await rows(t), { visits: 0, visitors: 0 })
})

test('expired, forged, wrong-type, unsigned and garbage tokens: a clear page, nothing written, audited', async () => {
  const t = await makeTestApp()
  const station = await entranceStation(t)
  const now = t.clock.now()
  const valid = await entranceToken(t)
  const [head, body] = valid.split('.')
  const forged = `${head}.${body}.${'A'.repeat(86)}`
  const wrongType = (
    await signToken(
      t.keys,
      'referral',
      { office: station.officeId, station: station.id },
      { now, expiresAt: now + 60_000 },
    )
  ).token
  const unsigned = await new SignJWT({ office: station.officeId, station: station.id })
    .setProtectedHeader({ alg: 'HS256', typ: 'entrance+jwt' })
    .setIssuer('showroom')
    .setJti('x')
    .setIssuedAt()
    .setExpirationTime('1m')
    .sign(new TextEncoder().encode('guessed-secret-guessed-secret-32'))
  const expired = await entranceToken(t, { ttlMs: -checkinFormGraceMs - 1000 })
  for (const [name, token] of Object.entries({
    forged,
    wrongType,
    unsigned,
    expired,
    garbage: 'not-a-token',
  })) {
    const phone = new Client(t.app)
    const page = await phone.get(`/checkin?t=${encodeURIComponent(token)}`)
    assert.equal(page.status, 400, name)
    assert.match(await page.text(), /重新扫描/, name)
    const post = await phone.post('/checkin', { t: token })
    assert.equal(post.status, 400, name)
  }
  assert.deepEqual(await rows(t), { visits: 0, visitors: 0 })
  const rejected = await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'token.rejected'))
  assert.equal(rejected.length, 10)
  assert.ok(
    rejected.every((r) => !r.detail.includes(valid.slice(0, 20))),
    'token text is not logged',
  )
  const failures = new Set(rejected.map((r) => JSON.parse(r.detail).failure))
  assert.deepEqual([...failures].sort(), ['expired', 'forged', 'malformed', 'wrong-type'])
})

test('the form may be sent a while after the QR rotated, but not later than the grace period', async () => {
  const t = await makeTestApp()
  const token = await entranceToken(t)
  const phone = new Client(t.app)
  await phone.get(`/checkin?t=${token}`)
  t.clock.advance(checkinFormGraceMs + 61_000)
  assert.equal((await phone.post('/checkin', { t: token })).status, 400)
  assert.deepEqual(await rows(t), { visits: 0, visitors: 0 })
})

test('a check-in flood from one address is rate-limited and audited once', async () => {
  const t = await makeTestApp()
  const phone = new Client(t.app)
  await phone.get('/login')
  const statuses: number[] = []
  for (let i = 0; i < 125; i++) statuses.push((await phone.post('/checkin', { t: 'x' })).status)
  assert.equal(statuses.filter((s) => s === 429).length, 5)
  const limited = await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'rate-limited'))
  assert.equal(limited.length, 1)
})

test('a returning number links the visit silently: no question, no mask, counted as a return', async () => {
  const t = await makeTestApp()
  await checkIn(t, { phone: '13800001234' })
  t.clock.advance(86400_000)
  const token = await entranceToken(t)
  const phone = new Client(t.app)
  await phone.get(`/checkin?t=${token}`)
  const res = await phone.post('/checkin', { t: token, phone: '13800001234' })
  assert.equal(res.status, 303, 'straight to the pass')
  assert.doesNotMatch(await (await phone.get('/pass')).text(), /138\*\*\*\*1234|欢迎再次到访/)
  const all = await t.database.db.select().from(visits).orderBy(visits.checkedInAt)
  assert.equal(all.length, 2)
  assert.equal(all[0]!.visitorId, all[1]!.visitorId)
  assert.equal(all[1]!.firstVisit, false)
})
