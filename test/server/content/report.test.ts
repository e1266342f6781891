// Content report and its exports: plays never suppressed; viewer figures below k hidden with complementary
// suppression; names, not ids; audited; marketing only.
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import { makeTestApp, Client, type TestApp } from '../../helpers/app.ts'
import { addContentItem, contentAttention, recordPlay } from '../../../models/content.ts'
import { cameraSessions, currentNotice, grantConsent, withdrawConsent } from '../../../models/consents.ts'
import { auditLog } from '../../../models/audit.ts'
import type { Tx } from '../../../models/db.ts'

let t: TestApp
let marketing: Client
let planId = ''
let noticeId = ''

// one consented session in front of one item, as the station pipeline stores it
async function viewer(tx: Tx, i: number, station: string, itemId: string, attentionMs: number) {
  const officeId = t.seeded.officeId
  const now = t.clock.now()
  const consent = await grantConsent({
    tx,
    input: { officeId, visitId: null, noticeId, givenAt: 'phone' },
    now,
  })
  const id = `session-${i}-aaaaaa`
  await tx.insert(cameraSessions).values({
    id,
    officeId,
    stationId: station,
    consentId: consent.id,
    visitId: null,
    startedAt: now - 30_000,
    lastEventAt: now,
    dwellMs: 4000,
    attentionMs,
  })
  await tx.insert(contentAttention).values({
    sessionId: id,
    itemId,
    itemVersion: 1,
    officeId,
    stationId: station,
    startedAt: now - 30_000,
    dwellMs: 4000,
    attentionMs,
    lastEventAt: now,
  })
}
const sha = (n: number) => String(n).padStart(64, 'a')

before(async () => {
  t = await makeTestApp()
  marketing = new Client(t.app)
  await marketing.login('marketing', t.passwordOf('marketing'))
  noticeId = (await currentNotice(t.database.db, t.seeded.officeId, 'en'))!.id
  const officeId = t.seeded.officeId
  const displays = t.seeded.stations.filter((s) => s.kind === 'display')
  const now = t.clock.now()
  await t.database.write(async (tx) => {
    const film = await addContentItem({
      tx,
      input: {
        officeId,
        name: 'Film',
        kind: 'video',
        mediaType: 'video/mp4',
        sha256: sha(1),
        bytes: 10,
        durationMs: 10_000,
      },
      now,
    })
    const plan = await addContentItem({
      tx,
      input: {
        officeId,
        name: 'Plan',
        kind: 'image',
        mediaType: 'image/png',
        sha256: sha(2),
        bytes: 10,
        durationMs: 10_000,
      },
      now,
    })
    planId = plan.id
    const policy = await addContentItem({
      tx,
      input: {
        officeId,
        name: 'Price policy',
        kind: 'page',
        mediaType: 'text/html',
        sha256: sha(3),
        bytes: 10,
        durationMs: 15_000,
      },
      now,
    })
    let n = 0
    // plays: film 3× on the first display, plan once on each
    for (const [item, station] of [
      [film, displays[0]!],
      [film, displays[0]!],
      [film, displays[0]!],
      [plan, displays[0]!],
      [plan, displays[1]!],
      [policy, displays[1]!],
    ] as const) {
      await recordPlay({
        tx,
        input: {
          id: `play-${++n}-aaaaaa`,
          officeId,
          stationId: station.id,
          itemId: item.id,
          version: 1,
          startedAt: now - 60_000 + n * 10_000,
          endedAt: now - 50_000 + n * 10_000,
        },
        now,
      })
    }
    // viewers: 6 sessions watched the film at display 0, 5 the plan there (both ≥ k = 5)
    for (let i = 0; i < 6; i++) await viewer(tx, i, displays[0]!.id, film.id, i < 3 ? 2500 : 1500)
    for (let i = 10; i < 15; i++) await viewer(tx, i, displays[0]!.id, plan.id, 800)
  })
})

const day = '2026-11-23'

test('the page shows plays always and viewer figures only where at least k people are', async () => {
  const response = await marketing.get(`/content/report?from=${day}&to=${day}&lang=en`)
  assert.equal(response.status, 200)
  const html = await response.text()
  assert.match(html, /Content performance/)
  assert.match(html, /<svg id="content-chart"/)
  assert.match(html, /<th scope="row">Price policy<\/th><td data-col="kind">Web page<\/td>/)
})

type Exported = { k: number; rows: Record<string, unknown>[] }
const exported = async () =>
  (await (await marketing.get(`/exports/content.json?from=${day}&to=${day}`)).json()) as Exported

test('JSON and CSV: plays, on-screen time, viewers, watchers ≥1 s / ≥2 s, attention, attraction ratio', async () => {
  const json = await exported()
  assert.equal(json.k, 5)
  const displays = t.seeded.stations.filter((s) => s.kind === 'display')
  const row = (item: string, station: string) =>
    json.rows.find((r) => r.item === item && r.station === station)!
  const figures = (r: Record<string, unknown>) => [
    r.plays,
    r.onScreenS,
    r.viewers,
    r.watchers1s,
    r.watchers2s,
    r.attentionS,
    r.attractionPct,
  ]
  assert.deepEqual(figures(row('Film', displays[0]!.name)), [3, 30, 6, 6, 3, 12, 50])
  assert.deepEqual(figures(row('Plan', displays[0]!.name)), [1, 10, 5, 0, 0, 4, 20])
  assert.deepEqual(figures(row('Plan', displays[1]!.name)), [1, 10, 0, 0, 0, 0, null])
  // a web page is an item like the others, with its kind
  assert.deepEqual(figures(row('Price policy', displays[1]!.name)).slice(0, 2), [1, 10])
  assert.deepEqual(
    ['Film', 'Plan', 'Price policy'].map((item) => row(item, displays[0]!.name).kind),
    ['video', 'image', 'page'],
  )
  // names, never ids
  for (const r of json.rows)
    assert.ok(!JSON.stringify(r).includes(planId) && !JSON.stringify(r).includes('session-'))
  const csv = await (await marketing.get(`/exports/content.csv?from=${day}&to=${day}`)).text()
  assert.match(
    csv.split('\n')[0]!,
    /^item,kind,station,plays,onScreenS,viewers,watchers1s,watchers2s,attentionS,attractionPct/,
  )
  assert.match(csv, /\nPrice policy,page,/)
  const audits = await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'export.content'))
  assert.equal(audits.length, 2)
})

test('a display with fewer than k viewers: their figures hidden, with partners so none can be worked out; plays kept', async () => {
  const displays = t.seeded.stations.filter((s) => s.kind === 'display')
  await t.database.write((tx) => viewer(tx, 20, displays[1]!.id, planId, 3000))
  const json = await exported()
  const line = (item: string, station: string) =>
    json.rows.find((r) => r.item === item && r.station === station)!
  const plan1 = line('Plan', displays[1]!.name)
  assert.equal(plan1.viewers, '<5')
  assert.equal(plan1.attentionS, '<5')
  // play counts are never suppressed
  for (const r of json.rows) assert.equal(typeof r.plays, 'number')
  // in each item's line (its displays and its total), never exactly one hidden figure
  for (const item of ['Film', 'Plan']) {
    const hidden = json.rows.filter((r) => r.item === item && r.viewers === '<5').length
    assert.notEqual(hidden, 1, `${item}: one hidden figure would equal its total minus the others`)
  }
  // and per display, across items (the column total is not exported, the item totals are)
  for (const d of displays) {
    const hidden = json.rows.filter((r) => r.station === d.name && r.viewers === '<5').length
    const shown = json.rows.filter(
      (r) => r.station === d.name && typeof r.viewers === 'number' && r.viewers > 0,
    )
    assert.ok(hidden !== 1 || shown.length === 0, `${d.name}: a lone hidden cell`)
  }
})

test('sales staff cannot read the content report or export it', async () => {
  const sales = new Client(t.app)
  await sales.login('sales', t.passwordOf('sales'))
  assert.equal((await sales.get('/content/report')).status, 403)
  assert.equal((await sales.get(`/exports/content.csv?from=${day}&to=${day}`)).status, 403)
  assert.equal((await marketing.get('/exports/content.csv?from=2026-13-01&to=2026-11-23')).status, 400)
})

test('withdrawing consent deletes the per-item attention with the session', async () => {
  const [row] = await t.database.db
    .select()
    .from(cameraSessions)
    .where(eq(cameraSessions.id, 'session-20-aaaaaa'))
  await t.database.write((tx) => withdrawConsent({ tx, consentId: row!.consentId, now: t.clock.now() }))
  const left = await t.database.db
    .select()
    .from(contentAttention)
    .where(eq(contentAttention.sessionId, 'session-20-aaaaaa'))
  assert.deepEqual(left, [])
  assert.equal((await t.database.db.select().from(contentAttention)).length, 11)
})
