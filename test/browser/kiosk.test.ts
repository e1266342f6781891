// Browser: the consent kiosk on a fake camera of real faces: blurred without consent, only the consenting face
// sharp in a session, blur back within 2 s of withdrawal, and nothing but small JSON numbers leaving the page.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, Page } from 'playwright-core'
import { eq } from 'drizzle-orm'
import type { startTestServer } from '../helpers/browser.ts'
import type { buildFakeCamera } from '../helpers/fake-camera.ts'
import {
  pairScreen,
  waitForStation,
  canvasEnergy,
  captureTraffic,
  stationData,
  startCameraStage,
  stopCameraStage,
} from '../helpers/station-page.ts'
import { consents, cameraSessions, currentNotice, publishNotice } from '../../models/consents.ts'
import type { AppDeps } from '../../server/context.ts'
import { maxScannedChars } from '../../server/qr.ts'
import { decodeScreenshot } from '../helpers/qr-decode.ts'

let server: Awaited<ReturnType<typeof startTestServer>>
let camera: Awaited<ReturnType<typeof buildFakeCamera>>
let browser: Browser
let reference: number[]

before(async () => ({ server, camera, browser, reference } = await startCameraStage()))
after(() => stopCameraStage({ server, camera, browser }))

// createApp gave the running server its event bus
const events = () => (server.deps as AppDeps).events!
const kioskId = () => server.seeded!.stations.find((s) => s.kind === 'kiosk')!.id
// a face "keeps detail" above this share of its raw detail; blurred faces fall far below it
const blurredBelow = 0.15
const sharpAbove = 0.6

async function energyShares(page: Page) {
  const energy = await canvasEnergy(
    page,
    camera.faces.map((f) => f.core),
  )
  return energy.map((e, i) => e / reference[i]!)
}

// keys a station may send; every value is a number, a flag or a short id/token string (its state report included)
const allowedKeys = new Set(
  'type token id kind session consent at dwellMs attentionMs framesAnalysed framesDropped reason events request notice lang camera detector fps failClosed'.split(
    ' ',
  ),
)
function assertNumbersAndIds(frame: string) {
  assert.ok(frame.length < 4096, 'a station message is small')
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      // the only list a station sends is a batch of events (objects): never a list of numbers (a box, a point)
      for (const v of value) assert.equal(typeof v, 'object')
      return value.forEach(walk)
    }
    if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        assert.ok(allowedKeys.has(k), `unexpected key ${k} in ${frame.slice(0, 200)}`)
        walk(v)
      }
      return
    }
    assert.ok(
      typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean',
      `unexpected value in ${frame}`,
    )
    if (typeof value === 'string')
      assert.ok(!value.startsWith('data:') && !/[\s,]/.test(value), 'no image data')
  }
  walk(JSON.parse(frame))
}

test('kiosk: blurred without consent; Agree → only the consenting face sharp; withdraw → blur within 2 s', async () => {
  assert.ok(
    reference.every((r) => r > 3),
    `the raw faces have detail: ${reference}`,
  )
  const page = await pairScreen(browser, server.deps, server.base, kioskId(), 'kiosk')
  const traffic = captureTraffic(page)
  await page.reload()
  await waitForStation(page, { camera: 'live', analytics: 'ready', link: 'online', mode: 'whole-blur' })
  assert.equal((await stationData(page)).reason, 'no-session')

  // no consent: no face keeps its detail (several frames, the faces move)
  for (let i = 0; i < 3; i++) {
    const shares = await energyShares(page)
    assert.ok(
      shares.every((s) => s < blurredBelow),
      `every face blurred without consent: ${shares}`,
    )
    await page.waitForFunction(() => new Promise((r) => requestAnimationFrame(() => r(true))))
  }
  // no detector has run on any frame so far
  assert.equal(await page.getAttribute('#station-canvas', 'data-detector-runs'), '0')
  assert.ok(Number(await page.getAttribute('#station-canvas', 'data-frames')) > 3)
  // both choices equally prominent, neither pre-selected
  const [agreeBox, declineBox] = await Promise.all(
    ['#consent-agree', '#consent-decline'].map((s) => page.locator(s).boundingBox()),
  )
  assert.equal(Math.round(agreeBox!.height), Math.round(declineBox!.height))
  assert.equal(Math.round(agreeBox!.width), Math.round(declineBox!.width))

  await page.click('#consent-agree')
  await waitForStation(page, { session: 'active', mode: 'session' })
  // the session starts before the receipt message arrives (two socket messages): wait for the receipt itself
  await page.waitForFunction(
    () => document.querySelector('#kiosk-receipt .receipt-link')?.getAttribute('href') !== '#',
  )
  const receipt = await page.locator('#kiosk-receipt .receipt-link').getAttribute('href')
  assert.match(receipt ?? '', new RegExp(`^${server.base}/receipt/[A-Za-z0-9_-]{16}\\.[A-Za-z0-9_-]{16}$`))
  assert.ok(await page.locator('#kiosk-receipt svg').isVisible())
  // no URL printed under it, and the code reads off the kiosk screen at half scale (jsQR and zbarimg)
  assert.equal(await page.locator('#kiosk-receipt .receipt-link').isVisible(), false)
  assert.ok(receipt!.length <= maxScannedChars)
  const kioskShot = await page.screenshot()
  const decoded = await decodeScreenshot(browser, kioskShot, { scale: 0.5 })
  assert.deepEqual([decoded.jsqr, decoded.zbar], [receipt, receipt])
  const [consent] = await server.deps.database.db
    .select()
    .from(consents)
    .where(eq(consents.givenAt, kioskId()))
  assert.ok(consent, 'the consent was recorded with the kiosk as where it was given')

  for (let i = 0; i < 3; i++) {
    await waitForStation(page, { mode: 'session' })
    const shares = await energyShares(page)
    camera.faces.forEach((f, k) => {
      if (f.consenting) assert.ok(shares[k]! > sharpAbove, `the consenting face is sharp: ${shares}`)
      else assert.ok(shares[k]! < blurredBelow, `${f.name} stays blurred in the session: ${shares}`)
    })
  }
  // numbers reach the server: a session row with dwell time, nothing else
  await untilSessionChange(async () => {
    const [row] = await server.deps.database.db
      .select()
      .from(cameraSessions)
      .where(eq(cameraSessions.consentId, consent.id))
    return !!row && row.dwellMs > 0 && row.framesAnalysed > 0
  })

  // withdrawal from the receipt, on the visitor's phone: stop reaches the kiosk, blur is back within 2 s
  const phone = await browser.newContext({ locale: 'en-US' })
  const receiptPage = await phone.newPage()
  await receiptPage.goto(receipt!)
  // measured from the moment the server committed the withdrawal (its consent.changed event)
  const withdrawn = new Promise<number>((resolve) => {
    const off = events().on((e) => {
      if (e.type === 'consent.changed' && !e.granted && e.consentId === consent.id) resolve(Date.now())
      if (e.type === 'consent.changed' && !e.granted) off()
    })
  })
  await receiptPage.click('#withdraw')
  await waitForStation(page, { session: '', mode: 'whole-blur' }, 5000)
  const blurredAgainAfter = Date.now() - (await withdrawn)
  assert.ok(blurredAgainAfter <= 2000, `blur back ${blurredAgainAfter} ms after the withdrawal`)
  assert.equal(await receiptPage.getAttribute('#receipt', 'data-status'), 'withdrawn')
  await phone.close()
  const rows = await server.deps.database.db
    .select()
    .from(cameraSessions)
    .where(eq(cameraSessions.consentId, consent.id))
  assert.deepEqual(rows, [], 'the camera numbers of the withdrawn consent are deleted')
  // and the detector stops: over the next frames its run count does not move
  const runs = await page.getAttribute('#station-canvas', 'data-detector-runs')
  const frames = Number(await page.getAttribute('#station-canvas', 'data-frames'))
  await page.waitForFunction(
    (f) => Number(document.getElementById('station-canvas')!.dataset.frames) > f + 10,
    frames,
  )
  assert.equal(await page.getAttribute('#station-canvas', 'data-detector-runs'), runs)
  assert.ok(Number(runs) > 0)
  const after = await energyShares(page)
  assert.ok(
    after.every((s) => s < blurredBelow),
    `blur is back after withdrawal: ${after}`,
  )

  // the network: same origin only; the socket carried small JSON of numbers and ids
  for (const url of [...traffic.requests, ...traffic.sockets]) {
    assert.ok(url.startsWith(server.base) || url.startsWith(server.base.replace('http', 'ws')), url)
  }
  assert.ok(traffic.sent.length >= 3)
  for (const frame of traffic.sent) assertNumbersAndIds(frame)
  assert.ok(traffic.sent.some((f) => f.includes('"session.start"')))
  await page.context().close()
})

test('kiosk: "No camera" records nothing, sends nothing and keeps the whole frame blurred', async () => {
  const page = await pairScreen(browser, server.deps, server.base, kioskId(), 'kiosk')
  const traffic = captureTraffic(page)
  await page.reload()
  await waitForStation(page, { camera: 'live', analytics: 'ready', link: 'online' })
  const before = await server.deps.database.db.select().from(consents)
  await page.click('#consent-decline')
  assert.match((await page.textContent('#station-status')) ?? '', /no camera/i)
  assert.equal((await stationData(page)).mode, 'whole-blur')
  assert.equal((await stationData(page)).session, '')
  // the socket said hello (on each page load) and reported its own state, nothing else: no consent, no event
  const types = new Set(traffic.sent.map((f) => JSON.parse(f).type))
  assert.deepEqual(
    [...types].filter((type) => type !== 'station.state'),
    ['hello'],
  )
  for (const frame of traffic.sent) assertNumbersAndIds(frame)
  assert.equal((await server.deps.database.db.select().from(consents)).length, before.length)
  await page.context().close()
})

test('kiosk: a newly published notice replaces the one on screen before anyone can agree to the old one', async () => {
  const page = await pairScreen(browser, server.deps, server.base, kioskId(), 'kiosk')
  await waitForStation(page, { camera: 'live', link: 'online' })
  const officeId = server.seeded!.officeId
  const old = await currentNotice(server.database.db, officeId, 'en')
  const body = { ...old!.body, short: 'Version two of the short notice.' }
  const published = await server.database.write((tx) =>
    publishNotice({ tx, input: { officeId, lang: 'en', body }, now: Date.now() }),
  )
  events().emit({ type: 'notice.published', officeId, lang: 'en' })
  await page.waitForFunction(
    (sha) => document.getElementById('station')?.dataset.notice === sha,
    published.sha256,
  )
  assert.equal(await page.textContent('#notice-short'), 'Version two of the short notice.')
  await page.context().close()
})

// re-checks after each camera-session.changed event the pipeline emits (no polling, no sleeping)
function untilSessionChange(check: () => Promise<boolean>, timeout = 10_000) {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => (off?.(), reject(new Error('condition not met in time'))), timeout)
    const off = events().on(async (e) => {
      if (e.type === 'camera-session.changed' && (await check())) {
        clearTimeout(timer)
        off?.()
        resolve()
      }
    })
  })
}
