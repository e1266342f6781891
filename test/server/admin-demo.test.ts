// Removing the demo: one confirmed, audited admin action; no row of the demo left in any table of the schema,
// and a second, real office's rows exactly as they were. Also the demo mark on the demo office's pages.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { eq, sql } from 'drizzle-orm'
import { makeTestApp, Client, adminPassword, type TestApp } from '../helpers/app.ts'
import { seedDemoLife } from '../../models/demo/index.ts'
import { replayHistory } from '../../models/demo/history.ts'
import { seededRandom } from '../../models/demo/random.ts'
import { addDeveloperOffice, createDeveloper } from '../../models/developers.ts'
import { createOffice, createStation, offices } from '../../models/offices.ts'
import { entranceToken } from '../helpers/visitor.ts'
import { openDatabase, migrateDatabase } from '../../models/db.ts'
import { seedFirstStart } from '../../models/seed.ts'
import { createBroker, createStaff, staff } from '../../models/staff.ts'
import { currentNotice } from '../../models/consents.ts'
import { changeDuty } from '../../models/reception.ts'
import { saveRules, defaultRules } from '../../models/channel-rules.ts'
import { setRetention, purgeExpired } from '../../models/retention.ts'
import { saveAssessment } from '../../models/privacy.ts'
import { recordAppliedEvents } from '../../models/camera.ts'
import { rollupDays, setRolledThrough } from '../../models/rollups.ts'
import { auditLog } from '../../models/audit.ts'
import { localDay } from '../../models/time.ts'
import { addDays } from '../../models/report-period.ts'

const realPassword = 'real-office-password'

// a second office of another developer, made and lived in through the same verbs as the demo
async function addRealOffice(t: TestApp, days = 5) {
  const now = t.clock.now()
  return t.database.write(async (tx) => {
    const developerId = await createDeveloper({
      tx,
      input: { name: '真实地产', nameEn: 'Real Estate Co' },
      now,
    })
    const { officeId, entranceStationId } = await addDeveloperOffice({
      tx,
      input: {
        developerId,
        name: '真实案场',
        nameEn: 'Real office',
        processorName: 'Real Co',
        privacyContact: 'r@x',
      },
      now,
    })
    const kioskId = await createStation({ tx, input: { officeId, kind: 'kiosk', name: 'K' }, now })
    const sandId = await createStation({
      tx,
      input: { officeId, kind: 'display', name: 'S', zone: 'sand-table' },
      now,
    })
    const people = async (username: string, role: 'sales' | 'manager' | 'privacy') =>
      createStaff({
        tx,
        input: { officeId, username, displayName: username, role, password: realPassword },
        now,
      })
    const consultant = await people('real-sales', 'sales')
    const manager = await people('real-manager', 'manager')
    await people('real-privacy', 'privacy')
    await changeDuty({ tx, officeId, input: { staffId: consultant, action: 'on' }, now })
    const broker = await createBroker({
      tx,
      input: { officeId, username: 'real-broker', displayName: 'B', company: 'C', password: realPassword },
      now,
    })
    await saveRules({
      tx,
      input: { officeId, body: { ...defaultRules, dailyCap: 50 }, createdBy: manager },
      now,
    })
    await setRetention({
      tx,
      input: { officeId, kind: 'camera-sessions', days: 20, updatedBy: manager },
      now,
    })
    await saveAssessment({ tx, input: { officeId, generatedBy: manager, body: { real: true } }, now })
    await recordAppliedEvents({ tx, input: { stationId: sandId, ids: ['real-event-0001'] }, now })
    const notice = (lang: 'zh-CN' | 'en') => currentNotice(tx as never, officeId, lang)
    await replayHistory({
      tx,
      cast: {
        officeId,
        timeZone: 'Asia/Shanghai',
        entranceId: entranceStationId,
        kioskId,
        zoneStationIds: [sandId],
        noticeIds: { zh: (await notice('zh-CN'))!.id, en: (await notice('en'))!.id },
        consultantIds: [consultant],
        managerId: manager,
        brokers: [{ id: broker, weight: 1 }],
      },
      random: seededRandom('real-office'),
      phoneKeys: t.keys.phone,
      now,
      days,
    })
    const yesterday = addDays(localDay(now, 'Asia/Shanghai'), -1)
    await rollupDays({ tx, officeId, from: addDays(yesterday, -5), to: yesterday })
    await setRolledThrough({ tx, officeId, day: yesterday })
    return officeId
  })
}

type Snapshot = Map<string, { columns: string[]; rows: Record<string, unknown>[] }>

async function snapshot(t: TestApp): Promise<Snapshot> {
  const tables = await t.database.db.all<{ name: string }>(
    sql`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
  )
  const shot: Snapshot = new Map()
  for (const { name } of tables) {
    const rows = await t.database.db.all<Record<string, unknown>>(sql.raw(`SELECT * FROM "${name}"`))
    const columns = (
      await t.database.db.all<{ name: string }>(sql`SELECT name FROM pragma_table_info(${name})`)
    ).map((c) => c.name)
    shot.set(name, { columns, rows })
  }
  return shot
}

// columns that hold an id of something: the links between rows, whether or not the schema declares them
const idColumn = (column: string) =>
  column === 'id' || column === 'jti' || column.endsWith('_id') || column.endsWith('_by')

// every id that belongs to a row reachable from `roots` through any id-valued cell (declared or not)
function reachable(shot: Snapshot, roots: string[], except: Set<string>): Set<string> {
  const ids = new Set(roots)
  for (let grew = true; grew;) {
    grew = false
    for (const { columns, rows } of shot.values()) {
      const linked = columns.filter(idColumn)
      for (const row of rows) {
        const values = linked
          .map((c) => row[c])
          .filter((v): v is string => typeof v === 'string' && !except.has(v))
        if (!values.some((v) => ids.has(v))) continue
        for (const v of values) if (!ids.has(v)) (ids.add(v), (grew = true))
      }
    }
  }
  return ids
}

const rowKey = (row: Record<string, unknown>) => JSON.stringify(row)

test('the admin removes the demo in one confirmed, audited action: no demo row left in any table, the real office untouched', async () => {
  const t = await makeTestApp({ demo: true })
  const life = await seedDemoLife({
    database: t.database,
    seeded: t.seeded,
    phoneKeys: t.keys.phone,
    now: t.clock.now(),
    days: 10,
  })
  assert.ok(life.arrivals > 100, 'the demo has a history')
  const realOfficeId = await addRealOffice(t)
  // each office's privacy officer ran a purge of their own office
  for (const officeId of [t.seeded.officeId, realOfficeId])
    await purgeExpired({ database: t.database, now: t.clock.now(), trigger: 'manual', officeId })
  const admin = new Client(t.app)
  await admin.login('admin', adminPassword)
  const manager = new Client(t.app)
  await manager.login('manager', t.passwordOf('manager'))
  const [adminRow] = await t.database.db.select().from(staff).where(eq(staff.username, 'admin'))

  const before = await snapshot(t)
  const demoIds = reachable(before, [t.seeded.officeId, t.seeded.developerId], new Set([adminRow!.id]))
  const realIds = reachable(before, [realOfficeId], new Set())
  assert.equal([...realIds].filter((id) => demoIds.has(id)).length, 0, 'the two offices share no row')
  for (const table of [
    'visits',
    'referrals',
    'appeals',
    'consents',
    'camera_sessions',
    'daily_rollups',
    'audit_log',
  ]) {
    assert.ok(before.get(table)!.rows.length > 0, `${table} has rows to remove`)
  }

  // a confirmation is required: without it, or with the wrong word, nothing changes
  for (const fields of [{}, { confirm: 'yes' }] as Record<string, string>[]) {
    const refused = await admin.post('/admin/demo/remove', fields)
    assert.equal(refused.status, 400)
  }
  const notAdmin = await manager.post('/admin/demo/remove', { confirm: 'DEMO' })
  assert.notEqual(notAdmin.status, 303)
  // refused removals changed nothing (the refusal itself is audited: the audit log only grew)
  const refusedAfter = await snapshot(t)
  for (const [table, { rows }] of before) {
    if (table === 'audit_log') assert.deepEqual(refusedAfter.get(table)!.rows.slice(0, rows.length), rows)
    else assert.deepEqual(refusedAfter.get(table)!.rows, rows, `${table} changed by a refused removal`)
  }

  const page = await admin.get('/admin/demo')
  assert.equal(page.status, 200)
  assert.match(await page.text(), /示范案场 · 滨江壹号售楼处/)
  const removed = await admin.post('/admin/demo/remove', { confirm: 'DEMO' })
  assert.equal(removed.status, 303)

  const after = await snapshot(t)
  // no cell anywhere names a row of the demo (declared foreign key or not)
  for (const [table, { columns, rows }] of after) {
    for (const row of rows) {
      for (const column of columns.filter(idColumn)) {
        assert.ok(!demoIds.has(row[column] as string), `${table}.${column} still names a demo row`)
      }
    }
  }
  // every row that was not the demo's is there, unchanged; the only new rows are the admin's new office and the audit
  for (const [table, { rows }] of before) {
    const kept = new Set(after.get(table)!.rows.map(rowKey))
    for (const row of rows) {
      const ofDemo = Object.values(row).some((v) => typeof v === 'string' && demoIds.has(v))
      const ofReal = Object.values(row).some((v) => typeof v === 'string' && realIds.has(v))
      if (ofReal) assert.ok(kept.has(rowKey(row)), `${table}: a row of the real office changed or went`)
      if (!ofDemo && row.id !== adminRow!.id && table !== 'audit_guard')
        assert.ok(kept.has(rowKey(row)), `${table}: a row of no office changed or went`)
    }
    const realBefore = rows.filter((r) =>
      Object.values(r).some((v) => typeof v === 'string' && realIds.has(v)),
    )
    const realAfter = after
      .get(table)!
      .rows.filter((r) => Object.values(r).some((v) => typeof v === 'string' && realIds.has(v)))
    assert.equal(realAfter.length, realBefore.length, `${table}: row count of the real office`)
  }
  const [moved] = await t.database.db.select().from(staff).where(eq(staff.id, adminRow!.id))
  assert.notEqual(moved!.officeId, realOfficeId, "the admin is not handed another developer's office")
  const [landing] = await t.database.db.select().from(offices).where(eq(offices.id, moved!.officeId))
  assert.equal(landing!.demo, false)
  const [audit] = await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'demo.removed'))
  assert.equal(audit!.actorId, adminRow!.id)
  assert.ok(JSON.parse(audit!.detail).rows.visits > 100, 'the audit says what went')
  // the admin still signs in and works; the demo's accounts do not
  assert.equal((await admin.get('/admin')).status, 200)
  assert.equal(
    (await new Client(t.app).post('/login', { username: 'sales', password: t.passwordOf('sales') })).status,
    401,
  )
  assert.equal((await admin.get('/admin/demo')).status, 404, 'nothing left to remove')
})

test('every page of the demo office carries the demo mark; a real office’s pages do not', async () => {
  const t = await makeTestApp({ demo: true })
  const realOfficeId = await addRealOffice(t, 1)
  const sales = new Client(t.app)
  await sales.login('sales', t.passwordOf('sales'))
  for (const path of ['/dashboard']) {
    const html = await (await sales.get(path)).text()
    assert.match(html, /<body[^>]*><div id="demo-mark"[^>]*><strong>演示数据 \/ Demo data<\/strong>/)
  }
  const marketing = new Client(t.app)
  await marketing.login('marketing', t.passwordOf('marketing'))
  assert.match(await (await marketing.get('/reports')).text(), /id="demo-mark"/)
  const entrance = t.seeded.stations.find((s) => s.kind === 'entrance')!
  assert.match(await (await new Client(t.app).get(`/entrance/${entrance.id}`)).text(), /id="demo-mark"/)
  const real = new Client(t.app)
  await real.login('real-sales', realPassword)
  assert.doesNotMatch(await (await real.get('/dashboard')).text(), /demo-mark/)
  // a visitor's phone: the check-in page of the entrance QR it scanned, then its visit pass
  const checkIn = async (officeId: string) => {
    const token = await entranceToken(t, { officeId })
    const phone = new Client(t.app)
    const form = await (await phone.get(`/checkin?t=${token}`)).text()
    assert.equal((await phone.post('/checkin', { t: token })).status, 303)
    return { form, pass: await (await phone.get('/pass')).text() }
  }
  const atDemo = await checkIn(t.seeded.officeId)
  assert.match(atDemo.form, /id="demo-mark"/)
  assert.match(atDemo.pass, /id="demo-mark"/)
  const atReal = await checkIn(realOfficeId)
  assert.doesNotMatch(atReal.form + atReal.pass, /demo-mark/)
})

test('seeding never runs over a database that already has an office, even one without accounts', async () => {
  const database = await openDatabase({ url: ':memory:' })
  await migrateDatabase(database)
  const now = Date.parse('2026-11-23T02:00:00Z')
  await database.write((tx) =>
    createOffice({ tx, input: { name: '别处的案场', processorName: 'P', privacyContact: 'c' }, now }),
  )
  assert.equal(await seedFirstStart({ database, demo: true, now }), null)
  const rows = await database.db.select().from(offices)
  assert.equal(rows.length, 1)
  assert.equal((await database.db.select().from(staff)).length, 0)
  database.close()
})
