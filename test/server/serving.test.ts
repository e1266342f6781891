// Serving phones well: compressed responses, fingerprinted asset URLs with immutable caching, and a check-in page
// that loads only what it needs (no htmx).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { brotliCompressSync, brotliDecompressSync } from 'node:zlib'
import { makeTestApp, Client } from '../helpers/app.ts'
import { entranceToken } from '../helpers/visitor.ts'
import { prepareAssetUrls } from '../../server/asset-urls.ts'

test('the check-in page links fingerprinted assets and no htmx; they are served immutable', async () => {
  const t = await makeTestApp()
  await prepareAssetUrls(t.deps.assets)
  const phone = new Client(t.app)
  const html = await (await phone.get(`/checkin?t=${await entranceToken(t)}`)).text()
  const css = /href="(\/assets\/app\.[0-9a-f]{10}\.css)"/.exec(html)?.[1]
  assert.ok(css, 'the stylesheet has a content hash in its name')
  assert.doesNotMatch(html, /src="[^"]*htmx[^"]*\.js"/, 'the check-in form needs no htmx')
  const asset = await phone.get(css!)
  assert.equal(asset.status, 200)
  assert.equal(asset.headers.get('cache-control'), 'public, max-age=31536000, immutable')
  // an outdated hash still gets today's file, but not cached for long
  const stale = await phone.get('/assets/app.0000000000.css')
  assert.equal(stale.status, 200)
  assert.equal(stale.headers.get('cache-control'), 'no-cache')
  assert.equal(await stale.text(), await asset.text())
})

test('pages are gzipped for a client that accepts it; assets are brotli where the runtime offers it', async () => {
  const t = await makeTestApp()
  t.deps.brotli = (bytes) => new Uint8Array(brotliCompressSync(bytes))
  const page = await t.app.request('/login', { headers: { 'accept-encoding': 'gzip, deflate, br' } })
  assert.equal(page.headers.get('content-encoding'), 'gzip')
  const plain = await t.app.request('/login')
  assert.equal(plain.headers.get('content-encoding'), null, 'no encoding the client did not ask for')
  const htmx = await t.app.request('/vendor/htmx.min.js', { headers: { 'accept-encoding': 'gzip, br' } })
  assert.equal(htmx.headers.get('content-encoding'), 'br')
  const body = Buffer.from(await htmx.arrayBuffer())
  const original = await t.deps.assets('vendor/htmx.min.js')
  assert.ok(body.length < original!.length / 3, `${body.length} of ${original!.length} bytes`)
  assert.equal(brotliDecompressSync(body).length, original!.length)
})
