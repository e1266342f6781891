// `npm start` with a TLS setting that cannot work stops at once with a sentence saying what to change, not a stack.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { startChild } from '../../helpers/runtime.ts'

async function startWith(env: Record<string, string>) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'showroom-refusal-'))
  try {
    const child = startChild(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: dataDir,
      ...env,
    })
    const code = await child.exited
    return { code, output: child.output.join('\n') }
  } finally {
    await rm(dataDir, { recursive: true, force: true })
  }
}

test('TLS=acme for an IP address: refused at start, pointing to TLS=local', async () => {
  const { code, output } = await startWith({
    TLS: 'acme',
    PUBLIC_URL: 'https://192.168.1.5:8443',
    ACME_EMAIL: 'it@example.cn',
  })
  assert.equal(code, 1)
  assert.match(output, /^Showroom cannot start: TLS=acme cannot get a certificate for 192\.168\.1\.5/m)
  assert.match(output, /TLS=local/)
  assert.doesNotMatch(output, /\n\s+at /, 'no stack trace')
})

test('certificate files that do not exist: refused at start, naming them', async () => {
  const { code, output } = await startWith({
    TLS_CERT_FILE: '/nonexistent/cert.pem',
    TLS_KEY_FILE: '/nonexistent/key.pem',
  })
  assert.equal(code, 1)
  assert.match(output, /Showroom cannot start: .*\/nonexistent\/cert\.pem/)
})
