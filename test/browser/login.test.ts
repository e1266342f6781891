// Browser: a staff member signs in through the real page and sees the dashboard shell; nothing leaves loopback.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser } from 'playwright-core'
import { startTestServer, launchBrowser, adminPassword } from '../helpers/browser.ts'

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

test('admin signs in and sees the dashboard shell, in English on request', async () => {
  const page = await browser.newPage({ locale: 'en-US' })
  const requested: string[] = []
  page.on('request', (r) => requested.push(r.url()))
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(String(e)))
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))

  await page.goto(`${server.base}/dashboard`)
  assert.match(page.url(), /\/login\?next=/)
  await page.fill('input[name=username]', 'admin')
  await page.fill('input[name=password]', adminPassword)
  await page.click('button[type=submit]')
  await page.waitForURL(/\/dashboard$/)
  assert.equal(await page.textContent('h1'), 'Today')
  assert.ok(await page.isVisible('#visit-list'))
  // htmx loaded from our own server, under the CSP
  assert.equal(await page.evaluate(() => typeof (window as unknown as { htmx?: unknown }).htmx), 'object')
  assert.deepEqual(errors, [])
  for (const url of requested) assert.ok(url.startsWith(server.base), `request left the origin: ${url}`)
  await page.close()
})

test('a wrong password shows a clear message on the page', async () => {
  const page = await browser.newPage({ locale: 'zh-CN' })
  await page.goto(`${server.base}/login`)
  await page.fill('input[name=username]', 'admin')
  await page.fill('input[name=password]', 'not-the-password')
  await page.click('button[type=submit]')
  assert.match((await page.textContent('#login-error')) ?? '', /用户名或密码不正确/)
  await page.close()
})
