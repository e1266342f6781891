// Browser: marketing uploads an image and an MP4 through the page; disguised and oversize files are refused with
// nothing stored; a paired display (fake camera) plays them in order for their durations; a deleted item leaves
// the screen before its time is up and its plays stay in the report.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { readFile, readdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Browser } from 'playwright-core'
import { asc } from 'drizzle-orm'
import { startTestServer, launchBrowser } from '../helpers/browser.ts'
import { buildFakeCamera } from '../helpers/fake-camera.ts'
import {
  makeTestMedia,
  addToPlaylist,
  openContentAsMarketing,
  uploadThroughPage,
  type TestMedia,
} from '../helpers/media.ts'
import { pairScreen, waitForStation } from '../helpers/station-page.ts'
import { waitUntil } from '../helpers/runtime.ts'
import { contentItems, contentPlays } from '../../models/content.ts'

let server: Awaited<ReturnType<typeof startTestServer>>
let camera: Awaited<ReturnType<typeof buildFakeCamera>>
let browser: Browser
let media: TestMedia
const itemSeconds = 4

before(async () => {
  media = await makeTestMedia()
  camera = await buildFakeCamera()
  server = await startTestServer({ CONTENT_MAX_IMAGE_BYTES: '100000', CONTENT_MAX_VIDEO_BYTES: '3000000' })
  browser = await launchBrowser(camera.chromiumArgs)
})
after(async () => {
  await browser?.close()
  await server?.close()
  await camera?.cleanup()
  await media?.cleanup()
})

const storedFiles = async () => {
  const dir = path.join(server.dataDir, 'content')
  const names = await readdir(dir)
  return [...names.filter((n) => n !== 'incoming'), ...(await readdir(path.join(dir, 'incoming')))]
}
const plays = () => server.database.db.select().from(contentPlays).orderBy(asc(contentPlays.startedAt))

test('upload through the page, refusals store nothing, the display plays in order, a deletion drops at once', async () => {
  const context = await browser.newContext({ locale: 'en-US' })
  const page = await context.newPage()
  await openContentAsMarketing(page, server)

  assert.match(
    await uploadThroughPage(page, server.base, media.png, { name: 'Plan', durationS: String(itemSeconds) }),
    /Uploaded: Plan/,
  )
  assert.match(
    await uploadThroughPage(page, server.base, media.mp4, { name: 'Film', durationS: String(itemSeconds) }),
    /Uploaded: Film/,
  )
  assert.match(await uploadThroughPage(page, server.base, media.html), /Not a supported file/)
  assert.match(await uploadThroughPage(page, server.base, media.fakeMp4), /damaged/)
  const big = path.join(media.dir, 'big.png')
  await writeFile(big, Buffer.concat([await readFile(media.png), Buffer.alloc(150_000)]))
  assert.match(await uploadThroughPage(page, server.base, big), /over the size limit/)
  const items = await server.database.db.select().from(contentItems).orderBy(asc(contentItems.createdAt))
  assert.deepEqual(
    items.map((i) => i.name),
    ['Plan', 'Film'],
  )
  assert.deepEqual((await storedFiles()).sort(), items.map((i) => i.sha256).sort(), 'only the two good files')
  const [plan, film] = items as [(typeof items)[0], (typeof items)[0]]
  // thumbnails: the image is shown from /media
  assert.equal(await page.locator(`tr[data-item="${plan.id}"] img.thumb`).count(), 1)

  const display = server.seeded!.stations.find((s) => s.kind === 'display')!
  for (const item of [plan, film]) {
    await page.goto(`${server.base}/content/playlists/${display.id}?lang=en`)
    await page.selectOption('#playlist-add select[name=itemId]', item.id)
    await Promise.all([page.waitForNavigation(), page.click('#playlist-add button[type=submit]')])
  }
  assert.equal(await page.locator('#playlist-preview li').count(), 2)

  const screen = await pairScreen(browser, server.deps, server.base, display.id, 'display')
  await waitForStation(screen, { link: 'online', playing: 'yes' } as never)
  const onScreen = (id: string) =>
    screen.waitForFunction((want) => document.getElementById('player-stage')?.dataset.item === want, id, {
      timeout: 60_000,
    })
  // the consent notice line and the QR stay visible over the content
  assert.ok(await screen.locator('.camera-note').isVisible())
  assert.ok(await screen.locator('.station-qr svg').isVisible())
  await onScreen(film.id)
  await onScreen(plan.id)
  await onScreen(film.id)
  const ordered = await waitUntil(
    async () => {
      const rows = await plays()
      return rows.length >= 2 ? rows : null
    },
    { timeoutMs: 30_000, what: 'two plays' },
  )
  for (const [a, b] of ordered.slice(0, -1).map((p, i) => [p, ordered[i + 1]!])) {
    assert.notEqual(a.itemId, b.itemId, 'plan and film alternate')
  }
  for (const p of ordered) {
    const length = p.endedAt - p.startedAt
    assert.ok(length >= itemSeconds * 1000 - 50 && length < itemSeconds * 1000 + 2000, `played ${length} ms`)
  }

  // film is on screen: delete it; the screen drops it before its time is up
  await page.goto(`${server.base}/content?lang=en`)
  await onScreen(plan.id)
  await onScreen(film.id)
  const shownAt = Date.now()
  await Promise.all([page.waitForNavigation(), page.click(`tr[data-item="${film.id}"] button.danger`)])
  assert.match((await page.textContent('#content-message')) ?? '', /Deleted/)
  await screen.waitForFunction(
    (id) => document.getElementById('player-stage')?.dataset.item !== id,
    film.id,
    { timeout: 60_000 },
  )
  const cut = await waitUntil(
    async () => {
      const rows = (await plays()).filter((p) => p.itemId === film.id)
      const last = rows.at(-1)
      return last && last.endedAt >= shownAt - 1000 ? last : null
    },
    { timeoutMs: 30_000, what: 'the cut play of the deleted film' },
  )
  assert.ok(cut.endedAt - cut.startedAt < itemSeconds * 1000, `cut after ${cut.endedAt - cut.startedAt} ms`)
  assert.ok(!(await storedFiles()).includes(film.sha256), 'the file is gone from the disk')

  // its plays stay in the report under its name
  await page.goto(`${server.base}/content/report?lang=en`)
  const row = page.locator('#content-report tr.item-total', { hasText: 'Film' })
  assert.ok(Number(await row.locator('td[data-col=plays]').textContent()) >= 2)
  await context.close()
  await screen.context().close()
})

test('a display whose first item is a video starts it at once (muted, with no user gesture)', async () => {
  const officeId = server.seeded!.officeId
  const other = server.seeded!.stations.filter((s) => s.kind === 'display')[1]!
  const film = await addToPlaylist(server.deps, {
    file: media.mp4,
    name: 'Solo film',
    durationS: 3,
    officeId,
    stationId: other.id,
  })
  const screen = await pairScreen(browser, server.deps, server.base, other.id, 'display')
  await screen.waitForFunction(
    (id) => document.getElementById('player-stage')?.dataset.item === id,
    film.id,
    {
      timeout: 60_000,
    },
  )
  await screen.context().close()
})
