// Browser: marketing changes report filters (htmx, URL kept), downloads the CSV, and it matches the table.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import type { Browser } from 'playwright-core'
import { startTestServer, launchBrowser } from '../helpers/browser.ts'
import { reportFixtures, craftedDataset, loneDay } from '../helpers/report-fixtures.ts'
import { rollupDays } from '../../models/rollups.ts'

let server: Awaited<ReturnType<typeof startTestServer>>
let browser: Browser
let liuName = ''

before(async () => {
  server = await startTestServer()
  const officeId = server.seeded!.officeId
  const fx = await reportFixtures(server.database, officeId)
  liuName = (await craftedDataset(fx)).liu.name
  // as the nightly job would have done for these past days
  await server.database.write((tx) => rollupDays({ tx, officeId, from: '2026-11-18', to: '2026-11-22' }))
  browser = await launchBrowser()
})
after(async () => {
  await browser?.close()
  await server?.close()
})

function parseCsv(text: string): string[][] {
  return text
    .split('\r\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => line.split(',').map((cell) => cell.replace(/^"(.*)"$/, '$1')))
}

test('filters update the results in place and the URL; the downloaded CSV matches the table', async () => {
  const context = await browser.newContext({ locale: 'en-US', acceptDownloads: true })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(String(e)))
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
  const requested: string[] = []
  page.on('request', (r) => requested.push(r.url()))

  const marketing = server.seeded!.demoAccounts.find((a) => a.role === 'marketing')!
  await page.goto(`${server.base}/reports?preset=custom&from=2026-11-18&to=2026-11-22&lang=en`)
  await page.fill('input[name=username]', marketing.username)
  await page.fill('input[name=password]', marketing.password)
  await page.click('button[type=submit]')
  await page.waitForURL(/\/reports\?/)
  assert.equal(await page.textContent('h1'), 'Reports')
  assert.equal(await page.inputValue('input[name=from]'), '2026-11-18')

  // htmx: a changed select swaps #report-results and pushes the filters into the URL
  const swapped = page.waitForResponse((r) => r.url().includes('split=channel'))
  await page.selectOption('select[name=split]', 'channel')
  await swapped
  await page.waitForURL(/split=channel/)
  await page.waitForSelector(`#report-table th:has-text("${liuName}")`)
  assert.match(page.url(), /from=2026-11-18/)
  assert.equal(await page.evaluate(() => performance.getEntriesByType('navigation').length), 1)

  const table = await page.$$eval('#report-table tr', (rows) =>
    rows.map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent!.trim())),
  )
  const liuCol = table[0]!.indexOf(liuName)
  assert.equal(table.find((r) => r[0] === loneDay)![liuCol], '<5')

  const downloading = page.waitForEvent('download')
  await page.click('#export-csv')
  const download = await downloading
  assert.equal(download.suggestedFilename(), 'showroom-stats_2026-11-18_2026-11-22.csv')
  const bytes = await readFile((await download.path())!)
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf])
  const csv = parseCsv(bytes.subarray(3).toString('utf8'))
  const header = table[0]!
  // every cell of the page's cross-tab (and its totals) equals the CSV's record for that period and column
  for (const row of table.slice(1)) {
    for (let c = 1; c < header.length; c++) {
      const record = csv.find((r) => r[0] === row[0] && r[1] === header[c])
      assert.ok(record, `CSV has ${row[0]} × ${header[c]}`)
      assert.equal(record[2], row[c], `${row[0]} × ${header[c]}`)
    }
  }
  assert.equal(csv.length - 1, (table.length - 1) * (header.length - 1))

  // another filter: group by week keeps working and stays in the URL
  await page.selectOption('select[name=group]', 'week')
  await page.waitForURL(/group=week/)
  await page.waitForSelector('#report-table th:has-text("Week of 2026-11-16")')

  assert.deepEqual(errors, [])
  for (const url of requested) assert.ok(url.startsWith(server.base), `request left the origin: ${url}`)
  await context.close()
})
