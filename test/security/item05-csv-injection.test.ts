// Item 5: no export lets a spreadsheet run a typed-in value as a formula; the test walks every .csv route of the app.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import { makeTestApp, Client, adminPassword } from '../helpers/app.ts'
import { createBroker, createStaff } from '../../models/staff.ts'
import { offices, listStations } from '../../models/offices.ts'
import { addContentItem, recordPlay } from '../../models/content.ts'
import { csvRows, neutralise } from '../../server/csv.ts'

// what people type into names and sign-in fields, each a formula or a DDE call in Excel, LibreOffice or Sheets
const payloads = [
  '=1+2',
  '+1+2',
  '-2+3',
  '@SUM(1,2)',
  '\t=1+2',
  '\r=1+2',
  `=HYPERLINK("http://evil.example","x")`,
]
const brokerPassword = 'broker-password-for-tests'

// RFC 4180: quoted fields may hold commas, quotes ("") and line breaks
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') ((cell += '"'), i++)
      else if (ch === '"') quoted = false
      else cell += ch
    } else if (ch === '"' && cell === '') quoted = true
    else if (ch === ',') (row.push(cell), (cell = ''))
    else if (ch === '\n' || (ch === '\r' && text[i + 1] === '\n')) {
      if (ch === '\r') i++
      ;(row.push(cell), rows.push(row), (row = []), (cell = ''))
    } else cell += ch
  }
  if (cell !== '' || row.length) (row.push(cell), rows.push(row))
  return rows
}

const dangerous = (cell: string) => /^[=+\-@\t\r]/.test(cell) && !/^-?\d+(\.\d+)?$/.test(cell)

test('item 5: the CSV writer neutralises every cell a spreadsheet would read as a formula', () => {
  for (const payload of payloads) {
    assert.equal(neutralise(payload), `'${payload}`)
    const [[cell]] = parseCsv(csvRows([[payload]])) as [[string]]
    assert.equal(dangerous(cell), false, JSON.stringify(payload))
  }
  // numbers stay numbers; ordinary text is left alone
  assert.equal(neutralise(-3), '-3')
  assert.equal(neutralise('-3.5'), '-3.5')
  assert.equal(neutralise('王先生'), '王先生')
  assert.equal(neutralise(null), '')
})

test('item 5: every CSV export route writes hostile names and sign-in attempts as inert text', async () => {
  const t = await makeTestApp()
  const db = t.database.db
  // typed-in values that reach the exports: an office name (manifest lines, developer report), a broker's
  // name and company (commission), user names tried at sign-in (audit log)
  await db
    .update(offices)
    .set({ name: `${payloads[0]},${payloads[6]}` })
    .where(eq(offices.id, t.seeded.officeId))
  const brokerId = await t.database.write((tx) =>
    createBroker({
      tx,
      input: {
        officeId: t.seeded.officeId,
        username: 'hostile-broker',
        displayName: payloads[1]!,
        company: payloads[3]!,
        password: brokerPassword,
      },
      now: t.clock.now(),
    }),
  )
  assert.ok(brokerId)
  // a consultant's display name (consultant figures)
  await t.database.write((tx) =>
    createStaff({
      tx,
      input: {
        officeId: t.seeded.officeId,
        username: 'hostile-sales',
        displayName: payloads[5]!,
        role: 'sales',
        password: brokerPassword,
      },
      now: t.clock.now(),
    }),
  )
  // a content item's name, with one play (content report)
  const display = (await listStations(db, t.seeded.officeId)).find((s) => s.kind === 'display')!
  await t.database.write(async (tx) => {
    const item = await addContentItem({
      tx,
      input: {
        officeId: t.seeded.officeId,
        name: payloads[4]!,
        kind: 'image',
        mediaType: 'image/png',
        sha256: 'a'.repeat(64),
        bytes: 100,
        durationMs: 10_000,
      },
      now: t.clock.now(),
    })
    const at = t.clock.now()
    await recordPlay({
      tx,
      input: {
        id: 'play-hostile-1',
        officeId: t.seeded.officeId,
        stationId: display.id,
        itemId: item.id,
        version: item.version,
        startedAt: at - 10_000,
        endedAt: at,
      },
      now: at,
    })
  })
  const broker = new Client(t.app)
  await broker.login('hostile-broker', brokerPassword)
  assert.ok((await broker.post('/agent/referrals', { clientLabel: payloads[2]! })).status < 400)
  const stranger = new Client(t.app)
  for (const payload of payloads) await stranger.post('/login', { username: payload, password: 'x' })

  const admin = new Client(t.app)
  await admin.login('admin', adminPassword)
  const exports = [...new Set(t.app.routes.filter((r) => r.method === 'GET' && r.path.endsWith('.csv')))]
    .map((r) => r.path)
    .filter((path, i, all) => all.indexOf(path) === i)
  assert.ok(exports.length >= 4, `export routes found: ${exports.join(', ')}`)
  const period = '?preset=custom&from=2026-11-01&to=2026-11-30'
  const failures: string[] = []
  for (const path of exports) {
    const res = await admin.get(path + period)
    assert.equal(res.status, 200, path)
    assert.match(res.headers.get('content-type') ?? '', /^text\/csv/, path)
    const cells = parseCsv((await res.text()).replace(/^\uFEFF/, '')).flat()
    const live = cells.filter(dangerous)
    if (live.length) failures.push(`${path}: cells a spreadsheet would run: ${JSON.stringify(live)}`)
    // the walk reached the hostile values: each export carries at least one of them (sign-in names lowercased)
    if (!cells.some((cell) => payloads.some((p) => cell.toLowerCase().includes(p.toLowerCase()))))
      failures.push(`${path}: no hostile value reached this export`)
  }
  assert.deepEqual(failures, [])
})
