// Browser: a first start with SHOWROOM_DEMO=0 leads the admin to the office settings; no screen shows placeholder
// text meanwhile, and the entrance screen shows the saved processor and contact at once, without a reload.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, Page } from 'playwright-core'
import { startTestServer, launchBrowser, adminPassword, actionTimeoutMs } from '../helpers/browser.ts'
import { issuePairingToken } from '../../server/stations.ts'
import { createStation, getOffice } from '../../models/offices.ts'
import { currentNotice } from '../../models/consents.ts'

let server: Awaited<ReturnType<typeof startTestServer>>
let browser: Browser

before(async () => {
  server = await startTestServer({ SHOWROOM_DEMO: '0' })
  browser = await launchBrowser()
})
after(async () => {
  await browser?.close()
  await server?.close()
})

async function fillSettings(page: Page, fields: Record<string, string>) {
  for (const [name, value] of Object.entries(fields))
    await page.fill(`#office-settings [name=${name}]`, value)
  await page.click('#save-settings')
  await page.waitForSelector('#settings-saved')
}

test('SHOWROOM_DEMO=0: the admin fills the office settings first; the entrance screen follows without a reload', async () => {
  const officeId = server.seeded!.officeId
  const admin = await browser.newPage({ locale: 'en-US' })
  await admin.goto(`${server.base}/login`)
  await admin.fill('input[name=username]', 'admin')
  await admin.fill('input[name=password]', adminPassword)
  await admin.click('button[type=submit]')
  // signing in lands on the settings page, not the dashboard
  await admin.waitForURL(/\/admin\/office\?office=/)
  await admin.waitForSelector('#first-start')
  // so does opening the admin page directly, until the settings are saved
  await admin.goto(`${server.base}/admin`)
  await admin.waitForURL(/\/admin\/office\?office=/)

  // a screen paired before the settings are filled shows no placeholder, only "being set up"
  const entranceId = await server.deps.database.write((tx) =>
    createStation({ tx, input: { officeId, kind: 'entrance', name: 'Entrance' }, now: Date.now() }),
  )
  const screen = await browser.newPage({ viewport: { width: 1280, height: 720 } })
  await screen.goto(`${server.base}/pair/${await issuePairingToken(server.deps, entranceId)}`)
  await screen.click('#pair-confirm')
  await screen.waitForURL(`${server.base}/entrance/${entranceId}`)
  await screen.waitForSelector('#entrance-qr svg', { timeout: actionTimeoutMs })
  const body = await screen.textContent('body')
  assert.doesNotMatch(body!, /请在隐私设置|请填写联系方式|我的售楼处/)
  assert.equal(await screen.isVisible('#entrance-setting-up'), true)
  await screen.evaluate(() => ((window as unknown as { loadedOnce: boolean }).loadedOnce = true))

  // a bad time zone is refused and changes nothing
  await admin.fill('#office-settings [name=timeZone]', 'Mars/Olympus_Mons')
  await admin.fill('#office-settings [name=processorName]', 'Should Not Stick Ltd.')
  await admin.fill('#office-settings [name=privacyContact]', 'nobody@example.com')
  await admin.click('#save-settings')
  await admin.waitForSelector('#settings-errors')
  assert.equal((await getOffice(server.deps.database.db, officeId))!.needsSetup, true)

  await fillSettings(admin, {
    name: '滨江壹号售楼处',
    nameEn: 'Riverside One sales office',
    developerName: '滨江置业',
    developerNameEn: 'Riverside Properties',
    timeZone: 'Asia/Shanghai',
    processorName: '滨江置业有限公司',
    privacyContact: 'privacy@riverside.example',
    address: '滨江大道 1 号',
  })
  await screen.waitForFunction(
    () =>
      document.querySelector('#entrance-contact')?.textContent ===
      '滨江置业有限公司 · privacy@riverside.example',
    null,
    { timeout: actionTimeoutMs },
  )
  assert.equal(await screen.isVisible('#entrance-setting-up'), false)
  assert.match(
    (await screen.textContent('#entrance-office-name'))!,
    /^(滨江壹号售楼处|Riverside One sales office)$/,
  )
  assert.equal(await screen.textContent('#entrance-address'), '滨江大道 1 号')
  assert.ok((await screen.textContent('#entrance-short-notice'))!.length > 10, 'the short notice is shown')

  // the admin page opens now; a later change of processor and contact reaches the screen the same way
  await admin.goto(`${server.base}/admin`)
  await admin.waitForSelector('#office-settings-link')
  await admin.click('#office-settings-link')
  await fillSettings(admin, {
    processorName: '滨江置业（上海）有限公司',
    privacyContact: '400-123-4567',
  })
  await screen.waitForFunction(
    () =>
      document.querySelector('#entrance-contact')?.textContent === '滨江置业（上海）有限公司 · 400-123-4567',
    null,
    { timeout: actionTimeoutMs },
  )
  assert.equal(
    await screen.evaluate(() => (window as unknown as { loadedOnce?: boolean }).loadedOnce),
    true,
    'the entrance page was updated in place, not reloaded',
  )
  // the notice the kiosk and /notice show names the new processor, as a new version
  const notice = await currentNotice(server.deps.database.db, officeId, 'zh-CN')
  assert.equal(notice!.body.processorName, '滨江置业（上海）有限公司')
  assert.equal(notice!.body.processorContact, '400-123-4567')
  assert.equal(notice!.version, 3)
})
