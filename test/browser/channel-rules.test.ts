// Browser: 判客 without faces — a broker brings a client (valid), a later broker's registration is invalid with the
// reason, an appeal is overturned by the manager, and both brokers see the outcome.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, Page } from 'playwright-core'
import { startTestServer, launchBrowser } from '../helpers/browser.ts'
import { issueEntranceCode } from '../../models/entrance-codes.ts'

let server: Awaited<ReturnType<typeof startTestServer>>
let browser: Browser
const phoneSize = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'en-US' }
const clientPhone = '13311112222'

before(async () => {
  server = await startTestServer()
  browser = await launchBrowser()
})
after(async () => {
  await browser?.close()
  await server?.close()
})

const passwordOf = (username: string) =>
  server.seeded!.demoAccounts.find((a) => a.username === username)!.password

async function signIn(username: string): Promise<Page> {
  const page = await (await browser.newContext(phoneSize)).newPage()
  await page.goto(`${server.base}/login`)
  await page.fill('input[name=username]', username)
  await page.fill('input[name=password]', passwordOf(username))
  await page.click('button[type=submit]')
  await page.waitForURL((url) => !url.pathname.startsWith('/login'))
  return page
}

async function entranceUrl() {
  const entrance = server.seeded!.stations.find((s) => s.kind === 'entrance')!
  // the short code the entrance screen shows, as its socket would be given it
  const { id: token } = await server.database.write((tx) =>
    issueEntranceCode(tx, {
      officeId: server.seeded!.officeId,
      stationId: entrance.id,
      now: Date.now(),
      lifetimeMs: 60_000,
    }),
  )
  return `${server.base}/checkin?t=${token}`
}

async function register(broker: Page, label: string) {
  await broker.goto(`${server.base}/agent`)
  await broker.fill('input[name=clientLabel]', label)
  await broker.fill('input[name=phone]', clientPhone)
  await broker.click('#referral-form button[type=submit]')
  await broker.waitForSelector('#referral-share')
  // the long referral link wraps: no sideways scrolling on a phone
  assert.ok(await broker.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1))
  return {
    link: (await broker.textContent('#referral-link'))!,
    status: await broker.getAttribute('#referral-share', 'data-status'),
    url: broker.url(),
  }
}

test('accompanied visit is valid; a later registration is invalid with the reason; appeal overturned; both see it', async () => {
  const chen = await signIn('broker1')
  const first = await register(chen, 'Mr Wang')
  assert.equal(first.status, 'pending')

  // the client opens the link and checks in; the broker, at the entrance, confirms being there (到访确认)
  const client = await (await browser.newContext(phoneSize)).newPage()
  await client.goto(first.link)
  await client.goto(await entranceUrl())
  await client.fill('input[name=phone]', clientPhone)
  await client.click('#checkin-form button[type=submit]')
  await client.waitForURL(/\/pass$/)
  await chen.goto(await entranceUrl())
  await chen.click('#broker-scan button[type=submit]')
  await chen.waitForSelector('#present-done')
  await chen.goto(`${server.base}/agent`)
  assert.equal(await chen.getAttribute('#referral-list tbody tr', 'data-status'), 'arrived')

  // a second broker registers the same phone later: invalid, with who and when
  const liu = await signIn('broker2')
  const second = await register(liu, 'Wang')
  assert.equal(second.status, 'invalid')
  assert.match((await liu.textContent('#referral-share'))!, /invalid: already registered by 陈经纪 Chen on /)

  // appeal → manager sees the evidence and overturns
  await liu.fill('#appeal-form textarea[name=reason]', 'I showed this client the model unit last week')
  await liu.click('#appeal-form button[type=submit]')
  await liu.waitForSelector('#appeal-status[data-decision="open"]')
  const manager = await signIn('manager')
  await manager.goto(`${server.base}/rules/appeals`)
  await manager.click('#appeal-list tbody a')
  await manager.waitForSelector('#evidence')
  assert.match((await manager.textContent('#evidence'))!, /registered.*arrival/s)
  await manager.fill('#decide-form textarea[name=reason]', 'Desk log shows the earlier viewing')
  await manager.click('#decide-overturn')
  await manager.waitForSelector('#appeal[data-decision="overturned"]')

  await liu.goto(second.url)
  assert.equal(await liu.getAttribute('#appeal-status', 'data-decision'), 'overturned')
  assert.equal(await liu.getAttribute('#referral-share', 'data-status'), 'arrived')
  await chen.goto(`${server.base}/agent`)
  assert.equal(await chen.getAttribute('#referral-list tbody tr', 'data-status'), 'invalid')
  assert.match(
    (await chen.textContent('#referral-list'))!,
    /Overturned after another broker’s successful appeal/,
  )
})
