// Browser: the officer previews a draft notice through htmx (under the CSP) and publishes it as a new hashed version.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser } from 'playwright-core'
import { startTestServer, launchBrowser, adminPassword } from '../helpers/browser.ts'
import WebSocket from 'ws'
import type { DomainEvent } from '../../server/events.ts'
import { issuePairingToken, pairStation } from '../../server/stations.ts'
import { stationSocketPath, type ServerMessage } from '../../server/station-protocol.ts'
import { listStations } from '../../models/offices.ts'
import type { AppDeps } from '../../server/context.ts'

let server: Awaited<ReturnType<typeof startTestServer>>
let browser: Browser

before(async () => {
  server = await startTestServer()
  browser = await launchBrowser()
})
after(async () => {
  await browser?.close()
  await server?.close()
})

// a paired kiosk's socket, resolving with the first `notice` message it is sent
async function kioskSocket() {
  const deps = server.deps as AppDeps
  const kiosk = (await listStations(deps.database.db, server.seeded!.officeId)).find(
    (s) => s.kind === 'kiosk',
  )!
  const paired = await pairStation(deps, await issuePairingToken(deps, kiosk.id))
  assert.ok(paired.ok)
  const ws = new WebSocket(server.base.replace('http', 'ws') + stationSocketPath)
  const messages: ServerMessage[] = []
  let onMessage = () => {}
  ws.on('message', (data) => {
    messages.push(JSON.parse(String(data)) as ServerMessage)
    onMessage()
  })
  await new Promise((resolve) => ws.on('open', resolve))
  ws.send(JSON.stringify({ type: 'hello', token: paired.stationToken }))
  const until = (type: string) =>
    new Promise<ServerMessage>((resolve) => {
      onMessage = () => {
        const found = messages.find((m) => m.type === type)
        if (found) resolve(found)
      }
      onMessage()
    })
  await until('welcome')
  return { ws, until }
}

test('preview shows the draft as a visitor sees it; publishing shows the new version and reaches an open kiosk within 2 s', async () => {
  const published: DomainEvent[] = []
  ;(server.deps as AppDeps).events!.on((e) => void (e.type === 'notice.published' && published.push(e)))
  const page = await browser.newPage({ locale: 'en-US' })
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(String(e)))
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
  await page.goto(`${server.base}/login?next=/privacy/notices%3Fnotice%3Den`)
  await page.fill('input[name=username]', 'admin')
  await page.fill('input[name=password]', adminPassword)
  await page.click('button[type=submit]')
  await page.waitForURL(/\/privacy\/notices/)
  const oldHash = await page.textContent('#notice-sha256')
  const kiosk = await kioskSocket()

  await page.fill('textarea[name=purpose]', 'Only to count dwell at the sand table.')
  await page.click('#notice-form button[type=button]')
  await page.waitForFunction(() =>
    document
      .querySelector('#notice-preview')
      ?.textContent?.includes('Only to count dwell at the sand table.'),
  )
  // the preview did not publish anything
  assert.equal(await page.textContent('#notice-sha256'), oldHash)

  const pushed = kiosk.until('notice')
  await page.click('#notice-publish')
  const clicked = Date.now()
  await page.waitForFunction((old) => document.querySelector('#notice-sha256')?.textContent !== old, oldHash)
  const newHash = (await page.textContent('#notice-sha256'))!.trim()
  assert.match(newHash, /^[0-9a-f]{64}$/)
  assert.match((await page.textContent('#notice-current'))!, /v2/)
  assert.equal(published.length, 1)
  // an open kiosk is told the new version within 2 s of the click
  const deadline = new Promise<null>((resolve) => setTimeout(resolve, 2000, null).unref())
  const notice = await Promise.race([pushed, deadline])
  assert.ok(notice && notice.type === 'notice', 'no notice push within 2 s')
  assert.equal(notice.sha256, newHash)
  assert.ok(Date.now() - clicked < 2000)
  kiosk.ws.close()
  assert.equal(published[0]!.type === 'notice.published' && published[0]!.lang, 'en')
  assert.deepEqual(errors, [])
  await page.close()
})
