// The consent receipt: a short link in its QR, and one click away the signed Kantara CR v1.1 record, checked against
// the JSON Schema written from the field list (docs/consent-receipt.schema.json) and against our public keys.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose'
import { makeTestApp, Client, type TestApp } from '../helpers/app.ts'
import { checkIn } from '../helpers/visitor.ts'
import { maxScannedChars } from '../../server/qr.ts'

const publicUrl = 'https://showroom.example.cn'

async function receiptSchema() {
  return z.fromJSONSchema(JSON.parse(await readFile('docs/consent-receipt.schema.json', 'utf8')))
}

async function consentOnPhone(t: TestApp, phoneNumber = '13812345678') {
  const phone = await checkIn(t, { phone: phoneNumber })
  const page = await (await phone.get('/consent')).text()
  const noticeId = /name="notice" value="([^"]+)"/.exec(page)![1]!
  const res = await phone.post('/consent', { choice: 'agree', notice: noticeId })
  assert.equal(res.status, 303)
  return { phone, receiptPath: res.headers.get('location')! }
}

test('the receipt QR carries a short public link; the page offers the signed receipt as a download', async () => {
  const t = await makeTestApp({ config: { publicUrl } })
  const { phone, receiptPath } = await consentOnPhone(t)
  assert.match(receiptPath, /^\/receipt\/[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{16}$/)
  const html = await (await phone.get(receiptPath)).text()
  const encoded = /data-qr="([^"]+)"/.exec(html)![1]!
  assert.equal(encoded, `${publicUrl}${receiptPath}`)
  assert.ok(encoded.length <= maxScannedChars)
  assert.match(html, new RegExp(`href="${receiptPath.replace('.', '\\.')}/receipt\\.jwt"`))
  // no long URL or token is printed on the page
  assert.doesNotMatch(html, /eyJ[A-Za-z0-9_-]{20,}/)
})

test('the downloaded receipt is a Kantara CR v1.1 record: schema-valid, signed, pseudonymous, withdrawable', async () => {
  const t = await makeTestApp({ config: { publicUrl } })
  const { phone, receiptPath } = await consentOnPhone(t, '13812345678')
  const download = await phone.get(`${receiptPath}/receipt.jwt`)
  assert.equal(download.status, 200)
  assert.match(download.headers.get('content-disposition') ?? '', /attachment; filename="consent-receipt-/)
  assert.equal(download.headers.get('cache-control'), 'no-store')
  const jwt = await download.text()
  const jwks = (await (await phone.get('/.well-known/jwks.json')).json()) as JSONWebKeySet
  const { payload, protectedHeader } = await jwtVerify(jwt, createLocalJWKSet(jwks), { issuer: 'showroom' })
  assert.equal(protectedHeader.typ, 'receipt+jwt')
  const schema = await receiptSchema()
  const checked = schema.safeParse(payload)
  assert.ok(checked.success, JSON.stringify(checked.error?.issues))
  assert.equal(payload.version, 'KI-CR-v1.1.0')
  const purpose = (payload.services as { purposes: { termination: string }[] }[])[0]!.purposes[0]!
  assert.equal(purpose.termination, `${publicUrl}${receiptPath}`)
  // never the phone number, in any form
  const text = JSON.stringify(payload)
  assert.doesNotMatch(text, /13812345678|138\*{4}5678/)
  assert.match(String(payload.piiPrincipalId), /^urn:showroom:visit:/)
  assert.match(String(payload.policyUrl), /^https:\/\/showroom\.example\.cn\/notice\?/)
  assert.match(String(payload.noticeSha256), /^[0-9a-f]{64}$/)
})

test('the schema is not a rubber stamp: a phone as principal, implicit consent or a missing field fail it', async () => {
  const t = await makeTestApp()
  const { phone, receiptPath } = await consentOnPhone(t)
  const jwt = await (await phone.get(`${receiptPath}/receipt.jwt`)).text()
  const payload = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<
    string,
    unknown
  >
  const schema = await receiptSchema()
  assert.ok(schema.safeParse(payload).success)
  assert.equal(schema.safeParse({ ...payload, piiPrincipalId: '13812345678' }).success, false)
  const services = structuredClone(payload.services) as { purposes: Record<string, unknown>[] }[]
  services[0]!.purposes[0]!.consentType = 'IMPLIED'
  assert.equal(schema.safeParse({ ...payload, services }).success, false)
  for (const field of ['jurisdiction', 'piiControllers', 'spiCat', 'consentTimestamp']) {
    const { [field]: _dropped, ...rest } = payload
    assert.equal(schema.safeParse(rest).success, false, field)
  }
})

test('a receipt link with an altered id or MAC is refused and changes nothing', async () => {
  const t = await makeTestApp()
  const { receiptPath } = await consentOnPhone(t)
  const [, code] = /\/receipt\/(.+)$/.exec(receiptPath)!
  const [id, mac] = code!.split('.')
  const stranger = new Client(t.app)
  for (const forged of [`${id}.${'A'.repeat(16)}`, `${'B'.repeat(16)}.${mac}`, `${id}.${mac!.slice(1)}`]) {
    assert.equal((await stranger.get(`/receipt/${forged}`)).status, 400)
    assert.equal((await stranger.get(`/receipt/${forged}/receipt.jwt`)).status, 400)
    assert.equal((await stranger.post(`/receipt/${forged}/withdraw`)).status, 400)
  }
})
