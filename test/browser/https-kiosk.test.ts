// Browser, over HTTPS with a name that is not localhost: Chromium maps showroom.test to loopback, so it judges the
// server as a remote origin, and trusts the local CA only through an NSS database holding /ca.crt (no
// ignore-certificate-errors). The printed kiosk pairing link opens without a certificate error in a secure context,
// the fake camera runs, blurs before consent and shows the consenting face after; a phone checks in over the same
// origin and gets a Secure, HttpOnly visit pass.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, BrowserContext } from 'playwright-core'
import { startTestServer, launchBrowser } from '../helpers/browser.ts'
import { buildFakeCamera, detailEnergy, readY4mFrame } from '../helpers/fake-camera.ts'
import { waitForStation, canvasEnergy } from '../helpers/station-page.ts'
import { freePort } from '../helpers/runtime.ts'
import { homeTrusting } from '../helpers/nss.ts'
import { httpsGet } from '../helpers/tls.ts'
import { visitPassCookie } from '../../server/visit-pass.ts'

let server: Awaited<ReturnType<typeof startTestServer>>
let camera: Awaited<ReturnType<typeof buildFakeCamera>>
let trusting: Awaited<ReturnType<typeof homeTrusting>>
let browser: Browser
let origin: string
let reference: number[]
const blurredBelow = 0.15
const sharpAbove = 0.6

before(async () => {
  const port = await freePort()
  origin = `https://showroom.test:${port}`
  server = await startTestServer({ TLS: 'local', PORT: String(port), PUBLIC_URL: origin })
  // the installer downloads /ca.crt from the server, as a screen would
  const root = server.tls!.caCertPem!
  const downloaded = await httpsGet({ port, host: 'showroom.test', path: '/ca.crt', ca: root })
  trusting = await homeTrusting(downloaded.body)
  camera = await buildFakeCamera()
  browser = await launchBrowser(
    [
      `--host-resolver-rules=MAP showroom.test 127.0.0.1`,
      // a fake camera device, but no blanket auto-accept of the permission prompt: the test grants it for the origin
      ...camera.chromiumArgs.filter((arg) => arg !== '--use-fake-ui-for-media-stream'),
    ],
    { env: { ...process.env, HOME: trusting.home } },
  )
  const frame = await readY4mFrame(camera.file)
  reference = camera.faces.map((f) => detailEnergy(frame.luma, f.core))
})
after(async () => {
  await browser?.close()
  await server?.close()
  await camera?.cleanup()
  await trusting?.cleanup()
})

async function screenContext(): Promise<BrowserContext> {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } })
  // what the Chromium policy VideoCaptureAllowedUrls does for a kiosk (scripts/screen.ts): this origin only
  await context.grantPermissions(['camera'], { origin })
  return context
}

const stationLink = (kind: string) => {
  const station = server.seeded!.stations.find((s) => s.kind === kind)!
  return { station, link: server.pairing.get(station.id)! }
}

test('the printed kiosk pairing link opens over https://showroom.test with no certificate error, camera and blur work', async () => {
  const { station, link } = stationLink('kiosk')
  assert.ok(link.startsWith(`${origin}/pair/`), `printed link on the public origin: ${link}`)
  const context = await screenContext()
  const page = await context.newPage()
  const response = await page.goto(link)
  assert.equal(response?.status(), 200)
  const security = await response!.securityDetails()
  assert.equal(security?.subjectName, 'showroom.test')
  assert.match(security?.issuer ?? '', /Showroom local CA/)
  await page.click('#pair-confirm')
  await page.waitForURL(`${origin}/kiosk/${station.id}`)
  assert.equal(await page.evaluate(() => window.isSecureContext), true)
  assert.equal(await page.evaluate(() => location.origin), origin)

  await waitForStation(page, { camera: 'live', analytics: 'ready', link: 'online', mode: 'whole-blur' })
  const shares = async () =>
    (
      await canvasEnergy(
        page,
        camera.faces.map((f) => f.core),
      )
    ).map((e, i) => e / reference[i]!)
  const before = await shares()
  assert.ok(
    before.every((s) => s < blurredBelow),
    `every face blurred before consent: ${before}`,
  )

  await page.click('#consent-agree')
  await waitForStation(page, { session: 'active', mode: 'session' })
  await waitForStation(page, { mode: 'session' })
  const during = await shares()
  camera.faces.forEach((f, k) => {
    if (f.consenting) assert.ok(during[k]! > sharpAbove, `the consenting face is shown: ${during}`)
    else assert.ok(during[k]! < blurredBelow, `${f.name} stays blurred: ${during}`)
  })
  await context.close()
})

test('a phone checks in over the HTTPS origin; the visit pass cookie is Secure and HttpOnly', async () => {
  const { station, link } = stationLink('entrance')
  const screenContextForEntrance = await screenContext()
  const screen = await screenContextForEntrance.newPage()
  await screen.goto(link)
  await screen.click('#pair-confirm')
  await screen.waitForURL(`${origin}/entrance/${station.id}`)
  await screen.waitForSelector('#entrance-qr svg')
  const checkinUrl = (await screen.getAttribute('#entrance-qr', 'data-url'))!
  assert.ok(checkinUrl.startsWith(`${origin}/`), checkinUrl)

  const phone = await browser.newContext({
    locale: 'zh-CN',
    viewport: { width: 390, height: 844 },
    isMobile: true,
  })
  const page = await phone.newPage()
  await page.goto(checkinUrl)
  assert.equal(await page.evaluate(() => window.isSecureContext), true)
  await page.click('#checkin-form button[type=submit]')
  await page.waitForURL(/\/pass$/)
  const pass = (await phone.cookies(origin)).find((c) => c.name === visitPassCookie)
  assert.ok(pass, 'the phone holds a visit pass')
  assert.equal(pass.secure, true)
  assert.equal(pass.httpOnly, true)
  await phone.close()
  await screenContextForEntrance.close()
})

test('control: a browser whose store does not hold the root refuses the same link', async () => {
  const untrusting = await homeTrusting(null)
  const other = await launchBrowser([`--host-resolver-rules=MAP showroom.test 127.0.0.1`], {
    env: { ...process.env, HOME: untrusting.home },
  })
  try {
    const page = await other.newPage()
    await assert.rejects(page.goto(`${origin}/login`), /ERR_CERT_AUTHORITY_INVALID/)
  } finally {
    await other.close()
    await untrusting.cleanup()
  }
})
