// Browser: a zone display runs no detector until a visitor with a visit pass and camera consent scans its QR;
// then only that visitor's face is sharp in its preview, and the numbers reach the server under their visit.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser } from 'playwright-core'
import { eq } from 'drizzle-orm'
import type { startTestServer } from '../helpers/browser.ts'
import type { buildFakeCamera } from '../helpers/fake-camera.ts'
import {
  pairScreen,
  waitForStation,
  canvasEnergy,
  captureTraffic,
  startCameraStage,
  stopCameraStage,
  consentingVisitorScans,
} from '../helpers/station-page.ts'
import { cameraSessions } from '../../models/consents.ts'

let server: Awaited<ReturnType<typeof startTestServer>>
let camera: Awaited<ReturnType<typeof buildFakeCamera>>
let browser: Browser
let reference: number[]

before(async () => ({ server, camera, browser, reference } = await startCameraStage()))
after(() => stopCameraStage({ server, camera, browser }))

test('display: QR in the corner, no detector without consent; the visitor scans it and a session starts', async () => {
  const display = server.seeded!.stations.find((s) => s.kind === 'display')!
  const page = await pairScreen(browser, server.deps, server.base, display.id, 'display')
  const traffic = captureTraffic(page)
  await page.reload()
  await waitForStation(page, { camera: 'live', link: 'online', mode: 'whole-blur', reason: 'no-session' })
  assert.ok(await page.locator('.station-qr svg').isVisible())
  const shares = async () =>
    (
      await canvasEnergy(
        page,
        camera.faces.map((f) => f.core),
      )
    ).map((e, i) => e / reference[i]!)
  assert.ok((await shares()).every((s) => s < 0.15))

  // a visitor who checked in and consented on the phone
  const consent = await consentingVisitorScans(server, browser, display.id, {
    id: 'visit-display',
    visitorId: 'visitor-display',
    day: '2026-11-23',
  })

  await waitForStation(page, { session: 'active', mode: 'session' })
  const during = await shares()
  camera.faces.forEach((f, i) => {
    if (f.consenting) assert.ok(during[i]! > 0.6, `the visitor's face is sharp: ${during}`)
    else assert.ok(during[i]! < 0.15, `${f.name} stays blurred: ${during}`)
  })
  // the session row belongs to the visit; only numbers
  await page.waitForFunction(() => document.getElementById('station')!.dataset.pending === '0')
  const [row] = await server.database.db
    .select()
    .from(cameraSessions)
    .where(eq(cameraSessions.consentId, consent.id))
  assert.equal(row?.visitId, 'visit-display')
  assert.equal(row?.stationId, display.id)
  for (const url of traffic.requests) assert.ok(url.startsWith(server.base), url)
  await page.context().close()
})
