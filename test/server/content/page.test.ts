// Web pages as content: an HTML file judged by its bytes (and its name must agree), stored like the others, and
// served only sandboxed (its own CSP for that response; the site-wide CSP of every other response unchanged).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { makeTestApp, Client, type TestApp } from '../../helpers/app.ts'
import { makeTestMedia, type TestMedia } from '../../helpers/media.ts'
import { nodeContentStore } from '../../../server/content/store-node.ts'
import { manifestFor } from '../../../server/content/manifest.ts'
import { pageContentSecurityPolicy, readPageText } from '../../../server/content/page.ts'
import { contentItems } from '../../../models/content.ts'
import { uploadPath } from '../../../views/content.tsx'

// the site-wide policy, written out: this feature must not change it for any other response
const siteCsp =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; " +
  "media-src 'self' blob:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; " +
  "form-action 'self'; frame-ancestors 'none'"

const pageHtml = `\uFEFF<!-- saved from the office site -->
<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>价格政策 &amp; offers</title>
<style>body{background:#f4efe6;font:48px sans-serif}</style></head>
<body><h1>价格政策</h1><p>首付 20%</p><script>document.body.dataset.ran = 'yes'</script></body></html>
`

let media: TestMedia
let dir: string
let files: string
let t: TestApp
let marketing: Client
const file = (name: string) => path.join(files, name)

before(async () => {
  media = await makeTestMedia()
  dir = await mkdtemp(path.join(tmpdir(), 'showroom-content-'))
  files = await mkdtemp(path.join(tmpdir(), 'showroom-pages-'))
  t = await makeTestApp({
    content: nodeContentStore(dir),
    config: { contentMaxImageBytes: 100_000, contentMaxVideoBytes: 1_000_000, contentMaxPageBytes: 20_000 },
  })
  marketing = new Client(t.app)
  await marketing.login('marketing', t.passwordOf('marketing'))
  await writeFile(file('price.html'), pageHtml)
  await writeFile(file('price-copy.HTM'), pageHtml)
  await writeFile(file('price.png'), pageHtml)
  await writeFile(file('plan.html'), await readFile(media.png))
  await writeFile(file('latin1.html'), Buffer.from('<!doctype html><p>prix \xe9t\xe9</p>', 'latin1'))
  // NUL past the first bytes (text at first, binary later), and NUL at once (not text at all)
  const text = Buffer.from(`<html><body>${'x'.repeat(6000)}`)
  await writeFile(file('nul.html'), Buffer.concat([text, Buffer.alloc(100), text]))
  await writeFile(file('binary.html'), Buffer.concat([Buffer.from('<html><body>'), Buffer.alloc(100)]))
  await writeFile(file('notes.html'), 'just some words, no document\n')
  await writeFile(file('big.html'), `<!doctype html><p>${'x'.repeat(30_000)}</p>`)
})
after(async () => {
  await media.cleanup()
  await rm(dir, { recursive: true, force: true })
  await rm(files, { recursive: true, force: true })
})

async function upload(client: Client, path_: string, fields: Record<string, string> = {}) {
  const form = new FormData()
  for (const [k, v] of Object.entries(fields)) form.set(k, v)
  form.set('file', new Blob([await readFile(path_)]), path.basename(path_))
  return client.request(`${uploadPath}?_csrf=${client.csrf}&lang=en`, { method: 'POST', body: form })
}
const stored = async () => (await nodeContentStore(dir).list()).sort()
const items = () => t.database.db.select().from(contentItems)

test('pages whose bytes or name do not agree, that are not UTF-8 text, or over the page cap store nothing', async () => {
  const cases: [string, number, RegExp][] = [
    // HTML renamed .png: still refused as before (the existing disguised-file case), now by its name
    [file('price.png'), 415, /Not a supported file/],
    // the reverse: a PNG renamed .html is refused, not taken for the image it is
    [file('plan.html'), 415, /must be named \.html or \.htm, and nothing else may be/],
    [file('latin1.html'), 400, /must be UTF-8 text/],
    [file('nul.html'), 400, /must be UTF-8 text/],
    [file('binary.html'), 415, /Not a supported file/],
    [file('notes.html'), 415, /Not a supported file/],
    [file('big.html'), 413, /over the size limit/],
  ]
  for (const [f, status, message] of cases) {
    const response = await upload(marketing, f)
    assert.equal(response.status, status, f)
    assert.match(await response.text(), message, f)
  }
  assert.deepEqual(await stored(), [])
  assert.equal((await items()).length, 0)
})

test('a page is stored once by SHA-256 (0600) as kind page, named by its title, 15 s by default', async () => {
  const first = await upload(marketing, file('price.html'))
  assert.equal(first.status, 200)
  assert.match(await first.text(), /Uploaded: 价格政策 &amp; offers \(v1\)/)
  assert.equal(
    (await upload(marketing, file('price-copy.HTM'), { name: 'Copy', durationS: '20' })).status,
    200,
  )
  const rows = await items()
  assert.deepEqual(
    rows.map((r) => [r.name, r.kind, r.mediaType, r.version, r.durationMs]),
    [
      ['价格政策 & offers', 'page', 'text/html', 1, 15_000],
      ['Copy', 'page', 'text/html', 1, 20_000],
    ],
  )
  const onDisk = await stored()
  assert.deepEqual(onDisk, [rows[0]!.sha256])
  assert.equal((await stat(path.join(dir, onDisk[0]!))).mode & 0o777, 0o600)
  // the library previews it in a sandboxed frame of its own URL
  const library = await (await marketing.get('/content?lang=en')).text()
  assert.match(library, new RegExp(`<iframe src="/display/page/${rows[0]!.sha256}" sandbox=""`))
  assert.match(library, /Web page/)
})

test('a page is served only sandboxed, from /display/page/, with its own CSP; every other response keeps the site CSP', async () => {
  const [page] = await items()
  const anonymous = new Client(t.app)
  const served = await anonymous.get(`/display/page/${page!.sha256}`)
  assert.equal(served.status, 200)
  assert.equal(served.headers.get('content-type'), 'text/html; charset=utf-8')
  assert.equal(served.headers.get('x-content-type-options'), 'nosniff')
  const csp = served.headers.get('content-security-policy')!
  assert.equal(csp, pageContentSecurityPolicy)
  assert.match(csp, /^sandbox;/)
  assert.doesNotMatch(csp, /allow-scripts|allow-same-origin/)
  for (const directive of [
    "default-src 'none'",
    "img-src 'self' data:",
    "style-src 'self' 'unsafe-inline'",
    "font-src 'self' data:",
    "media-src 'self'",
    "frame-ancestors 'self'",
  ]) {
    assert.ok(csp.split('; ').includes(directive), directive)
  }
  assert.equal(served.headers.get('x-frame-options'), 'SAMEORIGIN')
  // byte for byte as uploaded (BOM included; no demo mark or anything else added)
  assert.deepEqual(new Uint8Array(await served.arrayBuffer()), new Uint8Array(Buffer.from(pageHtml)))
  // never as /media (which has no sandbox): that URL does not serve a page
  assert.equal((await anonymous.get(`/media/${page!.sha256}`)).status, 404)
  // an unknown page is a 404 under the same sandboxing policy
  const unknown = await anonymous.get(`/display/page/${'0'.repeat(64)}`)
  assert.equal(unknown.status, 404)
  assert.equal(unknown.headers.get('content-security-policy'), pageContentSecurityPolicy)
  // the site-wide CSP of every other response is exactly what it was
  const station = t.seeded.stations.find((s) => s.kind === 'display')!
  for (const url of [
    '/login',
    '/content',
    `/display/${station.id}`,
    '/display/page',
    `/media/${'0'.repeat(64)}`,
  ]) {
    const r = await marketing.get(url)
    assert.equal(r.headers.get('content-security-policy'), siteCsp, url)
  }
})

test('a display’s manifest gives a page by its /display/page/ URL; deleting the item stops serving it', async () => {
  const [page, copy] = await items()
  const station = t.seeded.stations.find((s) => s.kind === 'display')!
  const added = await marketing.post(`/content/playlists/${station.id}/entries`, {
    itemId: page!.id,
    weekday: '0',
  })
  assert.equal(added.status, 303)
  const manifest = await manifestFor(t.database.db, { id: station.id, officeId: t.seeded.officeId })
  assert.deepEqual(
    manifest.entries.map((e) => [e.kind, e.url, e.durationMs]),
    [['page', `/display/page/${page!.sha256}`, 15_000]],
  )
  const preview = await (await marketing.get(`/content/playlists/${station.id}?lang=en`)).text()
  assert.match(preview, new RegExp(`/display/page/${page!.sha256}`))
  await marketing.post(`/content/items/${page!.id}/delete`)
  // the copy shares the file: still served
  assert.equal((await marketing.get(`/display/page/${page!.sha256}`)).status, 200)
  await marketing.post(`/content/items/${copy!.id}/delete`)
  assert.equal((await marketing.get(`/display/page/${page!.sha256}`)).status, 404)
  assert.deepEqual(await stored(), [])
})

const outside = `<!doctype html><html><head><link rel="stylesheet" href="https://cdn.example/site.css">
<style>.hero{background:url('https://cdn.example/hero.jpg')}.x{background:url(data:image/png;base64,AAAA)}</style>
</head><body><img src="https://cdn.example/a.png"><img alt="" src='data:image/gif;base64,R0l'>
<img srcset="/media/abc 2x"><a href="https://example.com/">site</a><script src="app.js"></script></body></html>
`

test('a page that shows things by URL is stored, and the uploader is told they will not show on the screens', async () => {
  await writeFile(file('outside.html'), outside)
  const response = await upload(marketing, file('outside.html'), { name: 'Outside' })
  assert.equal(response.status, 200)
  // the stylesheet, the CSS background, the remote image and the srcset; not data:, the link or the script
  assert.match(await response.text(), /Uploaded: Outside \(v1\) Note: this page loads 4 images, styles/)
  const clean = await upload(marketing, file('price.html'), { name: 'Clean' })
  assert.doesNotMatch(await clean.text(), /Note: this page loads/)
})

test('reading a page in pieces: a tag cut by a piece boundary is counted once; bad UTF-8 or NUL anywhere refuses', async () => {
  const bytesOf = (text: string | Uint8Array) =>
    typeof text === 'string' ? new TextEncoder().encode(text) : text
  const source = (content: string | Uint8Array) => {
    const bytes = bytesOf(content)
    return {
      bytes: bytes.length,
      read: async (offset: number, length: number) => bytes.subarray(offset, offset + length),
    }
  }
  const piece = 64 * 1024
  for (const shift of [-30, -12, -1, 0, 1, 7]) {
    const before = `<!doctype html><p>${'中'.repeat(1000)}</p>`
    const filler = 'x'.repeat(piece + shift - bytesOf(before).length - 10)
    const page = `${before}<p>${filler}</p><img src="https://cdn.example/cut.png"><p>${'y'.repeat(70_000)}</p>`
    assert.deepEqual(await readPageText(source(page)), { outsideReferences: 1 }, `shift ${shift}`)
  }
  const text = bytesOf(`<!doctype html><p>${'中'.repeat(30_000)}</p>`)
  const cutChar = new Uint8Array([...text.subarray(0, text.length - 10), 0xe4, 0xb8])
  assert.equal(await readPageText(source(cutChar)), null)
  const nul = new Uint8Array(text)
  nul[80_000] = 0
  assert.equal(await readPageText(source(nul)), null)
})
