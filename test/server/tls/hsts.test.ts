// HSTS only on HTTPS: a plain-http server must not tell browsers to insist on https for its name.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { makeTestApp } from '../../helpers/app.ts'
import { tlsConfigFromEnv } from '../../../server/tls/config.ts'

test('plain http: no Strict-Transport-Security header', async () => {
  const { app } = await makeTestApp({ demo: false })
  const response = await app.request('http://showroom.test/healthz')
  assert.equal(response.status, 200)
  assert.equal(response.headers.get('strict-transport-security'), null)
})

test('served over HTTPS: Strict-Transport-Security for a name, not for localhost or an address', async () => {
  const tls = tlsConfigFromEnv({ TLS: 'local', PUBLIC_URL: 'https://showroom.test' })
  const { app } = await makeTestApp({ demo: false, config: { tls, secureCookies: true } })
  const named = await app.request('https://showroom.test/healthz')
  assert.match(named.headers.get('strict-transport-security') ?? '', /^max-age=\d+$/)
  for (const host of ['localhost:8443', '127.0.0.1:8443', '[::1]:8443']) {
    const response = await app.request(`https://${host}/healthz`)
    assert.equal(response.headers.get('strict-transport-security'), null, host)
  }
})
