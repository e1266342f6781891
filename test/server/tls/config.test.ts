// TLS settings: the three ways, and clear refusals of what cannot work.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { tlsConfigFromEnv, TlsConfigError, letsEncryptProduction } from '../../../server/tls/config.ts'
import { configFromEnv } from '../../../server/config.ts'

test('unset: plain http, no HTTP port', () => {
  const tls = tlsConfigFromEnv({})
  assert.equal(tls.mode, 'off')
  assert.equal(tls.httpPort, undefined)
  assert.equal(configFromEnv({}).secureCookies, false)
})

test('TLS=local: names from PUBLIC_URL and TLS_HOSTNAMES; cookies become Secure', () => {
  const env = { TLS: 'local', PUBLIC_URL: 'https://showroom.test:8443', TLS_HOSTNAMES: 'a.lan, 10.0.0.2 ,' }
  const tls = tlsConfigFromEnv(env)
  assert.equal(tls.mode, 'local')
  assert.equal(tls.publicHost, 'showroom.test')
  assert.equal(tls.publicOrigin, 'https://showroom.test:8443')
  assert.deepEqual(tls.extraHostnames, ['a.lan', '10.0.0.2'])
  assert.equal(configFromEnv({ TLS: 'local' }).secureCookies, true)
})

test('TLS_CERT_FILE + TLS_KEY_FILE: the office’s files; both or neither', () => {
  assert.equal(tlsConfigFromEnv({ TLS_CERT_FILE: '/c.pem', TLS_KEY_FILE: '/k.pem' }).mode, 'files')
  assert.throws(() => tlsConfigFromEnv({ TLS_CERT_FILE: '/c.pem' }), /set both or neither/)
  assert.throws(
    () => tlsConfigFromEnv({ TLS: 'local', TLS_CERT_FILE: '/c.pem', TLS_KEY_FILE: '/k.pem' }),
    /makes its own certificate/,
  )
})

test('TLS=acme: Let’s Encrypt by default, HTTP port 80, email required', () => {
  const tls = tlsConfigFromEnv({
    TLS: 'acme',
    PUBLIC_URL: 'https://showroom.example.cn',
    ACME_EMAIL: 'it@example.cn',
  })
  assert.equal(tls.acmeDirectoryUrl, letsEncryptProduction)
  assert.equal(tls.httpPort, 80)
  assert.throws(
    () => tlsConfigFromEnv({ TLS: 'acme', PUBLIC_URL: 'https://showroom.example.cn' }),
    /ACME_EMAIL/,
  )
  assert.throws(() => tlsConfigFromEnv({ TLS: 'acme', ACME_EMAIL: 'it@example.cn' }), /needs PUBLIC_URL/)
})

test('TLS=acme refuses an IP address or localhost, saying what to do instead', () => {
  for (const url of [
    'https://192.168.1.5',
    'https://localhost:8443',
    'https://[::1]:8443',
    'https://screen.localhost',
  ]) {
    assert.throws(
      () => tlsConfigFromEnv({ TLS: 'acme', PUBLIC_URL: url, ACME_EMAIL: 'it@example.cn' }),
      (error: Error) =>
        error instanceof TlsConfigError &&
        /cannot get a certificate/.test(error.message) &&
        /TLS=local/.test(error.message),
      url,
    )
  }
})

test('bad values are refused with the setting named', () => {
  assert.throws(() => tlsConfigFromEnv({ TLS: 'yes' }), /TLS must be/)
  assert.throws(() => tlsConfigFromEnv({ TLS: 'local', HTTP_PORT: 'eighty' }), /HTTP_PORT must be a port/)
  assert.throws(() => tlsConfigFromEnv({ PUBLIC_URL: 'showroom' }), /PUBLIC_URL must be a URL/)
  assert.throws(
    () => tlsConfigFromEnv({ TLS: 'local', PUBLIC_URL: 'http://showroom.test' }),
    /must start with https/,
  )
})
