// TLS=local on a running server: the root stays private, /ca.crt serves it, the server certificate covers the public
// name and is renewed without a restart, and the plain HTTP port only redirects (plus /ca.crt).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { startTestServer } from '../../helpers/browser.ts'
import { freePort } from '../../helpers/runtime.ts'
import { presentedCertificate, httpsGet } from '../../helpers/tls.ts'
import { hstsMaxAgeSeconds } from '../../../server/tls/routes.ts'

let server: Awaited<ReturnType<typeof startTestServer>>
let port: number
let httpPort: number
let rootPem: string
const banner: string[] = []

before(async () => {
  port = await freePort()
  httpPort = await freePort()
  // what the start banner prints (whatever its format, the fingerprint must be in it)
  const print = console.log
  console.log = (...parts: unknown[]) => void banner.push(parts.join(' '))
  server = await startTestServer({
    TLS: 'local',
    PORT: String(port),
    HTTP_PORT: String(httpPort),
    PUBLIC_URL: `https://showroom.test:${port}`,
    TLS_HOSTNAMES: 'kiosk.lan',
  }).finally(() => (console.log = print))
  rootPem = await readFile(path.join(server.dataDir, 'tls', 'ca.crt'), 'utf8')
})
after(() => server.close())

test('the root key is private (0600); the banner prints the public origin and the root fingerprint', async () => {
  const key = await stat(path.join(server.dataDir, 'tls', 'ca-key.pem'))
  assert.equal(key.mode & 0o777, 0o600)
  assert.equal(server.base, `https://showroom.test:${port}`)
  assert.match(server.tls!.caFingerprint!, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/)
  const printed = banner.join('\n')
  assert.ok(printed.includes(server.tls!.caFingerprint!), 'the banner prints the root fingerprint')
  assert.ok(printed.includes(`https://showroom.test:${port}/ca.crt`), 'and where to get the root')
  assert.ok(!printed.includes('0.0.0.0'))
})

test('GET /ca.crt serves the root certificate, over HTTPS and over the plain port', async () => {
  const overHttps = await httpsGet({ port, host: 'showroom.test', path: '/ca.crt', ca: rootPem })
  assert.equal(overHttps.status, 200)
  assert.equal(overHttps.body, rootPem)
  assert.equal(overHttps.headers['content-type'], 'application/x-x509-ca-cert')
  assert.ok(!overHttps.body.includes('PRIVATE KEY'))
  const overHttp = await fetch(`http://127.0.0.1:${httpPort}/ca.crt`)
  assert.equal(overHttp.status, 200)
  assert.equal(await overHttp.text(), rootPem)
})

test('the certificate chains to the root for the public name, localhost, loopback and TLS_HOSTNAMES', async () => {
  for (const servername of ['showroom.test', 'localhost', 'kiosk.lan']) {
    const { authorized, cert, error } = await presentedCertificate({ port, servername, ca: rootPem })
    assert.ok(authorized, `${servername}: ${error}`)
    assert.match(cert.subjectaltname ?? '', new RegExp(`DNS:${servername.replace('.', '\\.')}`))
  }
  const byAddress = await presentedCertificate({ port, ca: rootPem })
  assert.match(byAddress.cert.subjectaltname ?? '', /IP Address:127\.0\.0\.1/)
  const other = await presentedCertificate({ port, servername: 'elsewhere.test', ca: rootPem })
  assert.ok(!other.cert.subjectaltname?.includes('elsewhere.test'))
})

test('HSTS over HTTPS; the plain port redirects everything else to PUBLIC_URL, without HSTS', async () => {
  const page = await httpsGet({ port, host: 'showroom.test', path: '/login', ca: rootPem })
  assert.equal(page.status, 200)
  assert.equal(page.headers['strict-transport-security'], `max-age=${hstsMaxAgeSeconds}`)
  for (const method of ['GET', 'POST']) {
    const response = await fetch(`http://127.0.0.1:${httpPort}/checkin?t=abc`, { method, redirect: 'manual' })
    assert.equal(response.status, 301)
    assert.equal(response.headers.get('location'), `https://showroom.test:${port}/checkin?t=abc`)
    assert.equal(response.headers.get('strict-transport-security'), null)
    assert.equal(response.headers.get('set-cookie'), null, 'nothing of the app over plain http')
  }
  const unknownChallenge = await fetch(`http://127.0.0.1:${httpPort}/.well-known/acme-challenge/nope`)
  assert.equal(unknownChallenge.status, 404)
})

test('renewal replaces the server certificate without a restart, for named and address-only handshakes', async () => {
  const before = await presentedCertificate({ port, servername: 'showroom.test', ca: rootPem })
  const live = server.tls!.live
  assert.equal(await server.tls!.check(live.notBefore + 1000), false, 'not due early in its life')
  const started = performance.now()
  assert.equal(await server.tls!.check(live.notAfter - 1000), true, 'due near its end')
  const renewMs = performance.now() - started
  const named = await presentedCertificate({ port, servername: 'showroom.test', ca: rootPem })
  const byAddress = await presentedCertificate({ port, ca: rootPem })
  assert.notEqual(named.cert.serialNumber, before.cert.serialNumber)
  assert.equal(byAddress.cert.serialNumber, named.cert.serialNumber)
  assert.ok(named.authorized)
  console.log(`local CA: server certificate re-issued in ${renewMs.toFixed(0)} ms`)
})
