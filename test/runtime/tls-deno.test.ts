// The local CA (server/tls/local-ca.ts) is WebCrypto and @peculiar/x509 only: under Deno it makes a root and a server
// certificate that Node's X.509 code accepts.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { X509Certificate, createPrivateKey } from 'node:crypto'
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { denoBinary } from '../helpers/runtime.ts'

const script = `
import { createRootCa, loadOrCreateRootCa, issueServerCertificate, sha256Fingerprint } from './server/tls/local-ca.ts'
const made = await createRootCa()
const files = new Map([['ca.crt', made.certPem], ['ca-key.pem', made.keyPem]])
const ca = await loadOrCreateRootCa({ load: async (n) => files.get(n) ?? null, save: async () => {} })
const leaf = await issueServerCertificate(ca, { dns: ['showroom.test'], ip: ['127.0.0.1'] })
console.log(JSON.stringify({ root: ca.certPem, leaf: leaf.certPem, key: leaf.keyPem, fingerprint: await sha256Fingerprint(ca.certPem) }))
`

test('under Deno: the local CA issues a server certificate Node verifies', async () => {
  const { stdout } = await promisify(execFile)(denoBinary(), ['eval', script], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DENO_NO_UPDATE_CHECK: '1' },
    maxBuffer: 1 << 20,
  })
  const made = JSON.parse(stdout) as { root: string; leaf: string; key: string; fingerprint: string }
  const root = new X509Certificate(made.root)
  const leaf = new X509Certificate(made.leaf)
  assert.ok(root.ca && leaf.checkIssued(root) && leaf.verify(root.publicKey))
  assert.equal(leaf.checkHost('showroom.test'), 'showroom.test')
  assert.equal(leaf.checkIP('127.0.0.1'), '127.0.0.1')
  assert.ok(leaf.checkPrivateKey(createPrivateKey(made.key)))
  assert.equal(made.fingerprint, root.fingerprint256)
})

test('under Deno: a TLS setting is refused at start instead of serving plain HTTP with Secure cookies', async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'showroom-deno-tls-'))
  try {
    const failed = await promisify(execFile)(
      denoBinary(),
      [
        'run',
        '--allow-net=127.0.0.1',
        '--allow-read',
        '--allow-write',
        '--allow-env',
        '--allow-ffi',
        '--allow-sys',
        'server/deno.ts',
      ],
      {
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          DENO_NO_UPDATE_CHECK: '1',
          HOST: '127.0.0.1',
          PORT: '0',
          DATA_DIR: dataDir,
          TLS: 'local',
        },
      },
    ).then(
      () => null,
      (error: { code: number; stdout: string; stderr: string }) => error,
    )
    assert.ok(failed, 'deno must not start')
    assert.notEqual(failed.code, 0)
    // start failures are one JSON log line (server/log.ts), with the reason in it
    assert.match(failed.stdout + failed.stderr, /TLS is served by the Node adapter/)
  } finally {
    await rm(dataDir, { recursive: true, force: true })
  }
})
