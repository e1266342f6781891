// Issue 13 item 3: a photographed entrance code checks people in later. The code proves presence only to the browser
// that opened it while it was valid, for a few minutes, once; a code's check-ins are capped and audited.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { count, eq } from 'drizzle-orm'
import { makeTestApp, Client, type TestApp } from '../helpers/app.ts'
import { entranceToken, registerReferral } from '../helpers/visitor.ts'
import { visits } from '../../models/visits.ts'
import { referrals } from '../../models/referrals.ts'
import { auditLog } from '../../models/audit.ts'

const visitCount = async (t: TestApp) => (await t.database.db.select({ n: count() }).from(visits))[0]!.n

const isPassRedirect = (res: Response) => res.status === 303 && res.headers.get('location') === '/pass'

test('item 3: a browser that never opened the entrance code cannot check in with it', async () => {
  const t = await makeTestApp()
  const code = await entranceToken(t)
  const stranger = new Client(t.app)
  // the CSRF cookie comes from some other page, not from opening the code
  await stranger.get('/login')
  const res = await stranger.post('/checkin', { t: code })
  assert.equal(res.status, 400)
  assert.equal(await visitCount(t), 0)
})

test('item 3: a code photographed and opened after it expired is refused, and so is its form', async () => {
  const t = await makeTestApp()
  const code = await entranceToken(t)
  t.clock.advance(185_000)
  const late = new Client(t.app)
  assert.equal((await late.get(`/checkin?t=${encodeURIComponent(code)}`)).status, 400)
  assert.equal((await late.post('/checkin', { t: code })).status, 400)
  assert.equal(await visitCount(t), 0)
})

test('item 3: the form is accepted only within a few minutes of opening the code', async () => {
  const t = await makeTestApp()
  const code = await entranceToken(t)
  const phone = new Client(t.app)
  assert.equal((await phone.get(`/checkin?t=${encodeURIComponent(code)}`)).status, 200)
  t.clock.advance(6 * 60_000)
  assert.equal((await phone.post('/checkin', { t: code })).status, 400)
  assert.equal(await visitCount(t), 0)
})

test('item 3: one opening checks in once; dropping the visit pass does not make a second visit', async () => {
  const t = await makeTestApp()
  const code = await entranceToken(t)
  const phone = new Client(t.app)
  await phone.get(`/checkin?t=${encodeURIComponent(code)}`)
  assert.ok(isPassRedirect(await phone.post('/checkin', { t: code })))
  phone.cookies.delete('sr_visit')
  assert.equal((await phone.post('/checkin', { t: code })).status, 400)
  assert.equal(await visitCount(t), 1)
})

test('item 3: a code opened by another browser does not vouch for this one (the binding is to the code)', async () => {
  const t = await makeTestApp()
  const shown = await entranceToken(t)
  t.clock.advance(1000)
  const other = await entranceToken(t)
  const phone = new Client(t.app)
  await phone.get(`/checkin?t=${encodeURIComponent(shown)}`)
  assert.equal((await phone.post('/checkin', { t: other })).status, 400)
  assert.equal(await visitCount(t), 0)
})

test('item 3: a code checks in at most its cap of browsers; every check-in and the refusal are audited', async () => {
  const t = await makeTestApp()
  const { entranceCodeCheckinCap } = await import('../../server/entrance-codes.ts')
  const code = await entranceToken(t)
  const results: boolean[] = []
  for (let i = 0; i <= entranceCodeCheckinCap; i++) {
    const phone = new Client(t.app)
    await phone.get(`/checkin?t=${encodeURIComponent(code)}`)
    results.push(isPassRedirect(await phone.post('/checkin', { t: code })))
  }
  assert.deepEqual(
    results,
    [...Array(entranceCodeCheckinCap).fill(true), false],
    'the browser past the cap is refused',
  )
  assert.equal(await visitCount(t), entranceCodeCheckinCap)
  const used = await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'entrance.checkin'))
  assert.equal(used.length, entranceCodeCheckinCap)
  assert.ok(used.every((row) => row.target === used[0]!.target && row.target))
  const refused = await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'token.rejected'))
  assert.ok(refused.some((row) => JSON.parse(row.detail).failure === 'code-cap'))
})

test('item 3: a replayed old code does not mark a broker referral arrived (no commission without presence)', async () => {
  const t = await makeTestApp()
  const code = await entranceToken(t)
  const { referralPath, referralId } = await registerReferral(t, 'broker1', { clientLabel: '未到访' })
  t.clock.advance(185_000)
  const client = new Client(t.app)
  await client.get(referralPath)
  await client.get(`/checkin?t=${encodeURIComponent(code)}`)
  await client.post('/checkin', { t: code })
  const [referral] = await t.database.db.select().from(referrals).where(eq(referrals.id, referralId))
  assert.equal(referral!.visitId, null)
  assert.equal(await visitCount(t), 0)
})
