// Browser: attention per content item for consenting visitors only. With faces in view and no session, a playing
// display records plays and nothing else; with a consented session while two items play, the per-item dwell and
// attention add up to the session's (within one tick).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser } from 'playwright-core'
import { eq } from 'drizzle-orm'
import { startTestServer, launchBrowser } from '../helpers/browser.ts'
import { buildFakeCamera } from '../helpers/fake-camera.ts'
import { makeTestMedia, addToPlaylist, type TestMedia } from '../helpers/media.ts'
import { pairScreen, waitForStation, consentingVisitorScans } from '../helpers/station-page.ts'
import { waitUntil } from '../helpers/runtime.ts'
import { cameraSessions } from '../../models/consents.ts'
import { contentAttention, contentPlays } from '../../models/content.ts'
import { tickMs } from '../../signage/session.ts'

let server: Awaited<ReturnType<typeof startTestServer>>
let camera: Awaited<ReturnType<typeof buildFakeCamera>>
let browser: Browser
let media: TestMedia

before(async () => {
  media = await makeTestMedia()
  camera = await buildFakeCamera()
  server = await startTestServer()
  browser = await launchBrowser(camera.chromiumArgs)
})
after(async () => {
  await browser?.close()
  await server?.close()
  await camera?.cleanup()
  await media?.cleanup()
})

test('no session: plays only; a consented session: per-item attention sums to the session within one tick', async (t) => {
  const officeId = server.seeded!.officeId
  const display = server.seeded!.stations.find((s) => s.kind === 'display')!
  const plan = await addToPlaylist(server.deps, {
    file: media.png,
    name: 'Plan',
    durationS: 1,
    officeId,
    stationId: display.id,
  })
  const prices = await addToPlaylist(server.deps, {
    file: media.png2,
    name: 'Prices',
    durationS: 1,
    officeId,
    stationId: display.id,
  })
  const screen = await pairScreen(browser, server.deps, server.base, display.id, 'display')
  await waitForStation(screen, {
    camera: 'live',
    link: 'online',
    playing: 'yes',
    mode: 'whole-blur',
  } as never)
  // faces in front of the screen, nobody consented: plays are recorded, nothing about anyone
  await waitUntil(async () => (await server.database.db.select().from(contentPlays)).length >= 3, {
    timeoutMs: 60_000,
    what: 'three plays',
  })
  assert.equal((await server.database.db.select().from(contentAttention)).length, 0)
  assert.equal((await server.database.db.select().from(cameraSessions)).length, 0)
  assert.equal(
    await screen.evaluate(() => document.getElementById('station-canvas')!.dataset.detectorRuns),
    '0',
  )

  // a visitor with camera consent scans the display's QR
  await consentingVisitorScans(server, browser, display.id, {
    id: 'visit-attention',
    visitorId: 'visitor-attention',
    day: '2026-11-30',
  })
  await waitForStation(screen, { session: 'active', mode: 'session' })

  // both items come and go while the visitor is there
  const rows = await waitUntil(
    async () => {
      const stored = await server.database.db.select().from(contentAttention)
      const seen = new Set(stored.filter((r) => r.dwellMs > 0).map((r) => r.itemId))
      return seen.has(plan.id) && seen.has(prices.id) && stored.length === 2 ? stored : null
    },
    { timeoutMs: 90_000, what: 'attention for both items' },
  ).catch(async (error) => {
    const state = await screen.evaluate(() => ({ ...document.getElementById('station')!.dataset }))
    const stored = await server.database.db.select().from(contentAttention)
    const sessions = await server.database.db.select().from(cameraSessions)
    throw new Error(
      `${error}; screen ${JSON.stringify(state)}; rows ${JSON.stringify(stored)}; sessions ${JSON.stringify(sessions)}`,
    )
  })
  assert.deepEqual(
    rows.map((r) => r.stationId),
    [display.id, display.id],
  )
  // compared once everything sent has been answered, as the same tick's numbers
  const compare = async () => {
    await screen.waitForFunction(() => document.getElementById('station')!.dataset.pending === '0', null, {
      timeout: 30_000,
    })
    const [session] = await server.database.db
      .select()
      .from(cameraSessions)
      .where(eq(cameraSessions.visitId, 'visit-attention'))
    const items = await server.database.db
      .select()
      .from(contentAttention)
      .where(eq(contentAttention.sessionId, session!.id))
    const sum = (k: 'dwellMs' | 'attentionMs') => items.reduce((s, r) => s + r[k], 0)
    return { session: session!, dwell: sum('dwellMs'), attention: sum('attentionMs') }
  }
  const { session, dwell, attention } = await compare()
  t.diagnostic(
    `session dwell ${session.dwellMs} ms, attention ${session.attentionMs} ms; items ${dwell} / ${attention}`,
  )
  assert.ok(session.dwellMs > 0)
  assert.ok(Math.abs(session.dwellMs - dwell) <= tickMs, `dwell ${session.dwellMs} vs items ${dwell}`)
  assert.ok(
    Math.abs(session.attentionMs - attention) <= tickMs,
    `attention ${session.attentionMs} vs items ${attention}`,
  )
  // numbers and ids only
  for (const row of rows) {
    for (const [key, value] of Object.entries(row)) {
      assert.ok(typeof value === 'number' || /Id$/.test(key), `${key}: ${value}`)
    }
  }
  await screen.context().close()
})
