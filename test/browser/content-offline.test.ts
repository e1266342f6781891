// Browser: the server stops mid-playlist; the display keeps playing from its cache; after the restart every play
// made meanwhile is stored exactly once (the station outbox), with no gap in the sequence. An uploaded web page
// plays offline too: its frame's navigation is answered by the display service worker from the player's cache.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { rm } from 'node:fs/promises'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { asc, eq } from 'drizzle-orm'
import { launchBrowser, adminPassword } from '../helpers/browser.ts'
import { start } from '../../server/main.ts'
import { configFromEnv } from '../../server/config.ts'
import { makeTestMedia, addToPlaylist, officePageFrame } from '../helpers/media.ts'
import { pairScreen, waitForStation } from '../helpers/station-page.ts'
import { waitUntil } from '../helpers/runtime.ts'
import type { Page } from 'playwright-core'
import { contentPlays } from '../../models/content.ts'
import { stationEvents } from '../../models/consents.ts'

const cleanup: (() => Promise<unknown>)[] = []
after(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined)
})

test('offline: keeps playing from cache while the server is down; every play stored exactly once after', async () => {
  const media = await makeTestMedia()
  cleanup.push(() => media.cleanup())
  const dataDir = await mkdtemp(path.join(tmpdir(), 'showroom-offline-'))
  cleanup.push(() => rm(dataDir, { recursive: true, force: true }))
  const env = {
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    SHOWROOM_ADMIN_PASSWORD: adminPassword,
    SHOWROOM_DEMO_CONTENT: '0',
    SHOWROOM_DEMO_HISTORY: '0',
  }
  let server = await start(configFromEnv({ ...env, PORT: '0' }))
  const port = server.port
  cleanup.push(() => server.stop('test'))
  const officeId = server.seeded!.officeId
  const display = server.seeded!.stations.find((s) => s.kind === 'display')!
  const items: { id: string }[] = []
  for (const [file, name] of [
    [media.png, 'Plan'],
    [media.png2, 'Prices'],
    [media.mp4, 'Film'],
    [media.page, 'Price policy'],
  ] as const) {
    items.push(await addToPlaylist(server.deps, { file, name, durationS: 1, officeId, stationId: null }))
  }
  const browser = await launchBrowser()
  cleanup.push(() => browser.close())
  const screen = await pairScreen(browser, server.deps, server.base, display.id, 'display')
  await waitForStation(screen, { link: 'online', playing: 'yes' } as never)
  const playsOnScreen = async () =>
    Number(await screen.evaluate(() => document.getElementById('player-stage')?.dataset.plays ?? '0'))
  // the whole playlist went round once with the server up, so every file is in the cache
  await screen.waitForFunction(
    () => Number(document.getElementById('player-stage')?.dataset.plays) >= 5,
    null,
    {
      timeout: 60_000,
    },
  )

  await server.stop('test')
  await waitForStation(screen, { link: 'offline' } as never, 30_000)
  const atOutage = await playsOnScreen()
  await screen.waitForFunction(
    (n) => Number(document.getElementById('player-stage')?.dataset.plays) >= n + 6,
    atOutage,
    { timeout: 60_000 },
  )
  // the page, with the server down: its text in its frame
  await pageShown(screen)
  const pendingOffline = Number(
    await screen.evaluate(() => document.getElementById('station')!.dataset.pending),
  )
  assert.ok(pendingOffline >= 6, `plays wait in the outbox: ${pendingOffline}`)
  // a restart of the screen during the outage: the page comes from the service worker, the media from the
  // player's cache, the waiting plays from the outbox in localStorage
  const madeBeforeReload = await playsOnScreen()
  await screen.reload()
  await waitForStation(screen, { playing: 'yes' } as never, 60_000)
  await pageShown(screen)
  await screen.waitForFunction(
    () => Number(document.getElementById('player-stage')?.dataset.plays) >= 3,
    null,
    {
      timeout: 60_000,
    },
  )

  server = await start(configFromEnv({ ...env, PORT: String(port) }))
  await waitForStation(screen, { link: 'online', pending: '0' }, 60_000)
  // + 1: the item on screen when the screen restarted, cut short by the reload (sent on pagehide)
  const made = madeBeforeReload + 1 + (await playsOnScreen())
  const rows = await waitUntil(
    async () => {
      const stored = await server.database.db
        .select()
        .from(contentPlays)
        .where(eq(contentPlays.stationId, display.id))
        .orderBy(asc(contentPlays.startedAt))
      return stored.length >= made ? stored : null
    },
    { timeoutMs: 30_000, what: `${made} plays stored` },
  )
  assert.ok(
    rows.filter((r) => r.itemId === items[3]!.id).length >= 2,
    'the page played offline, before and after the restart of the screen',
  )
  assert.equal(rows.length, made, `every play on the screen is stored once: ${rows.length} of ${made}`)
  assert.equal(new Set(rows.map((r) => r.id)).size, rows.length)
  const applied = await server.database.db.select().from(stationEvents)
  for (const r of rows)
    assert.ok(
      applied.some((e) => e.id === r.id),
      'recorded as applied (no second copy)',
    )
  // back to back: none missing in the middle (a gap would be a lost play), but for the restart of the screen
  const gaps = rows.slice(1).map((r, i) => r.startedAt - rows[i]!.endedAt)
  assert.ok(
    gaps.every((gap) => gap >= 0),
    `overlapping plays: ${gaps}`,
  )
  assert.ok(gaps.filter((gap) => gap >= 1500).length <= 1, `gaps: ${gaps}`)
  const byItem = new Set(rows.map((r) => r.itemId))
  assert.deepEqual([...byItem].sort(), items.map((i) => i.id).sort())
  await screen.context().close()
})

// an uploaded page on screen, read from inside its frame (the server is down: the service worker answered it)
async function pageShown(screen: Page) {
  const frame = await officePageFrame(screen, 'the page in its frame, offline')
  // from the worker's cache with its sandboxing headers: an opaque origin, and its script did not run
  const state = await frame.evaluate('[self.origin, document.body.dataset.ran ?? null]')
  assert.deepEqual(state, ['null', null])
}
