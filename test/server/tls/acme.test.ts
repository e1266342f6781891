// TLS=acme against a real ACME server (Debian's pebble) on loopback: the server proves control of its name by HTTP-01
// on HTTP_PORT, serves the certificate it obtained, and a renewal replaces it without a restart.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { stat } from 'node:fs/promises'
import path from 'node:path'
import acme from 'acme-client'
import { startTestServer } from '../../helpers/browser.ts'
import { freePort } from '../../helpers/runtime.ts'
import { presentedCertificate, httpsGet } from '../../helpers/tls.ts'
import { startPebble } from '../../helpers/pebble.ts'
import { start } from '../../../server/main.ts'
import { configFromEnv } from '../../../server/config.ts'

let pebble: Awaited<ReturnType<typeof startPebble>>
let server: Awaited<ReturnType<typeof startTestServer>> | undefined
let port: number
let httpPort: number
let issueMs: number
let env: Record<string, string>
let restarted: Awaited<ReturnType<typeof start>> | undefined

before(async () => {
  port = await freePort()
  httpPort = await freePort()
  pebble = await startPebble({ httpPort })
  // what NODE_EXTRA_CA_CERTS would do for a private ACME CA: trust pebble's own HTTPS listener
  acme.axios.defaults.httpsAgent = pebble.httpsAgent
  const started = performance.now()
  env = {
    TLS: 'acme',
    PORT: String(port),
    HTTP_PORT: String(httpPort),
    PUBLIC_URL: `https://showroom.test:${port}`,
    ACME_EMAIL: 'it@showroom.test',
    ACME_DIRECTORY_URL: pebble.directoryUrl,
  }
  server = await startTestServer(env).catch((error) => {
    throw new Error(`${error}\n--- pebble:\n${pebble.output()}`)
  })
  issueMs = performance.now() - started
})
after(async () => {
  await restarted?.stop('test')
  await server?.close()
  await pebble?.stop()
  acme.axios.defaults.httpsAgent = undefined
})

test('the server obtains a certificate for its public name from the ACME CA and serves it', async () => {
  const { cert, authorized, error } = await presentedCertificate({
    port,
    servername: 'showroom.test',
    ca: pebble.issuingRoot,
  })
  assert.ok(authorized, `chains to pebble's root: ${error}`)
  assert.match(cert.subjectaltname ?? '', /DNS:showroom\.test/)
  assert.match(String(cert.issuer.CN), /Pebble/)
  const page = await httpsGet({ port, host: 'showroom.test', path: '/login', ca: pebble.issuingRoot })
  assert.equal(page.status, 200)
  assert.ok(page.headers['strict-transport-security'])
  // the account key and the certificate are kept for the next start, private to the server
  for (const file of ['acme-account.pem', 'acme-certificate.json']) {
    assert.equal((await stat(path.join(server!.dataDir, 'tls', file))).mode & 0o777, 0o600, file)
  }
  // the plain port answered the challenge and now only redirects
  const redirect = await fetch(`http://127.0.0.1:${httpPort}/login`, { redirect: 'manual' })
  assert.equal(redirect.headers.get('location'), `https://showroom.test:${port}/login`)
  // pebble really fetched the challenge from HTTP_PORT (nothing is auto-validated)
  assert.match(
    pebble.output(),
    new RegExp(`validate w/ HTTP: http://showroom\\.test:${httpPort}/\\.well-known/acme-challenge/`),
  )
  assert.match(pebble.output(), /set VALID by completed challenge/)
  console.log(`ACME (pebble): server started with a new certificate in ${issueMs.toFixed(0)} ms`)
})

test('a renewal replaces the certificate without a restart', async () => {
  const before = await presentedCertificate({ port, servername: 'showroom.test', ca: pebble.issuingRoot })
  const live = server!.tls!.live
  assert.equal(await server!.tls!.check(live.notBefore + 1000), false, 'not due early in its life')
  const started = performance.now()
  assert.equal(await server!.tls!.check(live.notAfter - 1000), true)
  const renewMs = performance.now() - started
  const after = await presentedCertificate({ port, servername: 'showroom.test', ca: pebble.issuingRoot })
  assert.ok(after.authorized)
  // pebble is told never to reuse an authorization: the renewal proved control over HTTP_PORT again
  assert.equal(pebble.output().match(/set VALID by completed challenge/g)?.length, 2)
  assert.notEqual(after.cert.serialNumber, before.cert.serialNumber)
  const byAddress = await presentedCertificate({ port })
  assert.equal(byAddress.cert.serialNumber, after.cert.serialNumber)
  console.log(`ACME (pebble): renewal took ${renewMs.toFixed(0)} ms`)
})

test('a restart serves the certificate it already has instead of ordering another (CAs rate-limit orders)', async () => {
  const serving = await presentedCertificate({ port, servername: 'showroom.test', ca: pebble.issuingRoot })
  const issued = () => pebble.output().match(/Issued certificate serial/g)?.length ?? 0
  const ordersBefore = issued()
  await server!.stop('restart')
  const quiet = console.log
  console.log = () => undefined
  restarted = await start(
    configFromEnv({
      ...env,
      DATA_DIR: server!.dataDir,
      HOST: '127.0.0.1',
      SHOWROOM_ADMIN_PASSWORD: 'x'.repeat(16),
      // the bare demo office: its history and generated content are tested on their own
      SHOWROOM_DEMO_HISTORY: '0',
      SHOWROOM_DEMO_CONTENT: '0',
    }),
  ).finally(() => (console.log = quiet))
  const after = await presentedCertificate({ port, servername: 'showroom.test', ca: pebble.issuingRoot })
  assert.ok(after.authorized)
  assert.equal(after.cert.serialNumber, serving.cert.serialNumber)
  assert.equal(issued(), ordersBefore, 'no new order')
})
