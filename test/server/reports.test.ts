// /reports and /exports: a unique channel × zone × day visitor stays hidden everywhere; exports leak nothing personal.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { and, eq } from 'drizzle-orm'
import { makeTestApp, Client } from '../helpers/app.ts'
import { reportFixtures, craftedDataset, loneDay } from '../helpers/report-fixtures.ts'
import { auditLog } from '../../models/audit.ts'
import { visitors, visits } from '../../models/visits.ts'
import { consents, cameraSessions } from '../../models/consents.ts'
import { referrals } from '../../models/referrals.ts'
import { rollupDays, setRolledThrough } from '../../models/rollups.ts'

const range = 'preset=custom&from=2026-11-18&to=2026-11-22'

async function setup({ rolled = false } = {}) {
  const t = await makeTestApp({ demo: true })
  const officeId = t.seeded.officeId
  const fx = await reportFixtures(t.database, officeId)
  const crafted = await craftedDataset(fx)
  if (rolled) {
    await t.database.write(async (tx) => {
      await rollupDays({ tx, officeId, from: '2026-11-18', to: '2026-11-22' })
      await setRolledThrough({ tx, officeId, day: '2026-11-22' })
    })
  }
  const marketing = new Client(t.app)
  await marketing.login('marketing', t.passwordOf('marketing'))
  return { ...t, fx, crafted, marketing }
}

const decode = (s: string) =>
  s
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .trim()

// the cross-tab as text: header row, then body rows and the totals row
function tableOf(html: string, id: string): string[][] {
  const table = html.match(new RegExp(`<table id="${id}"[\\s\\S]*?</table>`))?.[0]
  assert.ok(table, `table #${id} present`)
  return [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((tr) =>
    [...tr[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((m) => decode(m[1]!)),
  )
}

// no row and no column of the table-with-totals may have exactly one hidden entry
function assertNoLoneSuppression(grid: string[][], k = 5) {
  const hidden = (v: string) => v === `<${k}`
  const body = grid.slice(1).map((row) => row.slice(1))
  for (const row of body) assert.notEqual(row.filter(hidden).length, 1, `row ${row.join(' | ')}`)
  for (let c = 0; c < body[0]!.length; c++) {
    const column = body.map((row) => row[c]!)
    assert.notEqual(column.filter(hidden).length, 1, `column ${grid[0]![c + 1]}: ${column.join(' | ')}`)
  }
}

function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  for (const line of text.split('\r\n')) {
    if (!line || line.startsWith('#')) continue
    const cells: string[] = []
    const re = /("([^"]|"")*"|[^,]*)(,|$)/g
    for (let m = re.exec(line); m && m.index < line.length; m = re.exec(line)) {
      cells.push(m[1]!.startsWith('"') ? m[1]!.slice(1, -1).replace(/""/g, '"') : m[1]!)
      if (m[3] === '') break
    }
    rows.push(cells)
  }
  return rows
}

// the CSV records (period, column, first metric) laid out as the page's cross-tab
function csvAsTable(csv: string[][], columns: string[]): string[][] {
  const periods = [...new Set(csv.slice(1).map((r) => r[0]!))]
  const value = (p: string, c: string) => csv.find((r) => r[0] === p && r[1] === c)?.[2] ?? 'missing'
  return [['', ...columns], ...periods.map((p) => [p, ...columns.map((c) => value(p, c))])]
}

for (const rolled of [false, true]) {
  test(`the lone broker2 × model-unit × ${loneDay} visitor is hidden on the page and totals do not give them away (${rolled ? 'roll-ups' : 'live'})`, async () => {
    const t = await setup({ rolled })
    const liu = t.crafted.liu.name
    const byChannel = await t.marketing.get(`/reports?${range}&group=day&split=channel&lang=en`)
    assert.equal(byChannel.status, 200)
    const grid = tableOf(await byChannel.text(), 'report-table')
    const liuCol = grid[0]!.indexOf(liu)
    assert.ok(liuCol > 0, 'broker2 has a column')
    const loneRow = grid.find((r) => r[0] === loneDay)!
    assert.equal(loneRow[liuCol], '<5')
    for (const row of grid.slice(1)) assert.notEqual(row[liuCol], '1')
    assertNoLoneSuppression(grid)
    // the grand total is shown and is the true count: the lone visit is in it, but not recoverable
    assert.equal(grid.at(-1)!.at(-1), String(5 * 14 + 1))

    const byZone = await t.marketing.get(`/reports?${range}&group=day&split=zone&lang=en`)
    const zones = tableOf(await byZone.text(), 'report-table')
    const modelUnit = zones[0]!.indexOf('model-unit')
    assert.equal(zones.find((r) => r[0] === loneDay)![modelUnit], '<5')
    assertNoLoneSuppression(zones)

    // narrowing to the broker shows nothing but suppressed cells
    const onlyLiu = await t.marketing.get(
      `/reports?${range}&group=day&split=zone&channel=broker:${t.crafted.liu.id}&lang=en`,
    )
    const liuZones = tableOf(await onlyLiu.text(), 'report-table')
    assert.ok(liuZones.slice(1).every((row) => row.slice(1).every((v) => v === '<5' || v === '0')))
  })
}

test('the CSV export suppresses the same cell, streams with BOM and manifest, and is audited', async () => {
  const t = await setup({ rolled: true })
  const response = await t.marketing.get(`/exports/stats.csv?${range}&group=day&split=channel&lang=en`)
  assert.equal(response.status, 200)
  assert.match(response.headers.get('content-type')!, /text\/csv; charset=utf-8/)
  assert.match(
    response.headers.get('content-disposition')!,
    /attachment; filename="showroom-stats_2026-11-18_2026-11-22\.csv"/,
  )
  const bytes = new Uint8Array(await response.arrayBuffer())
  assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf])
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)
  assert.equal(text[0], '\uFEFF')
  assert.match(text, /# period: 2026-11-18 to 2026-11-22/)
  assert.match(text, /# k: 5 /)
  assert.match(text, /# epsilon: none/)
  assert.match(text, /# generated: 2026-11-23T02:00Z/)
  assert.match(text, /# office: /)
  const csv = parseCsv(text.slice(1))
  assert.deepEqual(csv[0]!.slice(0, 3), ['Period', 'By channel', 'Visits'])
  const lone = csv.find((r) => r[0] === loneDay && r[1] === t.crafted.liu.name)!
  assert.ok(
    lone.slice(2).every((v) => v === '<5'),
    `every metric of the lone cell hidden: ${lone}`,
  )
  const columns = [...new Set(csv.slice(1).map((r) => r[1]!))]
  assertNoLoneSuppression(csvAsTable(csv, columns))

  const [audit] = await t.database.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, 'export.stats'), eq(auditLog.target, 'csv')))
  assert.ok(audit, 'export audited')
  const detail = JSON.parse(audit.detail)
  assert.equal(detail.rows, csv.length - 1)
  assert.deepEqual(detail.filters, {
    preset: 'custom',
    from: '2026-11-18',
    to: '2026-11-22',
    group: 'day',
    split: 'channel',
    channel: null,
  })
  assert.equal(audit.actorType, 'staff')
  assert.ok(audit.actorId)
})

test('no export holds an id, phone hash, masked phone or exact timestamp from the database', async () => {
  const t = await setup()
  const db = t.database.db
  const secrets = new Set<string>([...t.fx.trace.ids, ...t.fx.trace.phoneHashes, ...t.fx.trace.masked])
  const times = new Set<number>(t.fx.trace.timestamps)
  for (const v of await db.select().from(visitors)) {
    for (const s of [v.id, v.phoneHash, v.phoneMasked, v.phoneEncrypted]) if (s) secrets.add(s)
  }
  for (const v of await db.select().from(visits)) {
    secrets.add(v.id)
    for (const at of [v.checkedInAt, v.checkedOutAt, v.assignedAt]) if (at) times.add(at)
  }
  for (const c of await db.select().from(consents)) (secrets.add(c.id), times.add(c.grantedAt))
  for (const s of await db.select().from(cameraSessions)) (secrets.add(s.id), times.add(s.startedAt))
  for (const r of await db.select().from(referrals)) (secrets.add(r.id), times.add(r.createdAt))
  secrets.add(t.crafted.liu.id).add(t.crafted.chen.id)
  const needles = [...secrets]
  for (const at of times) {
    const iso = new Date(at).toISOString()
    needles.push(String(at), String(Math.floor(at / 1000)), iso, iso.slice(0, 19))
    if (at % 3_600_000 !== 0) needles.push(iso.slice(0, 16))
  }
  for (const format of ['csv', 'json']) {
    for (const split of ['none', 'channel', 'zone']) {
      for (const group of ['day', 'week', 'hour']) {
        for (const epsilon of ['', '1']) {
          const path = `/exports/stats.${format}?${range}&group=${group}&split=${split}&epsilon=${epsilon}`
          const response = await t.marketing.get(path)
          assert.equal(response.status, 200, path)
          const body = await response.text()
          for (const needle of needles) assert.ok(!body.includes(needle), `${path} contains ${needle}`)
        }
      }
    }
  }
})

test('the JSON export carries the manifest with ε and the same suppression', async () => {
  const t = await setup()
  const response = await t.marketing.get(`/exports/stats.json?${range}&group=day&split=zone&epsilon=0.5`)
  assert.equal(response.status, 200)
  const body = JSON.parse(await response.text())
  assert.equal(body.manifest.epsilon, 0.5)
  assert.equal(body.manifest.k, 5)
  assert.equal(body.manifest.from, '2026-11-18')
  const lone = body.records.find(
    (r: { period: string; column: string }) => r.period === loneDay && r.column === 'model-unit',
  )
  assert.deepEqual(lone, { period: loneDay, column: 'model-unit', suppressed: true, shownAs: '<5' })
  const [audit] = await t.database.db.select().from(auditLog).where(eq(auditLog.target, 'json'))
  assert.equal(JSON.parse(audit!.detail).epsilon, 0.5)
})

test('sales staff get 403 on reports and exports, and the refusal is audited; signed-out goes to login', async () => {
  const t = await setup()
  const sales = new Client(t.app)
  await sales.login('sales', t.passwordOf('sales'))
  for (const path of ['/reports', '/exports/stats.csv', '/exports/stats.json']) {
    const response = await sales.get(path)
    assert.equal(response.status, 403, path)
  }
  const denied = await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'access.denied'))
  assert.deepEqual(denied.map((a) => a.target).sort(), [
    '/exports/stats.csv',
    '/exports/stats.json',
    '/reports',
  ])
  assert.equal(
    (await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'export.stats'))).length,
    0,
  )
  const anonymous = await new Client(t.app).get('/exports/stats.csv')
  assert.equal(anonymous.status, 303)
  assert.match(anonymous.headers.get('location')!, /^\/login\?next=/)
})

test('bad filters get a clear 400 and export nothing', async () => {
  const t = await setup()
  for (const query of [
    'preset=custom&from=2026-11-22&to=2026-11-18',
    'preset=custom&from=2025-01-01&to=2026-11-22',
    'preset=custom',
    'preset=custom&from=2026-02-30&to=2026-03-02',
    'group=minute',
    'split=visitor',
    'channel=visitor:abc',
    'epsilon=0',
    'epsilon=abc',
  ]) {
    const response = await t.marketing.get(`/exports/stats.csv?${query}`)
    assert.equal(response.status, 400, query)
  }
  assert.equal((await t.marketing.get('/reports?group=minute')).status, 400)
  assert.equal(
    (await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'export.stats'))).length,
    0,
  )
})

test('an htmx filter change gets only the results fragment and the resolved dates out of band', async () => {
  const t = await setup()
  const response = await t.marketing.get('/reports?preset=7d&group=week&split=none', {
    'hx-request': 'true',
    'hx-target': 'report-results',
  })
  assert.equal(response.status, 200)
  const html = await response.text()
  assert.ok(html.startsWith('<section id="report-results"'))
  assert.doesNotMatch(html, /<html/)
  assert.match(html, /id="report-dates"[^>]*hx-swap-oob="true"/)
  assert.match(html, /value="2026-11-17"/)
  assert.match(html, /value="2026-11-23"/)
  assert.match(html, /<svg id="report-period-chart"[^>]*role="img"/)
  assert.match(
    html,
    /href="\/exports\/stats\.csv\?preset=7d&amp;from=2026-11-17&amp;to=2026-11-23&amp;group=week/,
  )
})
