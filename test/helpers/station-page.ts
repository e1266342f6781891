// Browser-test helpers for station screens: pair through the real page, read the screen's state and pixels.
import assert from 'node:assert/strict'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { issuePairingToken } from '../../server/stations.ts'
import type { AppDeps } from '../../server/context.ts'
import type { Box } from './scene.ts'
import { startTestServer, launchBrowser } from './browser.ts'
import { buildFakeCamera, detailEnergy, readY4mFrame } from './fake-camera.ts'
import { currentNotice, grantConsent } from '../../models/consents.ts'
import { visits } from '../../models/visits.ts'
import { signToken } from '../../server/tokens.ts'
import { visitPassCookie } from '../../server/visit-pass.ts'

export type StationData = {
  mode?: string
  reason?: string
  session?: string
  analytics?: string
  camera?: string
  link?: string
  pending?: string
  problem?: string
}

// opens the pairing link as an admin would show it, confirms, and lands on the station's own page
export async function pairScreen(
  browser: Browser,
  deps: AppDeps,
  base: string,
  stationId: string,
  path: string,
  { prepare }: { prepare?: (context: BrowserContext) => Promise<void> } = {},
) {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } })
  await prepare?.(context)
  const page = await context.newPage()
  await page.goto(`${base}/pair/${await issuePairingToken(deps, stationId)}`)
  await page.click('#pair-confirm')
  await page.waitForURL(new RegExp(`/${path}/${stationId}$`))
  return page
}

export const stationData = (page: Page) =>
  page.evaluate(`({ ...document.getElementById('station').dataset })`) as Promise<StationData>

// waits (no sleeping) until the station's data attributes satisfy all of `want`
export async function waitForStation(page: Page, want: StationData, timeout = 20_000) {
  try {
    await page.waitForFunction(
      (w) => {
        const d = document.getElementById('station')?.dataset
        return !!d && Object.entries(w).every(([k, v]) => (d[k] ?? '') === v)
      },
      want,
      { timeout, polling: 'raf' },
    )
  } catch (error) {
    // say what the screen was doing instead
    const now = await stationData(page).catch(() => ({}))
    throw new Error(
      `station never reached ${JSON.stringify(want)}; it shows ${JSON.stringify(now)}: ${error}`,
    )
  }
}

// detail energy (mean |Laplacian| of luminance) of boxes on the station canvas, as the screen shows them now
// (a string, not a function: the test runner's transpiler would add helpers the page does not have)
const energyInPage = `(list) => {
  const canvas = document.getElementById('station-canvas')
  const ctx = canvas.getContext('2d')
  return list.map((b) => {
    const data = ctx.getImageData(b.x, b.y, b.w, b.h).data
    const px = (x, y) => {
      const i = (y * b.w + x) * 4
      return 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2]
    }
    const at = (x, y) => (px(2 * x, 2 * y) + px(2 * x + 1, 2 * y) + px(2 * x, 2 * y + 1) + px(2 * x + 1, 2 * y + 1)) / 4
    let sum = 0
    let n = 0
    for (let y = 1; y < Math.floor(b.h / 2) - 1; y++) {
      for (let x = 1; x < Math.floor(b.w / 2) - 1; x++) {
        sum += Math.abs(4 * at(x, y) - at(x - 1, y) - at(x + 1, y) - at(x, y - 1) - at(x, y + 1))
        n++
      }
    }
    return n ? sum / n : 0
  })
}`
export async function canvasEnergy(page: Page, boxes: Box[]): Promise<number[]> {
  return page.evaluate(`(${energyInPage})(${JSON.stringify(boxes)})`) as Promise<number[]>
}

// every request and WebSocket frame a page makes, for the "nothing leaves, nothing but numbers" checks
export function captureTraffic(page: Page) {
  const requests: string[] = []
  const sent: string[] = []
  const sockets: string[] = []
  page.on('request', (r) => requests.push(r.url()))
  page.on('websocket', (ws) => {
    sockets.push(ws.url())
    ws.on('framesent', (f) =>
      sent.push(typeof f.payload === 'string' ? f.payload : `<binary ${f.payload.length}>`),
    )
  })
  return { requests, sent, sockets }
}

// what a screen test runs on: the server, a fake camera of real faces, Chromium fed by it, and each face's detail
// energy in the raw frame (the reference a sharp or blurred face on the canvas is measured against)
export type CameraStage = {
  server: Awaited<ReturnType<typeof startTestServer>>
  camera: Awaited<ReturnType<typeof buildFakeCamera>>
  browser: Browser
  reference: number[]
}

export async function startCameraStage(): Promise<CameraStage> {
  const camera = await buildFakeCamera()
  const server = await startTestServer()
  const browser = await launchBrowser(camera.chromiumArgs)
  const frame = await readY4mFrame(camera.file)
  return { server, camera, browser, reference: camera.faces.map((f) => detailEnergy(frame.luma, f.core)) }
}

export async function stopCameraStage(stage: Partial<CameraStage>) {
  await stage.browser?.close()
  await stage.server?.close()
  await stage.camera?.cleanup()
}

// a visitor checked in today and consented on the phone, then scans a display's QR with their visit pass; the
// display starts its session (asserted on the phone's page). Their consent row.
export async function consentingVisitorScans(
  server: Awaited<ReturnType<typeof startTestServer>>,
  browser: Browser,
  displayId: string,
  visit: { id: string; visitorId: string; day: string },
) {
  const officeId = server.seeded!.officeId
  const now = Date.now()
  await server.database.write((tx) =>
    tx.insert(visits).values({ id: visit.id, officeId, day: visit.day, checkedInAt: now, firstVisit: true }),
  )
  const notice = await currentNotice(server.database.db, officeId, 'en')
  const consent = await server.database.write((tx) =>
    grantConsent({ tx, input: { officeId, visitId: visit.id, noticeId: notice!.id, givenAt: 'phone' }, now }),
  )
  const { token } = await signToken(
    server.deps.keys,
    'visit',
    { visit: visit.id, visitor: visit.visitorId, office: officeId },
    { now, expiresAt: now + 3600_000 },
  )
  const phone = await browser.newContext({ locale: 'en-US' })
  await phone.addCookies([{ name: visitPassCookie, value: token, url: server.base }])
  const scan = await phone.newPage()
  await scan.goto(`${server.base}/s/${displayId}`)
  const outcome = await scan.getAttribute('#station-start', 'data-outcome')
  await phone.close()
  assert.equal(outcome, 'started', 'the scan starts a session on the display')
  return consent
}
