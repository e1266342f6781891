// Issue 13 item 16: share links and QR codes took their host from the request (`Host: evil.example`). They come from
// PUBLIC_URL when it is set; without it, a request naming a host this server does not answer to is refused.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { makeTestApp, Client, type TestApp } from '../helpers/app.ts'
import { checkIn } from '../helpers/visitor.ts'
import { listStations } from '../../models/offices.ts'

const publicUrl = 'https://showroom.example.cn'

// a client that sends every request to `origin` (the Host header the server sees) with another client's cookies
function asHost(t: TestApp, from: Client, origin: string) {
  const client = new Client(t.app, origin)
  for (const [k, v] of from.cookies) client.cookies.set(k, v)
  return client
}

async function referralSharePage(t: TestApp, origin: string) {
  const broker = new Client(t.app)
  await broker.login('broker1', t.passwordOf('broker1'))
  const created = await broker.post('/agent/referrals', { clientLabel: 'x' })
  assert.equal(created.status, 303)
  return asHost(t, broker, origin).get(created.headers.get('location')!)
}

async function pairingPage(t: TestApp, origin: string) {
  const admin = new Client(t.app)
  await admin.login('admin', t.passwordOf('admin'))
  const [station] = await listStations(t.database.db, t.seeded.officeId)
  return asHost(t, admin, origin).post(`/admin/stations/${station!.id}/pair`)
}

test('item 16: without PUBLIC_URL, a request for an unknown host gets no link to that host', async () => {
  const t = await makeTestApp()
  for (const page of [
    await referralSharePage(t, 'http://evil.example'),
    await pairingPage(t, 'http://evil.example'),
  ]) {
    const html = await page.text()
    assert.doesNotMatch(html, /evil\.example/)
    assert.equal(page.status, 421, 'the unknown host is refused')
  }
  // the names a LAN server is opened by still work
  for (const origin of ['http://127.0.0.1:8787', 'http://localhost:8787', 'http://[::1]:8787']) {
    const html = await (await referralSharePage(t, origin)).text()
    assert.match(html, new RegExp(`id="referral-link">${origin.replace(/[[\].]/g, '\\$&')}/r/`))
  }
})

test('item 16: with PUBLIC_URL, every printed link and QR uses it, whatever Host the request named', async () => {
  const t = await makeTestApp({ config: { publicUrl } as never })
  const share = await (await referralSharePage(t, 'http://127.0.0.1:8787')).text()
  assert.match(share, /id="referral-link">https:\/\/showroom\.example\.cn\/r\//)
  const pairing = await (await pairingPage(t, 'http://localhost:8787')).text()
  assert.match(pairing, /id="pairing-link">https:\/\/showroom\.example\.cn\/pair\//)
  for (const page of [
    await referralSharePage(t, 'http://evil.example'),
    await pairingPage(t, 'http://evil.example'),
  ]) {
    assert.doesNotMatch(await page.text(), /evil\.example/)
  }
  // the visit pass QR on the phone encodes the public origin too (the SVG has no text, so the page's data says it)
  const phone = await checkIn(t)
  const pass = await asHost(t, phone, 'http://127.0.0.1:8787').get('/pass')
  assert.match(await pass.text(), /data-qr="https:\/\/showroom\.example\.cn\/visits\//)
})
