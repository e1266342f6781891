// Privacy console routes: notices, retention, purges, consent ledger, requests, audit export, assessment.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { count, desc, eq } from 'drizzle-orm'
import { makeTestApp, Client, type TestApp } from '../helpers/app.ts'
import { addVisitor, addVisit, addConsentWithSession, addReferral } from '../helpers/privacy-fixtures.ts'
import { referrals } from '../../models/referrals.ts'
import { auditLog } from '../../models/audit.ts'
import { notices, currentNotice, consents } from '../../models/consents.ts'
import { visitors, visits } from '../../models/visits.ts'
import { dataRequests, assessments } from '../../models/privacy.ts'
import { defaultNotice } from '../../models/notice-defaults.ts'
import type { DomainEvent } from '../../server/events.ts'
import type { AppDeps } from '../../server/context.ts'

async function officerClient(t: TestApp) {
  const client = new Client(t.app)
  await client.login('privacy', t.passwordOf('privacy'))
  return client
}

async function lastAudit(t: TestApp) {
  const [row] = await t.database.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1)
  return row!
}

const office = { processorName: '示范置业有限公司', privacyContact: 'privacy@demo.example' }

test('every privacy page renders for the officer', async () => {
  const t = await makeTestApp()
  const client = await officerClient(t)
  for (const path of ['/privacy', '/privacy/notices', '/privacy/notices?notice=en', '/privacy/retention']) {
    assert.equal((await client.get(path)).status, 200, path)
  }
  for (const path of ['/privacy/purges', '/privacy/consents', '/privacy/requests', '/privacy/audit']) {
    assert.equal((await client.get(path)).status, 200, path)
  }
  assert.equal((await client.get('/privacy/assessment')).status, 200)
})

test('publishing a notice makes a new hashed version, audits it and announces notice.published', async () => {
  const t = await makeTestApp()
  const client = await officerClient(t)
  const seen: DomainEvent[] = []
  ;(t.deps as AppDeps).events!.on((e) => void seen.push(e))
  const before = (await currentNotice(t.database.db, t.seeded.officeId, 'en'))!
  const body = { ...defaultNotice('en', office), purpose: 'A new, narrower purpose.' }
  const res = await client.post('/privacy/notices', { noticeLang: 'en', ...body })
  assert.equal(res.status, 303)
  const after = (await currentNotice(t.database.db, t.seeded.officeId, 'en'))!
  assert.equal(after.version, before.version + 1)
  assert.notEqual(after.sha256, before.sha256)
  assert.equal(after.body.purpose, 'A new, narrower purpose.')
  const audit = await lastAudit(t)
  assert.equal(audit.action, 'notice.published')
  assert.equal(JSON.parse(audit.detail).sha256, after.sha256)
  await new Promise((r) => setImmediate(r))
  assert.deepEqual(seen, [{ type: 'notice.published', officeId: t.seeded.officeId, lang: 'en' }])
  // the page shows the hash of the current version
  assert.match(await (await client.get('/privacy/notices?notice=en')).text(), new RegExp(after.sha256))
})

test('a notice with an empty required element is refused and nothing is published', async () => {
  const t = await makeTestApp()
  const client = await officerClient(t)
  const [{ n: before }] = await t.database.db.select({ n: count() }).from(notices)
  for (const missing of ['purpose', 'processorContact', 'rights']) {
    const body = { ...defaultNotice('zh-CN', office), [missing]: '   ' }
    const res = await client.post('/privacy/notices', { noticeLang: 'zh-CN', ...body })
    assert.equal(res.status, 400, missing)
    assert.match(await res.text(), new RegExp(missing))
  }
  const [{ n: after }] = await t.database.db.select({ n: count() }).from(notices)
  assert.equal(after, before)
})

test('the notice preview renders the draft as a visitor sees it, without storing it', async () => {
  const t = await makeTestApp()
  const client = await officerClient(t)
  const res = await client.get('/privacy/notices/preview?noticeLang=en&short=Hello+visitor&purpose=Only+this')
  const html = await res.text()
  assert.match(html, /id="notice-preview"/)
  assert.match(html, /Hello visitor/)
})

test('retention can be lengthened, not set below its floor; a manual purge is recorded', async () => {
  const t = await makeTestApp()
  const client = await officerClient(t)
  assert.equal((await client.post('/privacy/retention', { kind: 'camera-sessions', days: '14' })).status, 303)
  assert.equal((await lastAudit(t)).action, 'retention.changed')
  const refused = await client.post('/privacy/retention', { kind: 'referrals', days: '5' })
  assert.equal(refused.status, 400)
  assert.equal((await client.post('/privacy/retention', { kind: 'nonsense', days: '5' })).status, 400)
  assert.match(await (await client.get('/privacy/retention')).text(), /value="14"/)
  assert.equal((await client.post('/privacy/purges')).status, 303)
  assert.match(await (await client.get('/privacy/purges')).text(), /camera-sessions 0/)
})

test('a request by phone: hashed lookup (number never stored), then deletion leaves an anonymous visit', async () => {
  const t = await makeTestApp()
  const client = await officerClient(t)
  const officeId = t.seeded.officeId
  const at = t.clock.now()
  const visitor = await addVisitor(t.database, { officeId, phone: '13812345678', keys: t.keys.phone, at })
  const visitId = await addVisit(t.database, { officeId, visitorId: visitor.id, at })
  const { consentId } = await addConsentWithSession(t.database, { officeId, visitId, at })
  const sameNumber = await addReferral(t.database, { officeId, at, days: 30, phoneHash: visitor.phoneHash })
  const otherNumber = await addReferral(t.database, { officeId, at, days: 30, phoneHash: 'f'.repeat(64) })

  assert.equal((await client.post('/privacy/requests/lookup', { phone: 'not a phone' })).status, 400)
  const found = await client.post('/privacy/requests/lookup', { phone: '138 1234 5678' })
  const html = await found.text()
  assert.match(html, /138\*\*\*\*5678/)
  const lookupAudit = await lastAudit(t)
  assert.equal(lookupAudit.action, 'visitor.phone-lookup')
  const everything = JSON.stringify(await t.database.db.select().from(auditLog))
  assert.doesNotMatch(everything, /13812345678|1234 5678/, 'the number is not in the audit log')

  const made = await client.post('/privacy/requests', { visitorId: visitor.id, kind: 'delete' })
  assert.equal(made.status, 303)
  const requestPath = made.headers.get('location')!
  const done = await client.post(`${requestPath}/complete`, { outcome: 'done' })
  assert.equal(done.status, 303)
  const [request] = await t.database.db.select().from(dataRequests)
  assert.equal(request!.status, 'done')
  assert.equal(request!.via, 'officer')
  assert.equal(request!.completedAt, t.clock.now())
  assert.equal((await t.database.db.select().from(visitors)).length, 0)
  const [visit] = await t.database.db.select().from(visits).where(eq(visits.id, visitId))
  assert.equal(visit!.visitorId, null, 'the visit stays as an anonymous count')
  const [consent] = await t.database.db.select().from(consents).where(eq(consents.id, consentId))
  assert.equal(consent!.visitId, null)
  assert.ok(consent!.withdrawnAt)
  // a broker's registration of the same number is cleared too; another number's is not
  const [cleared] = await t.database.db.select().from(referrals).where(eq(referrals.id, sameNumber))
  assert.deepEqual([cleared!.phoneHash, cleared!.phoneMasked, cleared!.clientLabel], [null, null, ''])
  const [kept] = await t.database.db.select().from(referrals).where(eq(referrals.id, otherNumber))
  assert.equal(kept!.phoneHash, 'f'.repeat(64))
  // a closed request cannot be completed twice
  assert.equal((await client.post(`${requestPath}/complete`, { outcome: 'done' })).status, 409)
  assert.match(await (await client.get('/privacy/requests')).text(), /id="request-list"/)
})

test('an access request shows what is held, and that read is audited', async () => {
  const t = await makeTestApp()
  const client = await officerClient(t)
  const officeId = t.seeded.officeId
  const visitor = await addVisitor(t.database, {
    officeId,
    phone: '13900001111',
    keys: t.keys.phone,
    at: t.clock.now(),
  })
  await addVisit(t.database, { officeId, visitorId: visitor.id, at: t.clock.now() })
  const made = await client.post('/privacy/requests', { visitorId: visitor.id, kind: 'access' })
  const page = await (await client.get(made.headers.get('location')!)).text()
  assert.match(page, /139\*\*\*\*1111/)
  assert.equal((await lastAudit(t)).action, 'visitor.data-read')
  assert.doesNotMatch(page, /13900001111/, 'the full number is not shown by default')
  const requestPath = made.headers.get('location')!
  assert.equal((await client.post(`${requestPath}/reveal`, { reason: '' })).status, 400)
  const revealed = await client.post(`${requestPath}/reveal`, { reason: 'visitor asked for a copy' })
  assert.match(await revealed.text(), /id="revealed-phone">13900001111</)
  const audit = await lastAudit(t)
  assert.equal(audit.action, 'visitor.phone-revealed')
  assert.match(audit.detail, /visitor asked for a copy/)
  assert.doesNotMatch(audit.detail, /13900001111/)
  assert.equal((await client.post('/privacy/requests', { visitorId: 'nobody', kind: 'access' })).status, 404)
})

test('the consent ledger counts by version and looks up one receipt (audited)', async () => {
  const t = await makeTestApp()
  const client = await officerClient(t)
  const { consentId } = await addConsentWithSession(t.database, {
    officeId: t.seeded.officeId,
    visitId: null,
    at: t.clock.now(),
  })
  const html = await (await client.get(`/privacy/consents?receipt=${consentId}`)).text()
  assert.match(html, /id="ledger-by-version"/)
  assert.match(html, new RegExp(consentId))
  assert.match(html, /id="sessions-after-withdrawal">0</)
  assert.equal((await lastAudit(t)).action, 'consent.looked-up')
})

test('the audit log filters and exports a CSV for an inspector, and the export is audited', async () => {
  const t = await makeTestApp()
  const client = await officerClient(t)
  const filtered = await (await client.get('/privacy/audit?action=login')).text()
  assert.match(filtered, /login.success/)
  assert.doesNotMatch(filtered, /seed.first-start/)
  assert.equal((await client.get('/privacy/audit?from=yesterday')).status, 400)
  const res = await client.get('/privacy/audit/export.csv?action=login')
  assert.equal(res.status, 200)
  assert.match(res.headers.get('content-type')!, /text\/csv/)
  const csv = await res.text()
  assert.match(csv.split('\n')[0]!, /^id,at,actor_type/)
  assert.match(csv, /login.success/)
  assert.equal((await lastAudit(t)).action, 'audit.exported')
})

test('an impact assessment is generated from live configuration and archived per generation', async () => {
  const t = await makeTestApp()
  const client = await officerClient(t)
  const first = await client.post('/privacy/assessment')
  assert.equal(first.status, 303)
  t.clock.advance(3600_000)
  assert.equal((await client.post('/privacy/assessment')).status, 303)
  const [{ n }] = await t.database.db.select({ n: count() }).from(assessments)
  assert.equal(n, 2)
  const html = await (await client.get(first.headers.get('location')!)).text()
  assert.match(html, /id="assessment-document"/)
  assert.match(html, /Sand table|沙盘/)
  assert.match(html, /camera-sessions: 30/)
  assert.equal((await client.get('/privacy/assessment/nope')).status, 404)
})
