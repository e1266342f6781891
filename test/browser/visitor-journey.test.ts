// Browser: a visitor on a phone-sized screen checks in from the entrance QR, consents, keeps a receipt, withdraws;
// a broker registers a client and sees them arrive. The phone number never lands in the database file in clear.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { readFile, readdir } from 'node:fs/promises'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { startTestServer, launchBrowser } from '../helpers/browser.ts'
import { issuePairingToken } from '../../server/stations.ts'

let server: Awaited<ReturnType<typeof startTestServer>>
let browser: Browser
const phoneSize = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }
const testPhone = '13987654321'

before(async () => {
  server = await startTestServer()
  browser = await launchBrowser()
})
after(async () => {
  await browser?.close()
  await server?.close()
})

// opens the entrance screen, pairs it, and returns the check-in URL its QR currently shows
async function entranceQrUrl(): Promise<{ screen: Page; url: string }> {
  const entrance = server.seeded!.stations.find((s) => s.kind === 'entrance')!
  const screen = await browser.newPage({ viewport: { width: 1280, height: 720 } })
  await screen.goto(`${server.base}/pair/${await issuePairingToken(server.deps, entrance.id)}`)
  await screen.click('#pair-confirm')
  await screen.waitForURL(`${server.base}/entrance/${entrance.id}`)
  await screen.waitForSelector('#entrance-qr svg')
  const url = (await screen.getAttribute('#entrance-qr', 'data-url'))!
  return { screen, url }
}

test('visitor: entrance QR → check-in → consent → receipt → withdraw, on a phone', async () => {
  const { screen, url } = await entranceQrUrl()
  assert.ok(url.startsWith(`${server.base}/checkin?t=`))
  const context = await browser.newContext({ ...phoneSize, locale: 'zh-CN' })
  const phone = await context.newPage()
  const requests: string[] = []
  phone.on('request', (r) => requests.push(r.url()))
  await phone.goto(url)
  await phone.fill('input[name=phone]', testPhone)
  await phone.click('#checkin-form button[type=submit]')
  await phone.waitForURL(/\/pass$/)
  assert.ok(await phone.isVisible('#visit-pass svg'))
  // no horizontal scrolling on a phone
  assert.ok(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1))

  await phone.click('#consent-link')
  await phone.waitForSelector('#consent-agree')
  const [agree, decline] = await Promise.all([
    phone.locator('#consent-agree').boundingBox(),
    phone.locator('#consent-decline').boundingBox(),
  ])
  assert.ok(
    agree &&
      decline &&
      Math.abs(agree.width - decline.width) < 2 &&
      Math.abs(agree.height - decline.height) < 2,
    'equal prominence',
  )
  await phone.click('#consent-agree')
  await phone.waitForURL(/\/receipt\//)
  assert.equal(await phone.getAttribute('#receipt', 'data-status'), 'active')
  await phone.click('#withdraw')
  await phone.waitForSelector('#withdraw-done')
  assert.equal(await phone.getAttribute('#receipt', 'data-status'), 'withdrawn')
  for (const r of requests) assert.ok(r.startsWith(server.base), `left the origin: ${r}`)
  await context.close()
  await screen.close()
})

test('broker: sign in → 报备 → client checks in → broker sees arrived', async () => {
  const broker = await browser.newPage({ ...phoneSize, locale: 'zh-CN' })
  await broker.goto(`${server.base}/login`)
  const password = server.seeded!.demoAccounts.find((a) => a.username === 'broker1')!.password
  await broker.fill('input[name=username]', 'broker1')
  await broker.fill('input[name=password]', password)
  await broker.click('button[type=submit]')
  await broker.waitForURL(/\/agent$/)
  await broker.fill('input[name=clientLabel]', '王先生')
  await broker.click('#referral-form button[type=submit]')
  await broker.waitForSelector('#referral-link')
  const link = (await broker.textContent('#referral-link'))!

  const context = await browser.newContext({ ...phoneSize, locale: 'zh-CN' })
  const client = await context.newPage()
  await client.goto(link)
  await client.waitForSelector('#referral-landing')
  const { screen, url } = await entranceQrUrl()
  await client.goto(url)
  assert.match((await client.textContent('#checkin-broker')) ?? '', /陈经纪/)
  await client.click('#checkin-form button[type=submit]')
  await client.waitForURL(/\/pass$/)

  await broker.goto(`${server.base}/agent`)
  const status = await broker.getAttribute('#referral-list tbody tr', 'data-status')
  assert.equal(status, 'arrived')
  await context.close()
  await screen.close()
  await broker.close()
})

test('the phone number given at check-in is nowhere in the database files in clear', async () => {
  await server.database.client.execute('PRAGMA wal_checkpoint(TRUNCATE)')
  // every file under the data directory, its subfolders (content store) included
  const files = (await readdir(server.dataDir, { recursive: true, withFileTypes: true })).filter((e) =>
    e.isFile(),
  )
  for (const name of files.map((e) => path.relative(server.dataDir, path.join(e.parentPath, e.name)))) {
    const bytes = await readFile(path.join(server.dataDir, name))
    assert.equal(bytes.includes(Buffer.from(testPhone)), false, `${name} holds the number`)
    assert.equal(
      bytes.includes(Buffer.from(testPhone, 'utf16le')),
      false,
      `${name} holds the number (utf-16)`,
    )
  }
})
