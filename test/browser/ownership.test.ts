// Browser: the owner's live dashboard badges their returning client (老客户 · 归属); another consultant's "Next"
// takes the walk-in behind them, not the owned client, while the owner is on duty; "to their consultant" does.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import type { Browser } from 'playwright-core'
import { startTestServer, launchBrowser, actionTimeoutMs, openDashboardAs } from '../helpers/browser.ts'
import { addVisit, putOnDuty } from '../helpers/dashboard-fixtures.ts'
import { waitUntil } from '../helpers/runtime.ts'
import { visits, visitors } from '../../models/visits.ts'
import { clientOwners } from '../../models/ownership.ts'
import { offices } from '../../models/offices.ts'
import { newId } from '../../models/ids.ts'
import { localDay } from '../../models/time.ts'
import type { AppDeps } from '../../server/context.ts'

let server: Awaited<ReturnType<typeof startTestServer>>
let browser: Browser
const errors: string[] = []

before(async () => {
  server = await startTestServer()
  browser = await launchBrowser()
})
after(async () => {
  await browser?.close()
  await server?.close()
})

const openDashboard = (username: string, viewport?: { width: number; height: number }) =>
  openDashboardAs(browser, server, username, { errors, viewport })

// Zhang served this client four days ago and owns them; today they are back and waiting
async function returningClientOf(zhang: string) {
  const officeId = server.seeded!.officeId
  const [office] = await server.database.db.select().from(offices).where(eq(offices.id, officeId))
  const now = Date.now()
  const then = now - 4 * 86_400_000
  const visitorId = newId()
  const earlier = newId()
  const today = newId()
  await server.database.write(async (tx) => {
    await tx.insert(visitors).values({ id: visitorId, officeId, createdAt: then })
    await tx.insert(visits).values({
      id: earlier,
      officeId,
      visitorId,
      day: localDay(then, office!.timeZone),
      checkedInAt: then,
      checkedOutAt: then + 1800_000,
      firstVisit: true,
      status: 'left',
      consultantId: zhang,
      assignedAt: then + 60_000,
    })
    await tx.insert(clientOwners).values({
      id: newId(),
      officeId,
      visitorId,
      consultantId: zhang,
      visitId: earlier,
      source: 'first-visit',
      startedAt: then + 60_000,
      endsAt: then + 90 * 86_400_000,
      ruleVersion: 0,
    })
    await tx.insert(visits).values({
      id: today,
      officeId,
      visitorId,
      day: localDay(now - 60_000, office!.timeZone),
      checkedInAt: now - 60_000,
      firstVisit: false,
    })
  })
  events().emit({ type: 'visit.checked-in', officeId, visitId: today })
  return today
}

// createApp gave the server its event bus
const events = () => (server.deps as AppDeps).events!

const status = async (id: string) =>
  (await server.database.db.select().from(visits).where(eq(visits.id, id)))[0]!

test('the owner sees the badge; "Next" from another consultant skips the owned client; the owner receives them', async () => {
  const [zhang, li] = await putOnDuty(server.database, ['sales', 'sales2'])
  const owner = await openDashboard('sales')
  const other = await openDashboard('sales2', { width: 390, height: 844 })
  const owned = await returningClientOf(zhang!)
  const walkIn = await addVisit(server.database, server.deps.keys, {
    officeId: server.seeded!.officeId,
    at: Date.now() - 30_000,
  })
  events().emit({ type: 'visit.checked-in', officeId: server.seeded!.officeId, visitId: walkIn })

  const badge = `#visit-row-${owned} .badge.owned`
  await owner.waitForSelector(badge, { timeout: actionTimeoutMs })
  assert.equal((await owner.textContent(badge))?.trim(), 'returning · owned by 张顾问 Zhang (sales)')
  await owner.waitForSelector(`#for-owners li[data-visit="${owned}"][data-route="owner"]`)
  await other.waitForSelector(`#for-owners li[data-visit="${owned}"]`, { timeout: actionTimeoutMs })

  // Li's "Next": the head of the rotation is the walk-in who came after, not Zhang's client
  assert.equal(
    await other.getAttribute('#queue form[action="/dashboard/queue/next"] input[name=visitId]', 'value'),
    walkIn,
  )
  await other.click('#queue button.next')
  await waitUntil(async () => (await status(walkIn)).status === 'with-consultant', {
    what: 'the walk-in assigned',
  })
  assert.equal((await status(owned)).status, 'waiting', 'the owned client still waits for the owner')
  assert.equal((await status(owned)).consultantId, null)
  await owner.waitForSelector(`#visit-row-${walkIn}[data-status="with-consultant"]`, {
    timeout: actionTimeoutMs,
  })

  await owner.click(`#for-owners li[data-visit="${owned}"] button.to-owner`)
  await waitUntil(async () => (await status(owned)).consultantId === zhang, { what: 'the owner receiving' })
  await other.waitForSelector(`#visit-row-${owned}[data-status="with-consultant"]`, {
    timeout: actionTimeoutMs,
  })
  assert.notEqual((await status(walkIn)).consultantId, undefined)
  assert.ok([zhang, li].includes((await status(walkIn)).consultantId!))
  assert.deepEqual(errors, [])
})
