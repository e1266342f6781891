// Browser: the entrance QR reads from a step away. Decoded (jsQR and zbarimg) from a screenshot of the entrance screen
// it is a short URL on PUBLIC_URL's origin, and it still decodes at 1/4 scale, slightly blurred.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser } from 'playwright-core'
import { startTestServer, launchBrowser } from '../helpers/browser.ts'
import { freePort } from '../helpers/runtime.ts'
import { decodeScreenshot } from '../helpers/qr-decode.ts'
import { issuePairingToken } from '../../server/stations.ts'
import { maxScannedChars } from '../../server/qr.ts'

let server: Awaited<ReturnType<typeof startTestServer>>
let browser: Browser
let publicOrigin: string

before(async () => {
  const port = await freePort()
  // the screen opens the server as localhost; every code it shows must still name the public origin
  publicOrigin = `http://127.0.0.1:${port}`
  server = await startTestServer({ PORT: String(port), PUBLIC_URL: publicOrigin })
  browser = await launchBrowser()
})
after(async () => {
  await browser?.close()
  await server?.close()
})

test('entrance QR: short, on the public origin, whole pixels per module, readable at 1/4 scale and blurred', async () => {
  const entrance = server.seeded!.stations.find((s) => s.kind === 'entrance')!
  const local = `http://localhost:${server.port}`
  const screen = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
  await screen.goto(`${local}/pair/${await issuePairingToken(server.deps, entrance.id)}`)
  await screen.click('#pair-confirm')
  await screen.waitForURL(`${local}/entrance/${entrance.id}`)
  await screen.waitForSelector('#entrance-qr svg[style*="width"]')
  const url = (await screen.getAttribute('#entrance-qr', 'data-url'))!
  assert.ok(url.startsWith(`${publicOrigin}/checkin?t=`), url)
  assert.ok(url.length <= maxScannedChars, `${url.length} characters`)

  // drawn at a whole number of pixels per module, filling most of the screen's short side
  const drawn = await screen.$eval('#entrance-qr svg', (svg) => ({
    width: svg.getBoundingClientRect().width,
    modules: Number((svg as SVGSVGElement).dataset.modules),
  }))
  assert.equal(drawn.width % drawn.modules, 0, `${drawn.width} px for ${drawn.modules} modules`)
  assert.ok(drawn.width >= 0.6 * 1080, `${drawn.width} px on a 1080 px short side`)

  const shot = await screen.screenshot()
  for (const [scale, blurPx] of [
    [1, 0],
    [0.25, 0.8],
  ] as const) {
    const decoded = await decodeScreenshot(browser, shot, { scale, blurPx })
    assert.equal(decoded.jsqr, url, `jsQR at ${scale} (blur ${blurPx} px)`)
    assert.equal(decoded.zbar, url, `zbarimg at ${scale} (blur ${blurPx} px)`)
  }
  await screen.close()
})
