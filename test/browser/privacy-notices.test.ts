// Browser: the officer previews a draft notice through htmx (under the CSP) and publishes it as a new hashed version.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser } from 'playwright-core'
import { startTestServer, launchBrowser, adminPassword } from '../helpers/browser.ts'
import type { DomainEvent } from '../../server/events.ts'
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

test('preview shows the draft as a visitor sees it; publishing shows the new version and announces it', async () => {
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

  await page.fill('textarea[name=purpose]', 'Only to count dwell at the sand table.')
  await page.click('#notice-form button[type=button]')
  await page.waitForFunction(() =>
    document
      .querySelector('#notice-preview')
      ?.textContent?.includes('Only to count dwell at the sand table.'),
  )
  // the preview did not publish anything
  assert.equal(await page.textContent('#notice-sha256'), oldHash)

  await page.click('#notice-publish')
  await page.waitForFunction((old) => document.querySelector('#notice-sha256')?.textContent !== old, oldHash)
  const newHash = (await page.textContent('#notice-sha256'))!.trim()
  assert.match(newHash, /^[0-9a-f]{64}$/)
  assert.match((await page.textContent('#notice-current'))!, /v2/)
  assert.equal(published.length, 1)
  assert.equal(published[0]!.type === 'notice.published' && published[0]!.lang, 'en')
  assert.deepEqual(errors, [])
  await page.close()
})
