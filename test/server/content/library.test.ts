// Content library routes: uploads judged by their bytes and refused with nothing stored, size caps, dedup by
// SHA-256 (0600), deletion out of every playlist with plays kept, roles, and /media serving.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { eq } from 'drizzle-orm'
import { makeTestApp, Client, type TestApp } from '../../helpers/app.ts'
import { makeTestMedia, type TestMedia } from '../../helpers/media.ts'
import { nodeContentStore } from '../../../server/content/store-node.ts'
import { contentItems, contentPlays, playlistEntries, recordPlay } from '../../../models/content.ts'
import { uploadPath } from '../../../views/content.tsx'
import { auditLog } from '../../../models/audit.ts'

let media: TestMedia
let dir: string
let t: TestApp
let marketing: Client

before(async () => {
  media = await makeTestMedia()
  dir = await mkdtemp(path.join(tmpdir(), 'showroom-content-'))
  t = await makeTestApp({
    content: nodeContentStore(dir),
    config: { contentMaxImageBytes: 100_000, contentMaxVideoBytes: 1_000_000 },
  })
  marketing = new Client(t.app)
  await marketing.login('marketing', t.passwordOf('marketing'))
})
after(async () => {
  await media.cleanup()
  await rm(dir, { recursive: true, force: true })
})

async function upload(client: Client, file: string, fields: Record<string, string> = {}, name?: string) {
  const form = new FormData()
  for (const [k, v] of Object.entries(fields)) form.set(k, v)
  form.set('file', new Blob([await readFile(file)]), name ?? path.basename(file))
  return client.request(`${uploadPath}?_csrf=${client.csrf}&lang=en`, { method: 'POST', body: form })
}

const stored = async () => (await nodeContentStore(dir).list()).sort()
const items = () => t.database.db.select().from(contentItems)

test('refused uploads store nothing: disguised HTML, MP4 header on garbage, MPEG-4 part 2, empty, oversize', async () => {
  const cases: [string, number, RegExp][] = [
    [media.html, 415, /Not a supported file/],
    [media.fakeMp4, 400, /damaged/],
    [media.part2, 400, /H\.264/],
    [media.empty, 400, /empty/],
  ]
  for (const [file, status, message] of cases) {
    const response = await upload(marketing, file)
    assert.equal(response.status, status, file)
    assert.match(await response.text(), message)
  }
  // a PNG over the 100 kB image cap: made by padding after IEND (still a PNG by its first bytes)
  const big = path.join(media.dir, 'big.png')
  const png = await readFile(media.png)
  const { writeFile } = await import('node:fs/promises')
  await writeFile(big, Buffer.concat([png, Buffer.alloc(150_000)]))
  const response = await upload(marketing, big)
  assert.equal(response.status, 413)
  assert.match(await response.text(), /over the size limit/)
  assert.deepEqual(await stored(), [])
  assert.equal((await items()).length, 0)
})

test('an image and an H.264 MP4 are stored once by SHA-256, 0600, with kind, type, version and duration', async () => {
  const first = await upload(marketing, media.png, { name: 'Floor plan' })
  assert.equal(first.status, 200)
  assert.match(await first.text(), /Uploaded: Floor plan \(v1\)/)
  const video = await upload(marketing, media.mp4, { name: 'Project film' })
  assert.equal(video.status, 200)
  // the same bytes again: a second item, one file
  assert.equal((await upload(marketing, media.png, { name: 'Plan copy' })).status, 200)
  const rows = await items()
  assert.deepEqual(
    rows.map((r) => [r.name, r.kind, r.mediaType, r.version, r.durationMs]),
    [
      ['Floor plan', 'image', 'image/png', 1, 10_000],
      ['Project film', 'video', 'video/mp4', 1, 2000],
      ['Plan copy', 'image', 'image/png', 1, 10_000],
    ],
  )
  const files = await stored()
  assert.equal(files.length, 2)
  for (const name of files) assert.equal((await stat(path.join(dir, name))).mode & 0o777, 0o600)
  const served = await marketing.get(`/media/${rows[1]!.sha256}`)
  assert.equal(served.headers.get('content-type'), 'video/mp4')
  assert.equal(served.headers.get('x-content-type-options'), 'nosniff')
  assert.deepEqual(new Uint8Array(await served.arrayBuffer()), new Uint8Array(await readFile(media.mp4)))
  const ranged = await marketing.get(`/media/${rows[1]!.sha256}`, { range: 'bytes=0-99' })
  assert.equal(ranged.status, 206)
  assert.equal((await ranged.arrayBuffer()).byteLength, 100)
  const audit = await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'content.uploaded'))
  assert.equal(audit.length, 3)
})

test('deleting an item takes it out of every playlist and off the disk; its plays keep name and version', async () => {
  const [plan, film, copy] = await items()
  const station = t.seeded.stations.find((s) => s.kind === 'display')!
  for (const [scope, item] of [
    [station.id, film!],
    ['office', film!],
    ['office', plan!],
  ] as const) {
    const r = await marketing.post(`/content/playlists/${scope}/entries`, {
      itemId: item.id,
      weekday: '0',
    })
    assert.equal(r.status, 303)
  }
  const officeId = t.seeded.officeId
  await t.database.write((tx) =>
    recordPlay({
      tx,
      input: {
        id: 'play-event-0001',
        officeId,
        stationId: station.id,
        itemId: film!.id,
        version: 1,
        startedAt: t.clock.now() - 2000,
        endedAt: t.clock.now(),
      },
      now: t.clock.now(),
    }),
  )
  const response = await marketing.post(`/content/items/${film!.id}/delete`)
  assert.equal(response.status, 303)
  const entries = await t.database.db.select().from(playlistEntries)
  assert.deepEqual(
    entries.map((e) => e.itemId),
    [plan!.id],
  )
  assert.deepEqual(await stored(), [plan!.sha256].sort())
  assert.equal((await marketing.get(`/media/${film!.sha256}`)).status, 404)
  const [play] = await t.database.db.select().from(contentPlays)
  assert.equal(play?.itemName, 'Project film')
  assert.equal(play?.itemVersion, 1)
  // the copy shares the plan's file: deleting it keeps the file for the plan
  await marketing.post(`/content/items/${copy!.id}/delete`)
  assert.deepEqual(await stored(), [plan!.sha256])
})

test('only content:manage (marketing, admin) reaches the library; a sales account is refused and nothing is stored', async () => {
  const sales = new Client(t.app)
  await sales.login('sales', t.passwordOf('sales'))
  const before = await stored()
  const response = await upload(sales, media.png)
  assert.equal(response.status, 403)
  assert.equal((await sales.get('/content')).status, 403)
  assert.deepEqual(await stored(), before)
  const anonymous = new Client(t.app)
  await anonymous.get('/login')
  assert.equal((await upload(anonymous, media.png)).status, 303)
  // a forged upload without the CSRF token
  const form = new FormData()
  form.set('file', new Blob([await readFile(media.png)]), 'x.png')
  const forged = await marketing.request(uploadPath, { method: 'POST', body: form })
  assert.equal(forged.status, 403)
  assert.deepEqual(await stored(), before)
})

test('replacing an item’s file raises its version and frees the old file; an unknown item to replace stores nothing', async () => {
  const [plan] = (await items()).filter((i) => i.deletedAt === null)
  const response = await upload(marketing, media.png2, { replaces: plan!.id })
  assert.equal(response.status, 200)
  assert.match(await response.text(), /Uploaded: Floor plan \(v2\)/)
  const [after] = (await items()).filter((i) => i.id === plan!.id)
  assert.equal(after?.version, 2)
  assert.notEqual(after?.sha256, plan!.sha256)
  assert.deepEqual(await stored(), [after!.sha256])
  // an unknown item to replace: refused, and the new file does not linger
  const refused = await upload(marketing, media.mp4, { replaces: 'no-such-item' })
  assert.equal(refused.status, 400)
  assert.deepEqual(await stored(), [after!.sha256])
})
