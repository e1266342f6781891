// Item 14 of the security review: pages with personal data or credentials are sent with Cache-Control: no-store.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { makeTestApp, Client, adminPassword } from '../helpers/app.ts'
import { checkIn, entranceToken, registerReferral } from '../helpers/visitor.ts'
import { visits } from '../../models/visits.ts'
import { listStations } from '../../models/offices.ts'

function assertNoStore(res: Response, what: string) {
  assert.match(res.headers.get('cache-control') ?? '(none)', /no-store/, `${what}: ${res.status}`)
}

test('item 14: visitor pages (/me, /me/data.json, /pass, check-in, consent, receipt) are no-store', async () => {
  const t = await makeTestApp()
  const phone = await checkIn(t, { phone: '13600001234' })
  const page = await (await phone.get('/consent')).text()
  const notice = /name="notice" value="([^"]+)"/.exec(page)![1]!
  const agreed = await phone.post('/consent', { choice: 'agree', notice })
  for (const path of ['/me', '/me/data.json', '/pass', '/consent', agreed.headers.get('location')!])
    assertNoStore(await phone.get(path), path)
  assertNoStore(await new Client(t.app).get(`/checkin?t=${await entranceToken(t)}`), '/checkin')
  // refusals too: a 401 page names nobody, but a proxy must not keep the answer for the next person
  assertNoStore(await new Client(t.app).get('/me'), '/me without a pass')
})

test('item 14: staff pages (/dashboard, /visits/:id, sign-in) and the pairing link are no-store', async () => {
  const t = await makeTestApp()
  await checkIn(t, { phone: '13600001234' })
  const [visit] = await t.database.db.select().from(visits)
  const sales = new Client(t.app)
  assertNoStore(await sales.get('/login'), '/login')
  await sales.login('sales', t.passwordOf('sales'))
  for (const path of ['/dashboard', `/visits/${visit!.id}`]) assertNoStore(await sales.get(path), path)
  const admin = new Client(t.app)
  await admin.login('admin', adminPassword)
  const [station] = await listStations(t.database.db, t.seeded.officeId)
  const paired = await admin.post(`/admin/stations/${station!.id}/pair`)
  assertNoStore(paired, 'pairing link page')
  const link = /id="pairing-link">([^<]+)</.exec(await paired.text())![1]!
  assertNoStore(await new Client(t.app).get(new URL(link).pathname), 'GET /pair/:token')
  const { broker, referralId } = await registerReferral(t, 'broker1', { phone: '13700001111' })
  assertNoStore(await broker.get(`/agent/referrals/${referralId}`), 'a referral share page')
})
