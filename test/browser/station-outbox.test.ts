// Browser: a screen that lost power (or was reloaded) with events unacknowledged sends them once it is back,
// from its localStorage outbox, and keeps nothing there once the server has answered.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser } from 'playwright-core'
import { eq } from 'drizzle-orm'
import type { startTestServer } from '../helpers/browser.ts'
import type { buildFakeCamera } from '../helpers/fake-camera.ts'
import { pairScreen, waitForStation, startCameraStage, stopCameraStage } from '../helpers/station-page.ts'
import { cameraSessions, currentNotice, grantConsent, stationEvents } from '../../models/consents.ts'
import { outboxKey } from '../../signage/station-link.ts'

let server: Awaited<ReturnType<typeof startTestServer>>
let camera: Awaited<ReturnType<typeof buildFakeCamera>>
let browser: Browser

before(async () => ({ server, camera, browser } = await startCameraStage()))
after(() => stopCameraStage({ server, camera, browser }))

test('events left in the outbox by a reload are sent when the screen is back, and the outbox empties', async () => {
  const display = server.seeded!.stations.find((s) => s.kind === 'display')!
  const officeId = server.seeded!.officeId
  const notice = await currentNotice(server.database.db, officeId, 'en')
  const consent = await server.database.write((tx) =>
    grantConsent({
      tx,
      input: { officeId, visitId: null, noticeId: notice!.id, givenAt: display.id },
      now: Date.now(),
    }),
  )
  const page = await pairScreen(browser, server.deps, server.base, display.id, 'display')
  await waitForStation(page, { link: 'online' })

  // what the screen had queued when it went dark: a session started and two running totals, none acknowledged
  const at = Date.now() - 60_000
  const left = [
    {
      type: 'event',
      id: 'reload-start-01',
      kind: 'session.start',
      session: 'reload-session',
      consent: consent.id,
      at,
    },
    ...[1, 2].map((k) => ({
      type: 'event',
      id: `reload-tick-0${k}`,
      kind: 'session.tick',
      session: 'reload-session',
      at: at + k * 1000,
      dwellMs: k * 1000,
      attentionMs: k * 400,
      framesAnalysed: k * 10,
      framesDropped: 0,
    })),
  ]
  await page.evaluate(([key, events]) => localStorage.setItem(key, JSON.stringify(events)), [
    outboxKey(display.id),
    left,
  ] as const)
  await page.reload()
  await waitForStation(page, { link: 'online', pending: '0' })
  await page.waitForFunction((key) => localStorage.getItem(key) === null, outboxKey(display.id), {
    polling: 'raf',
  })

  const [session] = await server.database.db
    .select()
    .from(cameraSessions)
    .where(eq(cameraSessions.id, 'reload-session'))
  assert.equal(session?.consentId, consent.id)
  assert.deepEqual([session?.dwellMs, session?.attentionMs, session?.framesAnalysed], [2000, 800, 20])
  const stored = await server.database.db.select({ id: stationEvents.id }).from(stationEvents)
  assert.deepEqual(
    stored
      .map((r) => r.id)
      .filter((id) => id.startsWith('reload-'))
      .sort(),
    ['reload-start-01', 'reload-tick-01', 'reload-tick-02'],
  )
})
