// Browser: marketing uploads a page of the office's site through the content page; a paired display shows it full
// screen in a frame with the corner on top; its script never runs (no request, no DOM change), it has an opaque
// origin (the display's cookies and storage are out of its reach); each showing is one play.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser } from 'playwright-core'
import { asc, eq } from 'drizzle-orm'
import { startTestServer, launchBrowser } from '../helpers/browser.ts'
import {
  makeTestMedia,
  officePageFrame,
  openContentAsMarketing,
  pageProbe,
  uploadThroughPage,
  type TestMedia,
} from '../helpers/media.ts'
import { pairScreen, waitForStation } from '../helpers/station-page.ts'
import { waitUntil } from '../helpers/runtime.ts'
import { contentItems, contentPlays } from '../../models/content.ts'

let server: Awaited<ReturnType<typeof startTestServer>>
let browser: Browser
let media: TestMedia
const pageSeconds = 3

before(async () => {
  media = await makeTestMedia()
  server = await startTestServer()
  browser = await launchBrowser()
})
after(async () => {
  await browser?.close()
  await server?.close()
  await media?.cleanup()
})

test('a page uploaded through the library plays on a display, sandboxed: its script never runs', async () => {
  const context = await browser.newContext({ locale: 'en-US' })
  const page = await context.newPage()
  await openContentAsMarketing(page, server)

  assert.match(
    await uploadThroughPage(page, server.base, media.page, { durationS: String(pageSeconds) }),
    /Uploaded: 价格政策/,
  )
  assert.match(
    await uploadThroughPage(page, server.base, media.png, { name: 'Plan', durationS: '2' }),
    /Uploaded: Plan/,
  )
  const [policy, plan] = await server.database.db
    .select()
    .from(contentItems)
    .orderBy(asc(contentItems.createdAt))
  assert.equal(policy!.kind, 'page')
  // the library previews the page in a sandboxed frame
  const preview = page.locator(`tr[data-item="${policy!.id}"] iframe[sandbox=""]`)
  assert.equal(await preview.count(), 1)
  assert.match(await page.locator(`tr[data-item="${policy!.id}"]`).innerText(), /Web page/)

  const display = server.seeded!.stations.find((s) => s.kind === 'display')!
  for (const item of [policy!, plan!]) {
    await page.goto(`${server.base}/content/playlists/${display.id}?lang=en`)
    await page.selectOption('#playlist-add select[name=itemId]', item.id)
    await Promise.all([page.waitForNavigation(), page.click('#playlist-add button[type=submit]')])
  }
  assert.equal(await page.locator('#playlist-preview li').count(), 2)

  const requests: string[] = []
  const screen = await pairScreen(browser, server.deps, server.base, display.id, 'display', {
    prepare: async (screenContext) => {
      screenContext.on('request', (request) => requests.push(new URL(request.url()).pathname))
      await screenContext.addCookies([{ name: 'display-secret', value: 'not-for-pages', url: server.base }])
    },
  })
  await waitForStation(screen, { link: 'online', playing: 'yes' } as never)
  const onScreen = (id: string) =>
    screen.waitForFunction((want) => document.getElementById('player-stage')?.dataset.item === want, id, {
      timeout: 60_000,
    })
  await screen.evaluate(() => localStorage.setItem('display-only', 'secret'))
  await onScreen(policy!.id)
  const frame = await officePageFrame(screen)
  // full screen, its own inline style, the corner (notice line, QR) still on top
  const box = await (await frame.frameElement()).boundingBox()
  assert.deepEqual([box?.width, box?.height], [1280, 800])
  assert.equal(
    await frame.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor),
    'rgb(244, 239, 230)',
  )
  const cornerOnTop = await screen.evaluate(() =>
    ['.camera-note', '.station-qr svg'].every((selector) => {
      const r = document.querySelector(selector)!.getBoundingClientRect()
      const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)
      return !!hit?.closest('.display-corner')
    }),
  )
  assert.ok(cornerOnTop, 'the notice line and the QR are over the page')
  // no script of the page ran: nothing it set, nothing it asked for; and it has no origin of ours to read with
  // (a string: the test's transpiler would wrap a nested function in a helper the frame does not have)
  const inside = await frame.evaluate(`(() => {
    const attempt = (read) => {
      try {
        read()
        return 'read'
      } catch (error) {
        return error.name
      }
    }
    return {
      ran: document.body.dataset.ran ?? null,
      origin: self.origin,
      cookie: attempt(() => document.cookie),
      storage: attempt(() => localStorage.length),
    }
  })()`)
  assert.deepEqual(inside, { ran: null, origin: 'null', cookie: 'SecurityError', storage: 'SecurityError' })
  assert.ok(requests.includes('/__page-image-probe'), 'the page’s own images load (img-src self)')

  // round again: page → plan → page; each showing of the page is one play of its duration
  await onScreen(plan!.id)
  await onScreen(policy!.id)
  await officePageFrame(screen)
  await onScreen(plan!.id)
  const pagePlays = await waitUntil(
    async () => {
      const rows = await server.database.db
        .select()
        .from(contentPlays)
        .where(eq(contentPlays.itemId, policy!.id))
      return rows.length >= 2 ? rows : null
    },
    { timeoutMs: 30_000, what: 'two plays of the page' },
  )
  assert.equal(new Set(pagePlays.map((p) => p.id)).size, pagePlays.length)
  for (const p of pagePlays) {
    const length = p.endedAt - p.startedAt
    assert.ok(length >= pageSeconds * 1000 - 50 && length < pageSeconds * 1000 + 2000, `played ${length} ms`)
  }
  assert.deepEqual(
    requests.filter((r) => r.startsWith(pageProbe)),
    [],
    'the page’s script and inline handlers never ran',
  )

  // in the content report like any other item
  await page.goto(`${server.base}/content/report?lang=en`)
  const row = page.locator('#content-report tr.item-total', { hasText: '价格政策' })
  assert.ok(Number(await row.locator('td[data-col=plays]').textContent()) >= 2)
  await context.close()
  await screen.context().close()
})
