// Public routes: health, readiness, JWKS, and the asset routes (no traversal, no CDN).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { makeTestApp, Client } from '../helpers/app.ts'

test('healthz and readyz answer once migrations are applied', async () => {
  const { app } = await makeTestApp()
  const health = await app.request('/healthz')
  assert.equal(health.status, 200)
  assert.deepEqual(await health.json(), { ok: true })
  const ready = await app.request('/readyz')
  assert.equal(ready.status, 200)
  assert.equal((await ready.json()).migrations, 'current')
})

test('readyz reports a database that is not migrated', async () => {
  const { app, database } = await makeTestApp()
  await database.client.execute('DROP TABLE __drizzle_migrations')
  const ready = await app.request('/readyz')
  assert.equal(ready.status, 503)
  assert.equal((await ready.json()).migrations, 'pending')
})

test('jwks publishes the public signing key only', async () => {
  const { app, keys } = await makeTestApp()
  const body = await (await app.request('/.well-known/jwks.json')).json()
  assert.equal(body.keys.length, 1)
  assert.equal(body.keys[0].kid, keys.kid)
  assert.equal(body.keys[0].alg, 'ES256')
  assert.equal(body.keys[0].d, undefined, 'private part must never be published')
})

test('htmx is served by the app itself, pinned to 2.x', async () => {
  const { app } = await makeTestApp()
  const res = await app.request('/vendor/htmx.min.js')
  assert.equal(res.status, 200)
  assert.match(res.headers.get('content-type')!, /javascript/)
  assert.match(await res.text(), /2\.0\.\d/)
  assert.equal((await app.request('/vendor/htmx-ext-ws.js')).status, 200)
})

test('asset routes refuse path traversal and unknown files', async () => {
  const { app } = await makeTestApp()
  for (const path of [
    '/vendor/../package.json',
    '/vendor/%2e%2e/package.json',
    '/assets/..%2f..%2fpackage.json',
    '/vendor/mediapipe/wasm/../../../../etc/passwd',
    '/assets/nope.css',
    '/models/%2fetc%2fpasswd',
  ]) {
    const res = await app.request(path)
    assert.equal(res.status, 404, path)
    assert.doesNotMatch(await res.text(), /"name": "showroom"|root:x:/)
  }
})

test('pages carry a CSP that allows no inline script and no third-party origin', async () => {
  const { app } = await makeTestApp()
  const client = new Client(app)
  const res = await client.get('/login')
  const csp = res.headers.get('content-security-policy')!
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/)
  assert.doesNotMatch(csp, /unsafe-inline|https?:/)
  assert.equal(res.headers.get('x-frame-options'), 'SAMEORIGIN')
  const html = await res.text()
  assert.doesNotMatch(html, /<script>(?!<\/script>)/, 'no inline script')
  assert.doesNotMatch(html, /src="https?:/, 'nothing from another origin')
})

test('unknown pages get a readable 404 in the asked language', async () => {
  const { app } = await makeTestApp()
  const res = await app.request('/no-such-page', { headers: { 'accept-language': 'en-US,en' } })
  assert.equal(res.status, 404)
  assert.match(await res.text(), /There is no such page/)
  const zh = await app.request('/no-such-page?lang=zh-CN')
  assert.match(await zh.text(), /页面不存在/)
})
