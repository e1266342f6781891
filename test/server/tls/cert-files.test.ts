// TLS_CERT_FILE + TLS_KEY_FILE: the office's own certificate, and a renewal of the files presented at the next
// handshake without a restart; a half-written pair keeps the old certificate in service.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile, rename } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { startTestServer } from '../../helpers/browser.ts'
import { freePort, waitUntil } from '../../helpers/runtime.ts'
import { presentedCertificate } from '../../helpers/tls.ts'
import { createRootCa, loadOrCreateRootCa, issueServerCertificate } from '../../../server/tls/local-ca.ts'

let server: Awaited<ReturnType<typeof startTestServer>>
let dir: string
let port: number
let ca: Awaited<ReturnType<typeof loadOrCreateRootCa>>
const names = { dns: ['showroom.example.cn'], ip: ['127.0.0.1'] }
const certFile = () => path.join(dir, 'fullchain.pem')
const keyFile = () => path.join(dir, 'privkey.pem')

// as certbot and cloud agents do: write aside, then rename over the old file
async function install(file: string, text: string) {
  await writeFile(`${file}.new`, text)
  await rename(`${file}.new`, file)
}

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'showroom-certs-'))
  // stands in for the office's provider: any CA will do, the test trusts it explicitly
  const made = await createRootCa()
  const files = new Map([
    ['ca.crt', made.certPem],
    ['ca-key.pem', made.keyPem],
  ])
  ca = await loadOrCreateRootCa({ load: async (n) => files.get(n) ?? null, save: async () => undefined })
  const first = await issueServerCertificate(ca, names)
  await install(certFile(), first.certPem)
  await install(keyFile(), first.keyPem)
  port = await freePort()
  server = await startTestServer({ PORT: String(port), TLS_CERT_FILE: certFile(), TLS_KEY_FILE: keyFile() })
})
after(async () => {
  await server.close()
  await rm(dir, { recursive: true, force: true })
})

test('the server presents the office’s certificate, and the next handshake after a renewal presents the new one', async () => {
  const first = await presentedCertificate({ port, servername: 'showroom.example.cn', ca: ca.certPem })
  assert.ok(first.authorized, first.error)
  assert.equal(server.base.startsWith('https://'), true)

  const renewed = await issueServerCertificate(ca, names)
  await install(keyFile(), renewed.keyPem)
  await install(certFile(), renewed.certPem)
  const next = await presentedCertificate({ port, servername: 'showroom.example.cn', ca: ca.certPem })
  assert.equal(next.cert.serialNumber, renewed.serial.toUpperCase())
  assert.ok(next.authorized)
  // a client that sends no server name (opened by address) gets it too, once the watcher has seen the change
  await waitUntil(
    async () =>
      (await presentedCertificate({ port, ca: ca.certPem })).cert.serialNumber ===
      renewed.serial.toUpperCase(),
    { what: 'the default certificate to follow the files', timeoutMs: 90_000 },
  )
})

test('a certificate whose key has not been written yet: the old pair stays in service, the new one follows', async () => {
  const serving = (await presentedCertificate({ port, servername: 'showroom.example.cn' })).cert.serialNumber
  const renewed = await issueServerCertificate(ca, names)
  await install(certFile(), renewed.certPem)
  const meanwhile = await presentedCertificate({ port, servername: 'showroom.example.cn', ca: ca.certPem })
  assert.equal(meanwhile.cert.serialNumber, serving, 'mismatched pair refused, old certificate still served')
  assert.ok(meanwhile.authorized)
  await install(keyFile(), renewed.keyPem)
  const after = await presentedCertificate({ port, servername: 'showroom.example.cn', ca: ca.certPem })
  assert.equal(after.cert.serialNumber, renewed.serial.toUpperCase())
})
