// Browser: a fresh start with the demo's two months of history shows every role a working product; demo:live's
// arrivals reach an open dashboard without a reload; on a 390×844 phone the dashboard fits and "next" is at hand.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, BrowserContextOptions, Page } from 'playwright-core'
import { startTestServer, launchBrowser, adminPassword } from '../helpers/browser.ts'
import { startChild } from '../helpers/runtime.ts'

let server: Awaited<ReturnType<typeof startTestServer>>
let browser: Browser
const errors: string[] = []
const phoneSize = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }

before(async () => {
  server = await startTestServer({ SHOWROOM_DEMO_HISTORY: '1' })
  browser = await launchBrowser()
})
after(async () => {
  await browser?.close()
  await server?.close()
})

async function signedIn(username: string, path: string, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-US', ...options })
  const page = await context.newPage()
  page.on('pageerror', (e) => errors.push(String(e)))
  await page.goto(`${server.base}/login?next=${encodeURIComponent(path)}&lang=en`)
  await page.fill('input[name=username]', username)
  await page.fill(
    'input[name=password]',
    username === 'admin'
      ? adminPassword
      : server.seeded!.demoAccounts.find((a) => a.username === username)!.password,
  )
  await page.click('button[type=submit]')
  await page.waitForURL((url) => url.pathname === path.split('?')[0])
  return page
}

const weekday = (day: string) => new Date(`${day}T12:00:00Z`).getUTCDay()

test('marketing: the default 30-day report shows totals of 5 and more (no "<5") and a weekly rhythm', async () => {
  const page = await signedIn('marketing', '/reports')
  assert.ok(await page.isVisible('#demo-mark'), 'the page says it is demo data')
  const summary = await page.$$eval('.report-summary dd', (cells) => cells.map((c) => c.textContent!.trim()))
  assert.ok(summary.length > 0)
  assert.ok(
    !summary.some((v) => v.includes('<')),
    `no suppressed figure in the summary: ${summary.join(' | ')}`,
  )
  const visits = Number(await page.textContent('.report-summary dd[data-metric="visits"]'))
  assert.ok(visits >= 5 * 30, `visits over 30 days: ${visits}`)
  // the chart has a bar a day, and weekends stand out from weekdays
  const rows = await page.$$eval('#report-table tbody tr', (trs) =>
    trs.map((tr) => [
      tr.querySelector('th')!.textContent!.trim(),
      tr.querySelector('td')!.textContent!.trim(),
    ]),
  )
  const days = rows
    .filter(([label]) => /^\d{4}-\d{2}-\d{2}$/.test(label!))
    .map(([d, v]) => [d!, Number(v)] as const)
  assert.ok(days.length >= 28)
  assert.ok((await page.$$('#report-period-chart .bar')).length >= 28, 'a bar per day')
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
  const weekend = mean(days.filter(([d]) => [0, 6].includes(weekday(d))).map(([, v]) => v))
  const weekdays = mean(days.filter(([d]) => ![0, 6].includes(weekday(d))).map(([, v]) => v))
  assert.ok(weekend >= 1.8 * weekdays, `weekends ${weekend.toFixed(1)} vs weekdays ${weekdays.toFixed(1)}`)
  await page.context().close()
})

test('sales: the hourly chart averages at least 4 past weeks, and "Next" assigns a waiting visitor', async () => {
  const page = await signedIn('sales', '/dashboard')
  await page.waitForSelector('#dashboard-live[data-state="open"]')
  const title = (await page.textContent('#chart-hourly-title'))!
  const weeks = Number(/\((\d+) weeks\)/.exec(title)?.[1])
  assert.ok(weeks >= 4, title)
  assert.ok(Number(await page.getAttribute('[data-waiting]', 'data-waiting')) >= 1, 'someone is waiting')
  const head = (await page.inputValue('form[action="/dashboard/queue/next"] input[name=visitId]'))!
  await page.click('button.next')
  await page.waitForSelector(`tr[data-visit="${head}"][data-status="with-consultant"]`)
  assert.equal(await page.evaluate(() => performance.getEntriesByType('navigation').length), 1)
  await page.context().close()
})

test('manager: the commission report and the appeals list have rows', async () => {
  const page = await signedIn('manager', '/rules/commission')
  assert.ok((await page.$$('#commission tbody tr')).length >= 3, 'brokers in the commission report')
  await page.goto(`${server.base}/rules/appeals`)
  const statuses = await page.$$eval('#appeal-list tbody tr td:last-child', (tds) =>
    tds.map((td) => td.textContent),
  )
  assert.ok(statuses.length >= 3, 'appeals filed')
  assert.ok(new Set(statuses).size >= 2, `open and decided appeals: ${statuses.join(', ')}`)
  await page.context().close()
})

test('privacy officer: the consent ledger and the purge history have rows', async () => {
  const page = await signedIn('privacy', '/privacy/consents')
  assert.ok((await page.$$('#ledger-by-day tbody tr')).length >= 5, 'consents by day')
  await page.goto(`${server.base}/privacy/purges`)
  assert.ok((await page.$$('#purge-runs tbody tr')).length >= 2, 'purge runs')
  await page.goto(`${server.base}/privacy/requests`)
  assert.match((await page.textContent('main'))!, /access|delete/i)
  await page.context().close()
})

test('npm run demo:live for 20 s: its arrivals appear on an open dashboard without a reload', async () => {
  const page = await signedIn('sales2', '/dashboard')
  await page.waitForSelector('#dashboard-live[data-state="open"]')
  const rowsBefore = (await page.$$('#visit-rows tr')).length
  const live = startChild(process.execPath, ['--import', 'tsx', 'scripts/demo-live.ts', '--seconds', '20'], {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATA_DIR: server.dataDir,
    SHOWROOM_URL: server.base,
    // a fixed stream whose first two arrivals are brokers' clients (the first right after the broker signs in)
    DEMO_LIVE_SEED: 'live-d',
  })
  const [, arrived] = await live.waitFor(/^(\d+) arrivals$/, 120_000)
  assert.equal(await live.exited, 0, live.output.join('\n'))
  const arrivals = Number(arrived)
  assert.ok(arrivals >= 3, live.output.join('\n'))
  assert.ok(
    live.output.some((line) => /broker/.test(line)),
    'some arrive with a referral',
  )
  await page.waitForFunction(
    (expected) => document.querySelectorAll('#visit-rows tr').length >= expected,
    rowsBefore + arrivals,
  )
  assert.equal(await page.evaluate(() => performance.getEntriesByType('navigation').length), 1, 'no reload')
  assert.ok(
    live.output.some((line) => /\b1[3-9]\d\*{4}\d{4}\b/.test(line)),
    'numbers shown masked as 138****1234',
  )
  await page.context().close()

  // a second run finds its entrance screen again by name; the office's own entrance screen was never paired
  const again = startChild(process.execPath, ['--import', 'tsx', 'scripts/demo-live.ts', '--seconds', '1'], {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATA_DIR: server.dataDir,
    SHOWROOM_URL: server.base,
  })
  await again.waitFor(/^(\d+) arrivals$/, 120_000)
  assert.equal(await again.exited, 0, again.output.join('\n'))
  const admin = await signedIn('admin', '/admin')
  const stations = await admin.$$eval('#station-list tbody tr', (rows) =>
    rows.map((tr) => ({
      name: tr.querySelector<HTMLInputElement>('input[name=name]')!.value,
      state: tr.querySelectorAll('td')[2]!.textContent!.trim(),
    })),
  )
  const entrances = stations.filter((s) => s.name === '演示模拟入口 demo:live entrance')
  assert.equal(entrances.length, 1, JSON.stringify(stations))
  assert.match(entrances[0]!.state, /^paired/)
  assert.match(stations.find((s) => s.name === '入口签到屏 Entrance')!.state, /^not paired/)
  await admin.context().close()
})

test('at 390×844 the dashboard fits the screen: arrivals as cards, "Next" within thumb reach', async () => {
  const page = await signedIn('sales', '/dashboard', phoneSize)
  await page.waitForSelector('#dashboard-live[data-state="open"]')
  const overflow = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth - window.innerWidth,
    wide: [...document.querySelectorAll('main *')]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
      .map((el) => `${el.tagName}.${el.className}`)
      .slice(0, 5),
  }))
  assert.equal(overflow.page, 0, `nothing wider than the screen: ${overflow.wide.join(', ')}`)
  assert.deepEqual(overflow.wide, [])
  const row = page.locator('#visit-rows tr').first()
  assert.equal(await row.evaluate((tr) => getComputedStyle(tr).display), 'grid', 'a row is a card')
  const time = await row.locator('td.time').boundingBox()
  assert.ok(time && time.height < 40, 'the time stays on one line')
  assert.ok(await row.locator('td.status .badge').isVisible(), 'the status is shown whole')
  const next = await page.locator('button.next').boundingBox()
  assert.ok(
    next && next.y + next.height <= 844 && next.y >= 844 - 140,
    `"Next" at the bottom edge: ${next?.y}`,
  )
  assert.deepEqual(errors, [])
  await page.context().close()
})
