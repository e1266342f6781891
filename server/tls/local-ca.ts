// The office's own certificate authority: a 10-year root kept in the data directory that issues the server short-lived
// certificates. WebCrypto and @peculiar/x509 only (no node:*), so the Deno adapter can use it as it is.
import * as x509 from '@peculiar/x509'

x509.cryptoProvider.set(globalThis.crypto)

const keyAlgorithm = { name: 'ECDSA', namedCurve: 'P-256' } as const
const signingAlgorithm = { name: 'ECDSA', hash: 'SHA-256' } as const
const day = 24 * 3600_000
export const rootLifetimeMs = 3650 * day
// short-lived: a leaked server key is worth little, and renewal is exercised every week rather than once a year
export const serverLifetimeMs = 7 * day
// screens whose clock runs a little behind still accept a certificate issued just now
const backdateMs = 3600_000

// where the root's two files live (the data directory on Node, the same files under Deno)
export type TextFileStore = {
  load: (name: string) => Promise<string | null>
  // writes a new file with mode 0600; `private` files must never be readable by others
  save: (name: string, text: string) => Promise<void>
}
export const rootCertFile = 'ca.crt'
export const rootKeyFile = 'ca-key.pem'

export type RootCa = { certPem: string; cert: x509.X509Certificate; key: CryptoKey; created: boolean }
export type IssuedCertificate = {
  certPem: string
  keyPem: string
  notBefore: Date
  notAfter: Date
  serial: string
}

const pem = (der: ArrayBuffer, tag: string) => x509.PemConverter.encode(der, tag)

async function exportPrivateKey(key: CryptoKey): Promise<string> {
  return pem(await crypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY')
}

function randomLabel(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(4)), (b) => b.toString(16).padStart(2, '0')).join(
    '',
  )
}

export async function createRootCa({ now = Date.now(), label = randomLabel() } = {}) {
  const keys = (await crypto.subtle.generateKey(keyAlgorithm, true, ['sign', 'verify'])) as CryptoKeyPair
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=Showroom local CA ${label}, O=Showroom`,
    notBefore: new Date(now - backdateMs),
    notAfter: new Date(now + rootLifetimeMs),
    keys,
    signingAlgorithm,
    extensions: [
      // a root that signs server certificates only, never another CA
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  })
  return { certPem: cert.toString('pem'), keyPem: await exportPrivateKey(keys.privateKey) }
}

// the root from the store, made on first use; the key file is written before the certificate, so a crash in between
// leaves no certificate without its key
export async function loadOrCreateRootCa(store: TextFileStore, { now = Date.now() } = {}): Promise<RootCa> {
  let certPem = await store.load(rootCertFile)
  let keyPem = await store.load(rootKeyFile)
  let created = false
  if (!certPem || !keyPem) {
    const made = await createRootCa({ now })
    await store.save(rootKeyFile, made.keyPem)
    await store.save(rootCertFile, made.certPem)
    ;({ certPem, keyPem } = made)
    created = true
  }
  const key = await crypto.subtle.importKey(
    'pkcs8',
    x509.PemConverter.decodeFirst(keyPem),
    keyAlgorithm,
    false,
    ['sign'],
  )
  return { certPem, cert: new x509.X509Certificate(certPem), key, created }
}

export type ServerNames = { dns: string[]; ip: string[] }

export async function issueServerCertificate(
  ca: RootCa,
  names: ServerNames,
  { now = Date.now(), lifetimeMs = serverLifetimeMs } = {},
): Promise<IssuedCertificate> {
  const keys = (await crypto.subtle.generateKey(keyAlgorithm, true, ['sign', 'verify'])) as CryptoKeyPair
  const notBefore = new Date(now - backdateMs)
  const notAfter = new Date(Math.min(now + lifetimeMs, ca.cert.notAfter.getTime()))
  const cert = await x509.X509CertificateGenerator.create({
    subject: `CN=${names.dns[0] ?? names.ip[0] ?? 'showroom'}`,
    issuer: ca.cert.subject,
    notBefore,
    notAfter,
    publicKey: keys.publicKey,
    signingKey: ca.key,
    signingAlgorithm,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...names.dns.map((value) => ({ type: 'dns' as const, value })),
        ...names.ip.map((value) => ({ type: 'ip' as const, value })),
      ]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
    ],
  })
  return {
    certPem: cert.toString('pem'),
    keyPem: await exportPrivateKey(keys.privateKey),
    notBefore,
    notAfter,
    serial: cert.serialNumber,
  }
}

// "AB:12:…" as browsers and `openssl x509 -fingerprint -sha256` show it, for comparing on a screen
export async function sha256Fingerprint(certPem: string): Promise<string> {
  const der = x509.PemConverter.decodeFirst(certPem)
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', der))
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':')
}
