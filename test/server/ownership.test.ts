// 客户归属 routes: ownership rules on /rules, the queue's "to the owner", conflicts decided on the evidence page,
// figures and their export, a consultant's own view, admin channels — and who is refused each.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import { makeTestApp, Client, type TestApp } from '../helpers/app.ts'
import { putOnDuty } from '../helpers/dashboard-fixtures.ts'
import { checkIn, entranceToken } from '../helpers/visitor.ts'
import { visits, visitors } from '../../models/visits.ts'
import { currentRules } from '../../models/channel-rules.ts'
import { ownershipConflicts } from '../../models/ownership.ts'
import { addChannel, notifyChannels, notifyOutbox } from '../../models/notify.ts'
import { auditLog } from '../../models/audit.ts'
import { releaseFigures } from '../../models/consultant-figures.ts'

const phone = '13957086421'
const secret = 'whsec_' + Buffer.from('a shared secret of 32 bytes long').toString('base64')

async function signedIn(t: TestApp, username: string) {
  const client = new Client(t.app)
  await client.login(username, t.passwordOf(username))
  return client
}
const rows = async (t: TestApp) => t.database.db.select().from(visits).orderBy(visits.checkedInAt)

// Zhang serves the client on day 1; on day 5 they are back, waiting
async function returningClient(t: TestApp) {
  const [zhang, li] = await putOnDuty(t.database, ['sales', 'sales2'])
  await checkIn(t, { phone })
  const sales = await signedIn(t, 'sales')
  const [first] = await rows(t)
  assert.equal((await sales.post('/dashboard/queue/next', { visitId: first!.id, revision: '0' })).status, 303)
  await sales.post(`/visits/${first!.id}/checkout`, {})
  t.clock.advance(4 * 86_400_000)
  await checkIn(t, { phone })
  const back = (await rows(t)).at(-1)!
  return { zhang: zhang!, li: li!, sales, back }
}

test('/rules saves the ownership rules as a new version; bad input changes nothing; sales are refused', async () => {
  const t = await makeTestApp()
  const manager = await signedIn(t, 'manager')
  const page = await (await manager.get('/rules?lang=en')).text()
  assert.match(page, /id="ownership-rules"/)
  assert.match(page, /Client ownership: the consultant who first serves a client owns them for 90 days/)
  const base = {
    minAdvanceMinutes: '0',
    windowFrom: '',
    windowTo: '',
    protection: '30-days',
    dailyCap: '',
    arrivalProof: 'client-scan',
  }
  const bad = await manager.post('/rules', { ...base, ownershipDays: '0', ownerAway: 'wait' })
  assert.equal(bad.status, 400)
  assert.equal((await currentRules(t.database.db, t.seeded.officeId)).version, 0)
  const saved = await manager.post('/rules', {
    ...base,
    ownershipDays: '30',
    ownerAway: 'wait',
    countsAsTurn: 'on',
  })
  assert.equal(saved.status, 303)
  const rules = await currentRules(t.database.db, t.seeded.officeId)
  assert.equal(rules.version, 1)
  assert.deepEqual(rules.body.ownership, { days: 30, ownerAway: 'wait', countsAsTurn: true })
  // a form without the ownership fields keeps them
  await manager.post('/rules', { ...base, protection: '7-days' })
  assert.deepEqual(
    (await currentRules(t.database.db, t.seeded.officeId)).body.ownership,
    rules.body.ownership,
  )
  await manager.post('/rules', { ...base, ownershipDays: 'none', ownerAway: 'cover' })
  assert.equal((await currentRules(t.database.db, t.seeded.officeId)).body.ownership.days, null)
  const sales = await signedIn(t, 'sales')
  assert.equal(
    (await sales.post('/rules', { ...base, ownershipDays: '365', ownerAway: 'cover' })).status,
    403,
  )
  assert.equal((await currentRules(t.database.db, t.seeded.officeId)).version, 3)
  // brokers read the rules without anything about consultants
  const broker = await signedIn(t, 'broker1')
  const agent = await (await broker.get('/agent?lang=en')).text()
  assert.doesNotMatch(agent, /ownership|consultant/i)
})

test('the dashboard shows whose returning client waits; "Next" does not take them, "to the owner" does', async () => {
  const t = await makeTestApp()
  const { zhang, back } = await returningClient(t)
  const li = await signedIn(t, 'sales2')
  const html = await (await li.get('/dashboard?lang=en')).text()
  assert.match(html, /returning · owned by 张顾问 Zhang \(sales\)/)
  assert.match(html, new RegExp(`id="for-owners"[\\s\\S]*data-visit="${back.id}" data-route="owner"`))
  assert.doesNotMatch(
    html,
    new RegExp(
      `name="visitId" value="${back.id}"[^>]*>\\s*<input type="hidden" name="revision"[^>]*>\\s*<button type="submit" class="primary next"`,
    ),
  )
  assert.match(html, /Nobody is waiting\./, 'the rotation has nobody to take')
  assert.doesNotMatch(html, /139\*\*\*\*6421.*owned by|13957086421/)
  // a broker cannot use it; a stale revision changes nothing
  const broker = await signedIn(t, 'broker1')
  assert.equal((await broker.post('/dashboard/queue/owner', { visitId: back.id, revision: '0' })).status, 403)
  const stale = await li.post('/dashboard/queue/owner', { visitId: back.id, revision: '7' })
  assert.equal(stale.headers.get('location'), '/dashboard?conflict=stale')
  const taken = await li.post('/dashboard/queue/owner', { visitId: back.id, revision: '0' })
  assert.equal(taken.status, 303)
  const [row] = await t.database.db.select().from(visits).where(eq(visits.id, back.id))
  assert.equal(row!.consultantId, zhang)
  // the owner's own view lists the returning client
  const mine = await (await (await signedIn(t, 'sales')).get('/dashboard/mine?lang=en')).text()
  assert.match(mine, new RegExp(`id="my-returning"[\\s\\S]*data-visit="${back.id}"`))
  assert.match(mine, /id="owned-count">1</)
})

test('a conflict: both consultants see it; the manager decides once on the evidence page; sales are refused', async () => {
  const t = await makeTestApp()
  const { li, back } = await returningClient(t)
  await t.database.write((tx) =>
    addChannel(tx, {
      dataKey: t.keys.phone.dataKey,
      officeId: t.seeded.officeId,
      input: { kind: 'wecom', url: 'http://127.0.0.1:9/robot' },
      now: t.clock.now(),
    }),
  )
  const manager = await signedIn(t, 'manager')
  const moved = await manager.post(`/visits/${back.id}/reassign`, { consultantId: li, revision: '0' })
  assert.equal(moved.status, 303)
  const [conflict] = await t.database.db.select().from(ownershipConflicts)
  assert.ok(conflict)
  // both consultants are told (one message each, queued with the reassignment)
  const told = (await t.database.db.select().from(notifyOutbox)).filter(
    (m) => m.event === 'ownership.conflict',
  )
  assert.deepEqual(told.map((m) => m.consultantId).sort(), [conflict.ownerId, conflict.servedBy].sort())
  for (const username of ['sales', 'sales2']) {
    const board = await (await (await signedIn(t, username)).get('/dashboard?lang=en')).text()
    assert.match(
      board,
      new RegExp(`id="visit-row-${back.id}"[^]*?conflict \\(撞单\\) · manager decides[^]*?</tr>`),
    )
    const mine = await (await (await signedIn(t, username)).get('/dashboard/mine?lang=en')).text()
    assert.match(mine, new RegExp(`data-conflict="${conflict.id}" data-decision="open"`), username)
  }
  const visitPage = await (await manager.get(`/visits/${back.id}?lang=en`)).text()
  assert.match(visitPage, /returning · owned by 张顾问 Zhang \(sales\)/)
  assert.match(visitPage, /conflict \(撞单\) · manager decides/)
  const list = await (await manager.get('/rules/conflicts?lang=en')).text()
  assert.match(list, new RegExp(`/rules/conflicts/${conflict.id}`))
  const page = await (await manager.get(`/rules/conflicts/${conflict.id}?lang=en`)).text()
  assert.match(page, /id="evidence"/)
  assert.match(page, /visit · first · 张顾问 Zhang/)
  assert.match(page, /visit \(conflict\) · return · 李顾问 Li/)
  assert.match(page, /ownership\.first-visit · 张顾问 Zhang/)
  assert.doesNotMatch(page, /\*\*\*\*|13957086421/, 'no phone, not even masked')
  const sales = await signedIn(t, 'sales')
  assert.equal((await sales.get(`/rules/conflicts/${conflict.id}`)).status, 403)
  assert.equal(
    (await sales.post(`/rules/conflicts/${conflict.id}/decide`, { decision: 'transfer', reason: 'mine now' }))
      .status,
    403,
  )
  const noReason = await manager.post(`/rules/conflicts/${conflict.id}/decide`, {
    decision: 'keep',
    reason: '',
  })
  assert.equal(noReason.status, 400)
  assert.equal((await t.database.db.select().from(ownershipConflicts))[0]!.decision, null)
  const decided = await manager.post(`/rules/conflicts/${conflict.id}/decide`, {
    decision: 'split',
    reason: '两人都有跟进',
  })
  assert.equal(decided.status, 303)
  const again = await manager.post(`/rules/conflicts/${conflict.id}/decide`, {
    decision: 'keep',
    reason: 'changed my mind',
  })
  assert.equal(again.status, 409)
  assert.equal((await t.database.db.select().from(ownershipConflicts))[0]!.decision, 'split')
  const audit = await t.database.db.select().from(auditLog).where(eq(auditLog.target, conflict.id))
  assert.deepEqual([...new Set(audit.map((a) => a.action))].sort(), [
    'ownership.conflict',
    'ownership.conflict-decided',
    'ownership.conflict-viewed',
  ])
  // split: the visit counts for both in the figures
  const figures = await (await manager.get('/rules/consultants?lang=en')).text()
  const credited = (id: string) =>
    new RegExp(`data-consultant="${id}"[\\s\\S]*?data-credited[^>]*>(\\d+)<`).exec(figures)?.[1]
  assert.equal(credited(li), '1')
})

test('consultant figures leave the office only with small cells hidden, audited', async () => {
  const hidden = releaseFigures(
    [
      { consultantId: 'a', name: 'A', served: 12, firstVisits: 8, returns: 4, credited: 12, secondVisits: 2 },
      { consultantId: 'b', name: 'B', served: 9, firstVisits: 7, returns: 2, credited: 9, secondVisits: 1 },
    ],
    5,
  )
  assert.equal(hidden[1]!.returns, null, 'a cell of 2 < k is hidden')
  assert.equal(hidden[0]!.returns, null, 'and one of 4')
  // no row shows all but one of first visits, returns and served: the hidden one could be worked out
  for (const row of hidden) {
    const shown = [row.firstVisits, row.returns, row.served].filter((v) => v !== null).length
    assert.ok(shown !== 2, JSON.stringify(row))
  }
  const t = await makeTestApp()
  await returningClient(t)
  const manager = await signedIn(t, 'manager')
  const csv = await manager.get('/rules/consultants.csv')
  assert.equal(csv.status, 200)
  const body = await csv.text()
  assert.match(body, /consultant,served,firstVisits,returns,secondVisitShare/)
  assert.match(body, /<5/)
  const [exported] = await t.database.db
    .select()
    .from(auditLog)
    .where(eq(auditLog.action, 'export.consultants'))
  assert.ok(exported)
  const sales = await signedIn(t, 'sales')
  assert.equal((await sales.get('/rules/consultants.csv')).status, 403)
})

test('admin channels: added with a whsec_ secret that is never shown, bad input refused, others refused', async () => {
  const t = await makeTestApp()
  const admin = await signedIn(t, 'admin')
  const page = await admin.get('/admin/notifications?lang=en')
  assert.equal(page.status, 200)
  assert.match(await page.text(), /no phone number, name or label/)
  const q = `?office=${t.seeded.officeId}`
  const bad = await admin.post(`/admin/notifications/channels${q}`, {
    kind: 'webhook',
    url: 'http://127.0.0.1:9/hook',
    secret: 'plain',
  })
  assert.equal(bad.status, 400)
  const phoneMention = await admin.post(`/admin/notifications/channels${q}`, {
    kind: 'wecom',
    url: 'http://127.0.0.1:9/x',
    mention: '13957086421',
  })
  assert.equal(phoneMention.status, 400)
  const badUrl = await admin.post(`/admin/notifications/channels${q}`, {
    kind: 'wecom',
    url: 'javascript:alert(1)',
  })
  assert.equal(badUrl.status, 400)
  assert.equal((await t.database.db.select().from(notifyChannels)).length, 0)
  const added = await admin.post(`/admin/notifications/channels${q}`, {
    kind: 'webhook',
    url: 'http://127.0.0.1:9/hook?token=abc',
    secret,
  })
  assert.equal(added.status, 303)
  const shown = await (await admin.get(`/admin/notifications${q}`)).text()
  assert.doesNotMatch(shown, new RegExp(secret.slice(6, 20)))
  assert.doesNotMatch(shown, /token=abc/)
  const manager = await signedIn(t, 'manager')
  assert.equal((await manager.get('/admin/notifications')).status, 403)
  assert.equal(
    (await manager.post(`/admin/notifications/channels${q}`, { kind: 'wecom', url: 'http://127.0.0.1:9/x' }))
      .status,
    403,
  )
  assert.equal((await t.database.db.select().from(notifyChannels)).length, 1)
  // a dead letter is listed and can be sent again
  const [channel] = await t.database.db.select().from(notifyChannels)
  const [zhang] = await putOnDuty(t.database, ['sales'])
  await t.database.db.insert(notifyOutbox).values({
    id: 'msg_dead',
    officeId: t.seeded.officeId,
    channelId: channel!.id,
    event: 'visit.assigned',
    consultantId: zhang!,
    at: t.clock.now(),
    createdAt: t.clock.now(),
    attempts: 9,
    nextAttemptAt: t.clock.now(),
    lastError: 'HTTP 503',
    deadAt: t.clock.now(),
  })
  const listed = await (await admin.get(`/admin/notifications${q}&lang=en`)).text()
  assert.match(listed, /data-message="msg_dead"/)
  assert.equal((await admin.post(`/admin/notifications/dead/msg_dead/retry${q}`)).status, 303)
  const [row] = await t.database.db.select().from(notifyOutbox).where(eq(notifyOutbox.id, 'msg_dead'))
  assert.equal(row!.deadAt, null)
  assert.equal(row!.attempts, 0)
})

test('staff are never visitors, so never owned: a signed-in staff scan records nothing', async () => {
  const t = await makeTestApp()
  const sales = await signedIn(t, 'sales')
  await assert.rejects(checkIn(t, { phone, client: sales }))
  assert.equal((await t.database.db.select().from(visitors)).length, 0)
})

test('the check-in page says the consultant’s alert carries no number, name or label', async () => {
  const t = await makeTestApp()
  const visitor = new Client(t.app)
  const en = await (await visitor.get(`/checkin?t=${await entranceToken(t)}&lang=en`)).text()
  assert.match(en, /the alert on their phone carries no number, name or label of yours/)
  const zh = await (await visitor.get(`/checkin?t=${await entranceToken(t)}&lang=zh-CN`)).text()
  assert.match(zh, /到访提醒不含您的号码、姓名或任何标签/)
})
