// Browser: two live dashboards see a phone check-in within a second, "next" from both assigns once, reconnect re-syncs.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { desc, eq } from 'drizzle-orm'
import type { Browser, Page } from 'playwright-core'
import { startTestServer, launchBrowser, actionTimeoutMs, openDashboardAs } from '../helpers/browser.ts'
import { addVisit, putOnDuty } from '../helpers/dashboard-fixtures.ts'
import { issueEntranceCode } from '../../models/entrance-codes.ts'
import { visits } from '../../models/visits.ts'
import { topics } from '../../server/live.ts'

let server: Awaited<ReturnType<typeof startTestServer>>
let browser: Browser
let pages: Page[] = []
const errors: string[] = []
const phoneSize = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }

before(async () => {
  server = await startTestServer()
  browser = await launchBrowser()
  await putOnDuty(server.database, ['sales', 'sales2'])
  for (const username of ['sales', 'sales2']) pages.push(await openDashboard(username))
})
after(async () => {
  await browser?.close()
  await server?.close()
})

const officeId = () => server.seeded!.officeId

async function openDashboard(username: string) {
  const page = await openDashboardAs(browser, server, username, { errors })
  // record every connection state the page goes through
  await page.evaluate(() => {
    const live = document.getElementById('dashboard-live')!
    const seen: string[] = ((window as unknown as { states: string[] }).states = [])
    new MutationObserver(() => seen.push(live.dataset.state ?? '')).observe(live, {
      attributes: true,
      attributeFilter: ['data-state'],
    })
  })
  return page
}

// a visitor's phone scans the entrance QR (a freshly signed entrance token) and checks in on the real page
async function checkInOnPhone(phone: string) {
  const entrance = server.seeded!.stations.find((s) => s.kind === 'entrance')!
  // the short code the entrance screen shows, as its socket would be given it
  const { id: token } = await server.database.write((tx) =>
    issueEntranceCode(tx, {
      officeId: officeId(),
      stationId: entrance.id,
      now: Date.now(),
      lifetimeMs: 60_000,
    }),
  )
  const context = await browser.newContext({ ...phoneSize, locale: 'zh-CN' })
  const page = await context.newPage()
  await page.goto(`${server.base}/checkin?t=${token}`)
  await page.fill('input[name=phone]', phone)
  return {
    submit: async () => {
      await page.click('#checkin-form button[type=submit]')
      await page.waitForURL(/\/pass$/)
    },
    close: () => context.close(),
  }
}

test('a check-in from a phone appears in both open dashboards within 1 s, with no polling', async () => {
  const requests: string[] = []
  for (const page of pages) page.on('request', (r) => requests.push(r.url()))
  // the first arrival replaces the empty list; the second comes as a single new row
  for (const [n, number] of [
    [1, '13800000001'],
    [2, '13800000002'],
  ] as const) {
    const phone = await checkInOnPhone(number)
    const started = Date.now()
    const submitted = phone.submit()
    await Promise.all(
      pages.map((page) =>
        page.waitForFunction((n) => document.querySelectorAll('#visit-rows tr').length === n, n, {
          timeout: 1000,
        }),
      ),
    )
    const elapsed = Date.now() - started
    assert.ok(elapsed < 1000, `took ${elapsed} ms`)
    await submitted
    await phone.close()
    const [newest] = await server.database.db
      .select()
      .from(visits)
      .where(eq(visits.officeId, officeId()))
      .orderBy(desc(visits.checkedInAt))
      .limit(1)
    for (const page of pages) {
      assert.equal(
        await page.getAttribute('#visit-rows tr:first-child', 'data-visit'),
        newest!.id,
        'newest first',
      )
      assert.equal(await page.textContent('#visit-rows tr:first-child .phone'), `138****000${n}`)
      assert.equal(await page.textContent('[data-counter="visits"] dd'), String(n))
      assert.equal(await page.getAttribute('[data-waiting]', 'data-waiting'), String(n))
      assert.doesNotMatch(await page.content(), new RegExp(number))
    }
  }
  assert.deepEqual(requests, [], 'the update came over the socket, not by a request')
})

test('"next" pressed on both dashboards at once assigns the visitor once', async () => {
  const responses = pages.map((page) =>
    page.waitForResponse((r) => r.url().endsWith('/dashboard/queue/next')),
  )
  const clicked = await Promise.all(
    pages.map((page) =>
      page.evaluate(() => {
        const button = document.querySelector<HTMLButtonElement>('button.next')
        button?.click()
        return Boolean(button)
      }),
    ),
  )
  assert.deepEqual(clicked, [true, true])
  // both pages settle on the same state: one still waiting
  await Promise.all(pages.map((page) => page.waitForSelector('[data-waiting="1"]')))
  const statuses = (await Promise.all(responses)).map((r) => r.status())
  assert.deepEqual(statuses.sort(), [200, 409])
  const rows = await server.database.db.select().from(visits).where(eq(visits.officeId, officeId()))
  const assigned = rows.filter((r) => r.status === 'with-consultant')
  assert.equal(assigned.length, 1)
  // the assigned row changed in place on both pages: still two rows, one now with its consultant
  for (const page of pages) {
    await page.waitForSelector(`tr[data-visit="${assigned[0]!.id}"][data-status="with-consultant"]`, {
      timeout: 5000,
    })
    assert.equal(await page.$$eval('#visit-rows tr', (r) => r.length), 2)
  }
  // the page that lost the race says so, and keeps saying so after the winner's push arrives
  await Promise.race(
    pages.map((page) => page.waitForSelector('[data-conflict]', { timeout: actionTimeoutMs })),
  )
  await Promise.all(pages.map((page) => page.waitForSelector('[data-waiting="1"]')))
  const conflicts = await Promise.all(pages.map((page) => page.$('[data-conflict]')))
  assert.equal(conflicts.filter(Boolean).length, 1)
})

test('a dropped socket shows "reconnecting", then reconnects and re-syncs what it missed', async () => {
  const [page] = pages
  // a server restart closes every dashboard; a visit arrives while they are away and nobody announces it
  server.live.closeTopic(topics.dashboard(officeId()), 1001, 'going away')
  const missed = await addVisit(server.database, server.deps.keys, { officeId: officeId(), at: Date.now() })
  await page!.waitForSelector(`tr[data-visit="${missed}"]`, { timeout: 10_000 })
  await page!.waitForSelector('#dashboard-live[data-state="open"]')
  const states = await page!.evaluate(() => (window as unknown as { states: string[] }).states)
  assert.ok(states.includes('lost'), `states: ${states.join(',')}`)
  assert.equal(await page!.textContent('[data-counter="visits"] dd'), '3')
  assert.deepEqual(errors, [])
})
