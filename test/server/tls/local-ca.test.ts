// The local CA: a 10-year root whose key stays private, short-lived server certificates for every name a screen may use.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { X509Certificate, createPrivateKey, createHash } from 'node:crypto'
import {
  loadOrCreateRootCa,
  issueServerCertificate,
  sha256Fingerprint,
  rootKeyFile,
  rootCertFile,
  serverLifetimeMs,
  type TextFileStore,
} from '../../../server/tls/local-ca.ts'
import { certificateNames } from '../../../server/tls/names.ts'

const day = 24 * 3600_000

function memoryStore() {
  const files = new Map<string, string>()
  const store: TextFileStore = {
    load: async (name) => files.get(name) ?? null,
    save: async (name, text) => void files.set(name, text),
  }
  return { files, store }
}

test('the root is made once, lives 10 years, is a CA limited to signing server certificates', async () => {
  const { files, store } = memoryStore()
  const now = Date.parse('2026-11-30T00:00:00Z')
  const ca = await loadOrCreateRootCa(store, { now })
  assert.equal(ca.created, true)
  const root = new X509Certificate(files.get(rootCertFile)!)
  assert.equal(root.ca, true)
  assert.ok(root.verify(root.publicKey), 'self-signed')
  const years = (Date.parse(root.validTo) - now) / (365 * day)
  assert.ok(years > 9.9 && years < 10.1, `10-year root: ${years}`)
  assert.equal(createPrivateKey(files.get(rootKeyFile)!).asymmetricKeyType, 'ec')
  const again = await loadOrCreateRootCa(store)
  assert.equal(again.created, false)
  assert.equal(again.certPem, ca.certPem, 'the second start keeps the same root')
})

test('a server certificate covers the public host, localhost, loopback, interfaces and TLS_HOSTNAMES', async () => {
  const { store } = memoryStore()
  const ca = await loadOrCreateRootCa(store)
  const names = certificateNames({
    publicHost: 'showroom.test',
    extraHostnames: ['kiosk.lan', '10.9.8.7'],
    interfaces: {
      lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }],
      eth0: [
        { address: '192.168.1.20', family: 'IPv4', internal: false },
        { address: 'fe80::1', family: 'IPv6', internal: false },
      ],
    },
  })
  const now = Date.now()
  const issued = await issueServerCertificate(ca, names, { now })
  const cert = new X509Certificate(issued.certPem)
  const root = new X509Certificate(ca.certPem)
  assert.ok(cert.checkIssued(root) && cert.verify(root.publicKey), 'signed by the root')
  assert.equal(cert.ca, false)
  for (const host of ['showroom.test', 'localhost', 'kiosk.lan']) assert.equal(cert.checkHost(host), host)
  for (const ip of ['127.0.0.1', '192.168.1.20', '10.9.8.7', '::1']) assert.equal(cert.checkIP(ip), ip)
  assert.equal(cert.checkHost('other.test'), undefined)
  assert.ok(!cert.subjectAltName?.includes('fe80'), 'no link-local address')
  assert.equal(cert.keyUsage?.[0], '1.3.6.1.5.5.7.3.1', 'serverAuth')
  const lifetime = Date.parse(cert.validTo) - now
  assert.ok(lifetime <= serverLifetimeMs && lifetime > serverLifetimeMs - day, 'short-lived')
  assert.ok(Date.parse(cert.validFrom) < now, 'backdated for screens whose clock is behind')
  // the key matches the certificate
  assert.ok(cert.checkPrivateKey(createPrivateKey(issued.keyPem)))
})

test('the fingerprint is the SHA-256 of the DER, as browsers show it', async () => {
  const { store } = memoryStore()
  const ca = await loadOrCreateRootCa(store)
  const expected = createHash('sha256').update(new X509Certificate(ca.certPem).raw).digest('hex')
  const shown = await sha256Fingerprint(ca.certPem)
  assert.equal(shown.replaceAll(':', '').toLowerCase(), expected)
  assert.equal(shown, new X509Certificate(ca.certPem).fingerprint256)
})
