// Browser: a kiosk opened over plain http from a name that is not localhost (showroom.test, mapped to loopback inside
// Chromium) is no secure context: it says in zh-CN and English that HTTPS is needed, offers no consent, and reports
// "insecure" over its socket, which the admin's station list shows with "last seen".
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import type { Browser } from 'playwright-core'
import { startTestServer, launchBrowser, adminPassword } from '../helpers/browser.ts'
import { freePort } from '../helpers/runtime.ts'
import { pairScreen, waitForStation } from '../helpers/station-page.ts'
import { stations } from '../../models/offices.ts'

let server: Awaited<ReturnType<typeof startTestServer>>
let browser: Browser
let origin: string

before(async () => {
  const port = await freePort()
  origin = `http://showroom.test:${port}`
  server = await startTestServer({ PORT: String(port), PUBLIC_URL: origin })
  // a fake camera is there: only the missing secure context keeps the page from it
  browser = await launchBrowser([
    '--host-resolver-rules=MAP showroom.test 127.0.0.1',
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
  ])
})
after(async () => {
  await browser?.close()
  await server?.close()
})

test('kiosk over plain http://showroom.test: HTTPS needed, in both languages, no consent offered, reported', async () => {
  const kiosk = server.seeded!.stations.find((s) => s.kind === 'kiosk')!
  const page = await pairScreen(browser, server.deps, origin, kiosk.id, 'kiosk')
  assert.equal(await page.evaluate(() => window.isSecureContext), false)
  await waitForStation(page, { problem: 'insecure', camera: 'insecure' })
  const problem = page.locator('#station-problem [data-problem="insecure"]')
  assert.ok(await problem.isVisible())
  const words = (await problem.textContent()) ?? ''
  assert.match(words, /需要 HTTPS/)
  assert.match(words, /HTTPS needed/)
  assert.match(words, /\/ca\.crt/)
  assert.equal(await page.locator('#consent-agree').isVisible(), false, 'no Agree button')
  assert.equal(await page.locator('#consent-agree').isDisabled(), true)
  // the mirror stays blank/blurred: no camera stream was ever opened
  assert.equal(
    await page.evaluate(() => document.getElementById('station-canvas')!.dataset.frames ?? '0'),
    '0',
  )

  // the socket reported it; the admin's list shows it with "last seen"
  const deadline = Date.now() + 60_000
  let state: string | null = null
  while (Date.now() < deadline) {
    const [row] = await server.database.db.select().from(stations).where(eq(stations.id, kiosk.id))
    state = row?.lastState ?? null
    if (state && JSON.parse(state).camera === 'insecure') break
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  assert.equal(JSON.parse(state!).camera, 'insecure')
  assert.equal(JSON.parse(state!).failClosed, true)
  const admin = await browser.newPage()
  await admin.goto(
    `${origin}/login?next=${encodeURIComponent(`/admin?office=${server.seeded!.officeId}&lang=en`)}`,
  )
  await admin.fill('input[name=username]', 'admin')
  await admin.fill('input[name=password]', adminPassword)
  await admin.click('form button[type=submit]')
  await admin.waitForURL(/\/admin\?/)
  const list = await admin.content()
  assert.match(list, /data-camera="insecure">not HTTPS: no camera/)
  assert.match(list, /Last seen/)
  await page.close()
})
