// Item 2 of the security review: knowing a visitor's phone number reveals nothing and grants nothing.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import { makeTestApp, Client, type TestApp } from '../helpers/app.ts'
import { checkIn, entranceToken, registerReferral } from '../helpers/visitor.ts'
import { consents } from '../../models/consents.ts'
import { visits, visitors } from '../../models/visits.ts'

const victimNumber = '13800004444'

async function agree(phone: Client) {
  const page = await (await phone.get('/consent')).text()
  const notice = /name="notice" value="([^"]+)"/.exec(page)![1]!
  const res = await phone.post('/consent', { choice: 'agree', notice })
  assert.equal(res.status, 303)
}

// a victim who checked in with their number and agreed to the camera
async function victim(t: TestApp) {
  const phone = await checkIn(t, { phone: victimNumber })
  await agree(phone)
  const [visit] = await t.database.db.select().from(visits)
  return { phone, visit: visit! }
}

// what a page says, without what differs between any two check-ins (ids, tokens, times, QR drawings)
function shape(html: string) {
  return html
    .replace(/<svg[\s\S]*?<\/svg>/g, 'QR')
    .replace(/value="[^"]*"/g, 'value=""')
    .replace(/data-visit="[^"]*"/g, '')
    .replace(/(?<![\w-])[\w-]{20,}(?![\w-])/g, 'ID')
    .replace(/\d{1,2}:\d{2}(:\d{2})?/g, 'TIME')
    .replace(/\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{2}-\d{2}|\d{4}\/\d{1,2}\/\d{1,2}/g, 'DATE')
    .replace(/1[3-9]\d\*{4}\d{4}/g, 'MASK')
}

// a new browser that scans the entrance QR and types a number; every answer it gets on the way
async function newBrowser(t: TestApp, number: string) {
  const client = new Client(t.app)
  const token = await entranceToken(t)
  await client.get(`/checkin?t=${token}`)
  const post = await client.post('/checkin', { t: token, phone: number })
  const pass = await client.get('/pass')
  const me = await client.get('/me')
  const json = await client.get('/me/data.json')
  return {
    client,
    post: { status: post.status, location: post.headers.get('location'), body: shape(await post.text()) },
    pass: shape(await pass.text()),
    me: shape(await me.text()),
    json: (await json.json()) as { visits: unknown[]; consents: unknown[]; sessions: unknown[] },
  }
}

test('item 2: a new browser typing a known number gets exactly the answers an unknown number gets (no oracle)', async () => {
  for (const sameDay of [false, true]) {
    const t = await makeTestApp()
    await victim(t)
    if (!sameDay) t.clock.advance(86400_000)
    const known = await newBrowser(t, victimNumber)
    const unknown = await newBrowser(t, '13900005555')
    assert.equal(known.post.status, 303, 'no "is this you?" question')
    assert.deepEqual(known.post, unknown.post)
    assert.equal(known.pass, unknown.pass, 'the pass does not say first visit or return')
    assert.equal(known.me, unknown.me, '/me does not show the earlier history')
    assert.deepEqual(
      [known.json.visits.length, known.json.consents.length, known.json.sessions.length],
      [1, 0, 0],
      'data.json holds only what this browser created',
    )
    assert.deepEqual(
      [unknown.json.visits.length, unknown.json.consents.length],
      [known.json.visits.length, known.json.consents.length],
    )
  }
})

test('item 2: the number still links the visit server-side for counting (a return visit, same visitor)', async () => {
  const t = await makeTestApp()
  const { visit: earlier } = await victim(t)
  t.clock.advance(86400_000)
  await newBrowser(t, victimNumber)
  const all = await t.database.db.select().from(visits).orderBy(visits.checkedInAt)
  assert.equal(all.length, 2)
  assert.equal(all[1]!.visitorId, earlier.visitorId, 'linked to the earlier visitor')
  assert.equal(all[1]!.firstVisit, false, 'counted as a return visit')
})

test('item 2: on the victim’s own day the new browser gets its own visit, never the victim’s pass', async () => {
  const t = await makeTestApp()
  const { visit } = await victim(t)
  const { client } = await newBrowser(t, victimNumber)
  const pass = await (await client.get('/pass')).text()
  assert.doesNotMatch(pass, new RegExp(visit.id), 'the pass is not the victim’s visit')
  assert.equal((await t.database.db.select().from(visits)).length, 2)
})

test('item 2: the new browser grants nothing on and deletes nothing of the victim’s visit', async () => {
  const t = await makeTestApp()
  const { visit, phone: victimPhone } = await victim(t)
  t.clock.advance(86400_000)
  const { client } = await newBrowser(t, victimNumber)
  // consent from the attacker's browser lands on the attacker's own visit
  await agree(client)
  const ofVictim = await t.database.db.select().from(consents).where(eq(consents.visitId, visit.id))
  assert.equal(ofVictim.length, 1, 'no consent added to the victim’s visit')
  // "delete my data" deletes the attacker's own visit data, not the victim's
  assert.equal((await client.post('/me/delete')).status, 200)
  const [after] = await t.database.db.select().from(visits).where(eq(visits.id, visit.id))
  assert.equal(after!.visitorId, visit.visitorId, 'the victim’s visit keeps its visitor')
  const [held] = await t.database.db.select().from(visitors).where(eq(visitors.id, visit.visitorId!))
  assert.ok(held?.phoneHash, 'the victim’s record is still there')
  const [consent] = await t.database.db.select().from(consents).where(eq(consents.visitId, visit.id))
  assert.equal(consent!.withdrawnAt, null, 'the victim’s consent stands')
  // the victim, same day, still sees their own visit (their pass expired: their own new check-in)
  void victimPhone
})

test('item 2: a browser’s own deletion removes its own visit’s personal data', async () => {
  const t = await makeTestApp()
  const phone = await checkIn(t, { phone: '13600001234' })
  await agree(phone)
  assert.equal((await phone.post('/me/delete')).status, 200)
  const [visit] = await t.database.db.select().from(visits)
  assert.equal(visit!.visitorId, null)
  assert.equal((await t.database.db.select().from(visitors)).length, 0, 'its visitor held nothing else')
  const [consent] = await t.database.db.select().from(consents)
  assert.notEqual(consent!.withdrawnAt, null)
})

test('item 2: a broker’s ruling shows the date of the earlier walk-in, not the minute', async () => {
  const t = await makeTestApp()
  t.clock.at = Date.parse('2026-11-23T03:17:00Z') // 11:17 in Shanghai
  await checkIn(t, { phone: '13700008888' })
  t.clock.advance(86400_000)
  await registerReferral(t, 'broker1', { phone: '13700008888' })
  t.clock.advance(86400_000)
  await checkIn(t, { phone: '13700008888' })
  const broker = new Client(t.app)
  await broker.login('broker1', t.passwordOf('broker1'))
  for (const lang of ['zh-CN', 'en']) {
    const page = await (await broker.get(`/agent?lang=${lang}`)).text()
    const evidence = /(证据：该号码自行到访于|Evidence: this number visited on its own on)([^<]*)</.exec(page)
    assert.ok(evidence, `${lang}: the ruling names the earlier walk-in`)
    assert.match(evidence[2]!, /2026|23/, 'the date is shown')
    assert.doesNotMatch(evidence[2]!, /11:17|\d{1,2}:\d{2}/, `${lang}: no time of day: ${evidence[2]}`)
  }
})
