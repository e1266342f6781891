// Browser: station faults fail closed. The model blocked → whole-frame blur and "analytics unavailable";
// the server killed mid-session → events wait in the station and arrive once a server runs again.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Browser } from 'playwright-core'
import { eq } from 'drizzle-orm'
import { launchBrowser, adminPassword } from '../helpers/browser.ts'
import { buildFakeCamera, detailEnergy, readY4mFrame } from '../helpers/fake-camera.ts'
import { pairScreen, waitForStation, canvasEnergy, stationData } from '../helpers/station-page.ts'
import { start } from '../../server/main.ts'
import { configFromEnv } from '../../server/config.ts'
import { cameraSessions, consents } from '../../models/consents.ts'
import type { AppDeps } from '../../server/context.ts'
import { listOffices, listStations } from '../../models/offices.ts'

let camera: Awaited<ReturnType<typeof buildFakeCamera>>
let browser: Browser
let dataDir: string
let reference: number[]

before(async () => {
  camera = await buildFakeCamera()
  browser = await launchBrowser(camera.chromiumArgs)
  dataDir = await mkdtemp(path.join(tmpdir(), 'showroom-faults-'))
  const frame = await readY4mFrame(camera.file)
  reference = camera.faces.map((f) => detailEnergy(frame.luma, f.core))
})
after(async () => {
  await browser?.close()
  await camera?.cleanup()
  await rm(dataDir, { recursive: true, force: true })
})

// a server on this test's data dir; a restart reuses the same dir and port (device tokens stay valid)
const serve = (port = 0) =>
  start(
    configFromEnv({
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      SHOWROOM_ADMIN_PASSWORD: adminPassword,
      // the bare demo office: its history and generated content are tested on their own
      SHOWROOM_DEMO_HISTORY: '0',
      SHOWROOM_DEMO_CONTENT: '0',
    }),
  )

// the first test seeds the data dir; later starts find it seeded
async function kioskOf(server: Awaited<ReturnType<typeof serve>>) {
  const [office] = await listOffices(server.database.db)
  return (await listStations(server.database.db, office!.id)).find((s) => s.kind === 'kiosk')!
}

test('model URL blocked: whole-frame blur, "camera analytics unavailable" shown, Agree not offered', async () => {
  const server = await serve()
  try {
    const kiosk = await kioskOf(server)
    const page = await pairScreen(browser, server.deps, server.base, kiosk.id, 'kiosk', {
      prepare: async (context) => {
        await context.route('**/models/**', (route) => route.abort())
      },
    })
    await waitForStation(page, { analytics: 'unavailable', camera: 'live', mode: 'whole-blur' })
    assert.ok(await page.locator('#analytics-state').isVisible())
    assert.match((await page.textContent('#analytics-state')) ?? '', /camera analytics unavailable/i)
    assert.ok(await page.locator('#consent-agree').isDisabled())
    assert.ok(await page.locator('#consent-decline').isEnabled())
    const energy = await canvasEnergy(
      page,
      camera.faces.map((f) => f.core),
    )
    energy.forEach((e, i) => assert.ok(e / reference[i]! < 0.15, `face ${i} blurred: ${e / reference[i]!}`))
    await page.context().close()
  } finally {
    await server.stop('test')
  }
})

test('server killed mid-session: the station buffers its events and delivers them after the restart', async () => {
  let server = await serve()
  const port = server.port
  const kiosk = await kioskOf(server)
  const page = await pairScreen(browser, server.deps, server.base, kiosk.id, 'kiosk')
  try {
    await waitForStation(page, { analytics: 'ready', link: 'online' })
    await page.click('#consent-agree')
    await waitForStation(page, { session: 'active', mode: 'session' })
    const [consent] = await server.database.db.select().from(consents).where(eq(consents.givenAt, kiosk.id))
    const sessionRow = async (db = server.database.db) =>
      (await db.select().from(cameraSessions).where(eq(cameraSessions.consentId, consent!.id)))[0]
    await untilSessionChange(server.deps, async () => (await sessionRow())?.dwellMs! > 0)
    await server.stop('test')
    const stoppedAt = Date.now()

    // offline: the session goes on on the device (the camera is local); its numbers wait in the outbox
    await waitForStation(page, { link: 'offline', session: 'active' })
    await page.waitForFunction(() => Number(document.getElementById('station')!.dataset.pending) > 0)

    server = await serve(port)
    await waitForStation(page, { link: 'online', pending: '0' }, 30_000)
    const row = await sessionRow(server.database.db)
    assert.ok(row, 'the session row is still there')
    assert.ok(
      row.lastEventAt > stoppedAt,
      'a tick measured while the server was down arrived after the restart',
    )
    assert.equal((await stationData(page)).session, 'active')
  } finally {
    await page.context().close()
    await server.stop('test')
  }
})

test('mid-session, a hidden tab or a lost camera ends the session and leaves no camera image on screen', async () => {
  const server = await serve()
  const kiosk = await kioskOf(server)
  const page = await pairScreen(browser, server.deps, server.base, kiosk.id, 'kiosk', {
    // test instrumentation only: keep a handle on the camera stream so the test can end it like an unplug would
    prepare: async (context) => {
      await context.addInitScript(() => {
        const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices)
        navigator.mediaDevices.getUserMedia = async (constraints) => {
          const stream = await original(constraints)
          ;(window as unknown as { testStreams: MediaStream[] }).testStreams = [stream]
          return stream
        }
      })
    },
  })
  const blank = () =>
    canvasEnergy(
      page,
      camera.faces.map((f) => f.core),
    )
  try {
    await waitForStation(page, { analytics: 'ready', link: 'online' })
    await page.click('#consent-agree')
    await waitForStation(page, { session: 'active', mode: 'session' })
    // the tab goes to the background (another app in front of the kiosk browser)
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true })
      document.dispatchEvent(new Event('visibilitychange'))
    })
    await waitForStation(page, { session: '', reason: 'hidden' })
    assert.ok(
      (await blank()).every((e) => e < 1e-6),
      'a flat screen, not the last frame',
    )
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true })
      document.dispatchEvent(new Event('visibilitychange'))
    })
    await waitForStation(page, { mode: 'whole-blur', reason: 'no-session' })

    // a new session, then the camera goes away
    await page.click('#session-stop').catch(() => undefined)
    await page.evaluate(() => {
      const s = (window as unknown as { testStreams: MediaStream[] }).testStreams[0]!
      s.getVideoTracks().forEach((t) => t.stop())
    })
    await waitForStation(page, { camera: 'lost', reason: 'camera-lost' })
    assert.ok((await blank()).every((e) => e < 1e-6))
  } finally {
    await page.context().close()
    await server.stop('test')
  }
})

function untilSessionChange(deps: AppDeps, check: () => Promise<boolean>, timeout = 10_000) {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => (off?.(), reject(new Error('condition not met in time'))), timeout)
    const off = deps.events!.on(async (e) => {
      if (e.type === 'camera-session.changed' && (await check())) {
        clearTimeout(timer)
        off?.()
        resolve()
      }
    })
  })
}
