// The cross-office report: admin only, the developer's offices only, k-anonymous, bad input refused, CSV audited.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { desc } from 'drizzle-orm'
import { makeTestApp, Client, adminPassword, type TestApp } from '../helpers/app.ts'
import { visits } from '../../models/visits.ts'
import { auditLog } from '../../models/audit.ts'
import { addDeveloperOffice, createDeveloper } from '../../models/developers.ts'
import { newId } from '../../models/ids.ts'

const day = '2026-11-23'

async function addVisits(
  t: TestApp,
  officeId: string,
  n: number,
  over: { channel?: 'walk-in' | 'broker'; attributionReason?: string; firstVisit?: boolean } = {},
) {
  await t.database.write(async (tx) => {
    for (let i = 0; i < n; i++) {
      await tx.insert(visits).values({
        id: newId(),
        officeId,
        visitorId: null,
        day,
        checkedInAt: t.clock.now(),
        firstVisit: over.firstVisit ?? true,
        channel: over.channel ?? 'walk-in',
        attributionReason: over.attributionReason ?? 'no-referral',
      })
    }
  })
}

// the demo office (A), a second office of its developer (B, named to test escaping) and another developer's (C)
async function threeOffices() {
  const t = await makeTestApp()
  // B is made after the demo office: rows follow the order offices were opened in
  t.clock.advance(60_000)
  const now = t.clock.now()
  const { b, c } = await t.database.write(async (tx) => {
    const b = await addDeveloperOffice({
      tx,
      input: {
        developerId: t.seeded.developerId,
        name: '=HYPERLINK("x") <script>',
        nameEn: 'Office B',
        processorName: 'P',
        privacyContact: 'c',
      },
      now,
    })
    const other = await createDeveloper({ tx, input: { name: '别家集团' }, now })
    const c = await addDeveloperOffice({
      tx,
      input: { developerId: other, name: '别家案场', processorName: 'P', privacyContact: 'c' },
      now,
    })
    return { b: b.officeId, c: c.officeId }
  })
  const a = t.seeded.officeId
  await addVisits(t, a, 12)
  await addVisits(t, a, 5, { firstVisit: false })
  await addVisits(t, a, 6, { channel: 'broker', attributionReason: 'referral' })
  await addVisits(t, b, 8)
  await addVisits(t, b, 7, { channel: 'broker', attributionReason: 'referral-other-office' })
  await addVisits(t, b, 5, { channel: 'broker', attributionReason: 'referral' })
  await addVisits(t, c, 10)
  return { t, a, b, c }
}

async function signedIn(t: TestApp, username: string) {
  const client = new Client(t.app)
  await client.login(username, username === 'admin' ? adminPassword : t.passwordOf(username))
  return client
}

const cells = (html: string, office: string) =>
  [
    ...new RegExp(`data-office="${office}"[^]*?</tr>`)
      .exec(html)![0]
      .matchAll(/data-metric="(\w+)">([^<]*)</g),
  ]
    .map((m) => [m[1], m[2]!.replaceAll('&lt;', '<')])
    .reduce<Record<string, string>>((acc, [k, v]) => ({ ...acc, [k!]: v! }), {})

test('the admin sees every office of the developer, and no other developer’s', async () => {
  const { t, a, b, c } = await threeOffices()
  const admin = await signedIn(t, 'admin')
  const res = await admin.get('/admin/developer-report?preset=today')
  assert.equal(res.status, 200)
  const html = await res.text()
  assert.deepEqual(cells(html, a), {
    visits: '23',
    firstVisits: '18',
    walkIn: '17',
    broker: '6',
    crossOffice: '0',
  })
  assert.deepEqual(cells(html, b), {
    visits: '20',
    firstVisits: '20',
    walkIn: '8',
    broker: '12',
    crossOffice: '7',
  })
  assert.deepEqual(cells(html, 'total'), {
    visits: '43',
    firstVisits: '38',
    walkIn: '25',
    broker: '18',
    crossOffice: '7',
  })
  assert.doesNotMatch(html, new RegExp(c))
  assert.doesNotMatch(html, /别家/)
  assert.match(html, /示范置业集团/)
  assert.match(html, /=HYPERLINK\(&quot;x&quot;\) &lt;script&gt;/)
  assert.doesNotMatch(html, /<script>/)
  const en = await (await admin.get('/admin/developer-report?preset=today&lang=en')).text()
  assert.match(en, /Cross-office report · Demo Properties Group/)
  assert.match(en, /Office B/)
  // a period before any visit: zeros, not suppression
  const empty = await (
    await admin.get('/admin/developer-report?preset=custom&from=2026-01-01&to=2026-01-31')
  ).text()
  assert.deepEqual(cells(empty, 'total').visits, '0')
})

test('a small office is shown only as <k, and enough else is hidden that it cannot be derived', async () => {
  const { t, b } = await threeOffices()
  await t.database.client.execute({
    sql: "DELETE FROM visits WHERE office_id = ? AND channel = 'broker'",
    args: [b],
  })
  await t.database.client.execute({
    sql: 'DELETE FROM visits WHERE id IN (SELECT id FROM visits WHERE office_id = ? LIMIT 6)',
    args: [b],
  })
  const html = await (await (await signedIn(t, 'admin')).get('/admin/developer-report?preset=today')).text()
  assert.deepEqual(cells(html, b), {
    visits: '<5',
    firstVisits: '<5',
    walkIn: '<5',
    broker: '0',
    crossOffice: '0',
  })
  const total = cells(html, 'total')
  assert.ok(total.visits === '<5' || total.walkIn === '<5' || cells(html, t.seeded.officeId).walkIn === '<5')
})

test('sales, managers, marketing and privacy officers of one office cannot see other offices', async () => {
  const { t } = await threeOffices()
  for (const role of ['sales', 'manager', 'marketing', 'privacy']) {
    const client = await signedIn(t, role)
    assert.equal((await client.get('/admin/developer-report')).status, 403, role)
    assert.equal((await client.get('/admin/developer-report.csv')).status, 403, role)
  }
  const broker = await signedIn(t, 'broker1')
  assert.equal((await broker.get('/admin/developer-report')).status, 403)
  const anonymous = new Client(t.app)
  const res = await anonymous.get('/admin/developer-report.csv')
  assert.equal(res.status, 303)
  assert.match(res.headers.get('location')!, /^\/login/)
  const exports = (await t.database.db.select().from(auditLog)).filter((r) => r.action.startsWith('export.'))
  assert.equal(exports.length, 0)
})

test('bad periods get a clear 400 and write nothing', async () => {
  const { t } = await threeOffices()
  const admin = await signedIn(t, 'admin')
  for (const query of [
    'preset=yesterday',
    'preset=custom&from=2026-11-30&to=2026-11-01',
    'preset=custom&from=2026-13-01&to=2026-13-02',
    'preset=custom&from=2024-01-01&to=2026-01-01',
    "preset=custom&from=2026-11-01'--&to=2026-11-02",
  ]) {
    for (const path of ['/admin/developer-report', '/admin/developer-report.csv']) {
      const res = await admin.get(`${path}?${query}`)
      assert.equal(res.status, 400, `${path}?${query}`)
    }
  }
  const exports = (await t.database.db.select().from(auditLog)).filter((r) => r.action.startsWith('export.'))
  assert.equal(exports.length, 0)
})

test('the CSV export: BOM, manifest, the same figures, formula-safe names, audited', async () => {
  const { t } = await threeOffices()
  const admin = await signedIn(t, 'admin')
  const res = await admin.get('/admin/developer-report.csv?preset=today')
  assert.equal(res.status, 200)
  assert.match(res.headers.get('content-type')!, /^text\/csv; charset=utf-8/)
  assert.match(
    res.headers.get('content-disposition')!,
    /attachment; filename="showroom-developer-stats_2026-11-23_2026-11-23\.csv"/,
  )
  const bytes = new Uint8Array(await res.arrayBuffer())
  assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf])
  const text = new TextDecoder().decode(bytes.slice(3))
  assert.match(text, /^# Showroom cross-office statistics/)
  assert.match(text, /# developer: 示范置业集团 \(Demo Properties Group\)/)
  assert.match(text, /# k: 5 /)
  assert.match(text, /\r\n案场,来访,首访,自然来访,渠道来访,持他案场报备到访\r\n/)
  assert.match(text, /\r\n示范案场 · 滨江壹号售楼处,23,18,17,6,0\r\n/)
  assert.match(text, /\r\n"'=HYPERLINK\(""x""\) <script>",20,20,8,12,7\r\n/)
  assert.match(text, /\r\n全部案场,43,38,25,18,7\r\n$/)
  assert.doesNotMatch(text, /别家/)
  const [audit] = await t.database.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1)
  assert.equal(audit!.action, 'export.developer-stats')
  assert.equal(audit!.target, 'csv')
  assert.equal(audit!.actorId !== null, true)
  const english = await (await admin.get('/admin/developer-report.csv?preset=today&lang=en')).text()
  assert.match(english, /Office,Visits,First visits,Walk-in,Broker,/)
  assert.match(english, /\r\nAll offices,43,38,25,18,7\r\n$/)
})
