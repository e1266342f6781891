// Consent: notice shown, separate choice, receipt tied to the notice hash, one-step withdraw that deletes camera data.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import { makeTestApp, Client } from '../helpers/app.ts'
import { checkIn } from '../helpers/visitor.ts'
import { consents, cameraSessions, notices } from '../../models/consents.ts'
import { stations } from '../../models/offices.ts'
import { visits } from '../../models/visits.ts'
import { auditLog } from '../../models/audit.ts'
import type { DomainEvent } from '../../server/events.ts'

async function consentedVisitor(t: Awaited<ReturnType<typeof makeTestApp>>) {
  const phone = await checkIn(t)
  const page = await (await phone.get('/consent')).text()
  const noticeId = /name="notice" value="([^"]+)"/.exec(page)![1]!
  const res = await phone.post('/consent', { choice: 'agree', notice: noticeId })
  assert.equal(res.status, 303)
  return { phone, receiptPath: res.headers.get('location')! }
}

test('the choice page shows every notice element and two equal buttons, nothing pre-selected', async () => {
  const t = await makeTestApp()
  const phone = await checkIn(t)
  const html = await (await phone.get('/consent')).text()
  for (const label of [
    '处理目的',
    '处理方式',
    '个人信息种类',
    '保存期限',
    '个人信息处理者',
    '联系方式',
    '您的权利及行使方式',
  ]) {
    assert.match(html, new RegExp(label))
  }
  const buttons = [...html.matchAll(/<button type="submit" name="choice" value="(\w+)" class="([^"]+)"/g)]
  assert.deepEqual(
    buttons.map((b) => b[1]),
    ['agree', 'decline'],
  )
  assert.equal(buttons[0]![2], buttons[1]![2], 'both choices look the same')
  assert.doesNotMatch(html, /checked|autofocus/)
})

test('without a visit pass there is no consent to give, only a pointer to check in', async () => {
  const t = await makeTestApp()
  const res = await new Client(t.app).get('/consent')
  assert.equal(res.status, 401)
})

test('agreeing stores the sha256 of the exact notice shown and gives a signed receipt', async () => {
  const t = await makeTestApp()
  const { phone, receiptPath } = await consentedVisitor(t)
  const [consent] = await t.database.db.select().from(consents)
  const [notice] = await t.database.db.select().from(notices).where(eq(notices.id, consent!.noticeId))
  assert.equal(consent!.noticeSha256, notice!.sha256)
  const receipt = await (await phone.get(receiptPath)).text()
  assert.match(receipt, new RegExp(consent!.id))
  assert.match(receipt, new RegExp(notice!.sha256))
  assert.match(receipt, /id="withdraw"/)
  assert.equal(
    (await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'consent.granted'))).length,
    1,
  )
})

test('declining records nothing about the person but the audit line, and service is unchanged', async () => {
  const t = await makeTestApp()
  const phone = await checkIn(t)
  const page = await (await phone.get('/consent')).text()
  const noticeId = /name="notice" value="([^"]+)"/.exec(page)![1]!
  const res = await phone.post('/consent', { choice: 'decline', notice: noticeId })
  assert.equal(res.status, 200)
  assert.match(await res.text(), /id="consent-declined"/)
  assert.equal((await t.database.db.select().from(consents)).length, 0)
  assert.equal((await phone.get('/pass')).status, 200)
})

test('a consent for another office’s notice or a made-up notice is refused', async () => {
  const t = await makeTestApp()
  const phone = await checkIn(t)
  const res = await phone.post('/consent', { choice: 'agree', notice: 'made-up' })
  assert.equal(res.status, 400)
  assert.equal((await t.database.db.select().from(consents)).length, 0)
})

test('withdrawing from the receipt is one step: consent ends, camera sessions are deleted, stations are told', async () => {
  const t = await makeTestApp()
  const { phone, receiptPath } = await consentedVisitor(t)
  const [consent] = await t.database.db.select().from(consents)
  const [station] = await t.database.db.select().from(stations).where(eq(stations.kind, 'display'))
  await t.database.db.insert(cameraSessions).values({
    id: 'session-1',
    officeId: consent!.officeId,
    stationId: station!.id,
    consentId: consent!.id,
    visitId: consent!.visitId,
    startedAt: t.clock.now(),
    dwellMs: 12_000,
    attentionMs: 8000,
    lastEventAt: t.clock.now(),
  })
  const seen: DomainEvent[] = []
  t.deps.events.on((e) => void seen.push(e))
  const res = await phone.post(`${receiptPath}/withdraw`)
  assert.equal(res.status, 200)
  assert.match(await res.text(), /id="withdraw-done"/)
  const [after] = await t.database.db.select().from(consents)
  assert.equal(after!.withdrawnAt, t.clock.now())
  assert.equal((await t.database.db.select().from(cameraSessions)).length, 0, 'rows gone, not flagged')
  await new Promise((resolve) => setImmediate(resolve))
  assert.ok(seen.some((e) => e.type === 'consent.changed' && !e.granted && e.consentId === consent!.id))
  // withdrawing twice changes nothing more
  await phone.post(`${receiptPath}/withdraw`)
  assert.equal(
    (await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'consent.withdrawn'))).length,
    1,
  )
})

test('a forged or wrong-type receipt token is refused and changes nothing', async () => {
  const t = await makeTestApp()
  const { phone, receiptPath } = await consentedVisitor(t)
  const token = receiptPath.split('/').pop()!
  const [h, p] = token.split('.')
  const forged = `${h}.${p}.${'B'.repeat(86)}`
  assert.equal((await phone.get(`/receipt/${forged}`)).status, 400)
  assert.equal((await phone.post(`/receipt/${forged}/withdraw`)).status, 400)
  const [consent] = await t.database.db.select().from(consents)
  assert.equal(consent!.withdrawnAt, null)
})

test('my data: shows what is held, downloads it, and delete removes personal rows for real', async () => {
  const t = await makeTestApp()
  const phone = await checkIn(t, { phone: '13600001234' })
  const me = await (await phone.get('/me')).text()
  assert.match(me, /136\*\*\*\*1234/)
  const download = await phone.get('/me/data.json')
  assert.equal(download.status, 200)
  assert.equal((await download.json()).phoneMasked, '136****1234')
  const res = await phone.post('/me/delete')
  assert.equal(res.status, 200)
  const [visit] = await t.database.db.select().from(visits)
  assert.equal(visit!.visitorId, null, 'the visit remains as an anonymous count')
  const dump = JSON.stringify(await t.database.client.execute('SELECT * FROM visitors'))
  assert.doesNotMatch(dump, /1234/)
  assert.equal((await phone.get('/me')).status, 401, 'the pass is gone too')
})
