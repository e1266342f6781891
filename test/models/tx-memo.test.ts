// Reads memoised for one write transaction (office, developer’s offices, current rules) follow the writes made in
// that same transaction, and nothing is memoised outside a transaction or across transactions.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { openDatabase, migrateDatabase } from '../../models/db.ts'
import { addDeveloperOffice, createDeveloper, developerOffices } from '../../models/developers.ts'
import { createOffice, getOffice } from '../../models/offices.ts'
import { currentRules, defaultRules, saveRules } from '../../models/channel-rules.ts'
import { saveOfficeSettings } from '../../models/office-settings.ts'
import { appendAudit, auditLog } from '../../models/audit.ts'
import { like } from 'drizzle-orm'

const now = Date.parse('2026-11-30T02:00:00Z')

async function freshOffice() {
  const database = await openDatabase({ url: ':memory:' })
  await migrateDatabase(database)
  const { officeId, developerId } = await database.write(async (tx) => {
    const developerId = await createDeveloper({ tx, input: { name: '开发商' }, now })
    const officeId = await createOffice({
      tx,
      input: { name: '一号案场', processorName: 'P', privacyContact: 'c', developerId },
      now,
    })
    return { officeId, developerId }
  })
  return { database, officeId, developerId }
}

test('inside one transaction, a rule change, an office edit and a new sibling office are read back at once', async () => {
  const { database, officeId, developerId } = await freshOffice()
  await database.write(async (tx) => {
    assert.equal((await currentRules(tx, officeId)).version, 0)
    await saveRules({
      tx,
      input: { officeId, body: { ...defaultRules, dailyCap: 7 }, createdBy: 'test' },
      now,
    })
    const rules = await currentRules(tx, officeId)
    assert.equal(rules.version, 1)
    assert.equal(rules.body.dailyCap, 7)

    assert.equal((await getOffice(tx, officeId))!.timeZone, 'Asia/Shanghai')
    assert.deepEqual(
      (await developerOffices(tx, officeId)).map((o) => o.name),
      ['一号案场'],
    )
    await saveOfficeSettings({
      tx,
      officeId,
      input: {
        name: '一号案场（新）',
        developerName: '开发商',
        timeZone: 'Asia/Urumqi',
        processorName: 'P',
        privacyContact: 'c',
      },
      publishedBy: null,
      now,
    })
    assert.equal((await getOffice(tx, officeId))!.timeZone, 'Asia/Urumqi')
    await addDeveloperOffice({
      tx,
      input: { developerId, name: '二号案场', processorName: 'P', privacyContact: 'c' },
      now,
    })
    assert.deepEqual(
      (await developerOffices(tx, officeId)).map((o) => o.name),
      ['一号案场（新）', '二号案场'],
    )
  })
  database.close()
})

test('outside a transaction and in the next transaction, what another transaction wrote is read', async () => {
  const { database, officeId } = await freshOffice()
  assert.equal((await currentRules(database.db, officeId)).version, 0)
  await database.write(async (tx) => {
    await currentRules(tx, officeId)
    await saveRules({ tx, input: { officeId, body: defaultRules, createdBy: 'test' }, now })
  })
  assert.equal((await currentRules(database.db, officeId)).version, 1)
  await database.write(async (tx) => {
    assert.equal((await currentRules(tx, officeId)).version, 1)
    await saveRules({ tx, input: { officeId, body: defaultRules, createdBy: 'test' }, now })
  })
  assert.equal((await database.write((tx) => currentRules(tx, officeId))).version, 2)
  database.close()
})

test('a statement prepared once per transaction runs with each call’s own values, nulls included', async () => {
  const { database, officeId } = await freshOffice()
  const entries = [
    { at: 1, officeId, actorType: 'staff', actorId: 'a1', action: 'x.one', target: 't1', detail: { n: 1 } },
    { at: 2, actorType: 'system', action: 'x.two' },
    {
      at: 3,
      officeId,
      actorType: 'visitor',
      actorId: 'v',
      action: 'x.three',
      target: "'; DROP TABLE audit_log; --",
    },
  ] as const
  await database.write(async (tx) => {
    for (const entry of entries) await appendAudit(tx, entry)
  })
  await database.write((tx) => appendAudit(tx, { at: 4, actorType: 'system', action: 'x.four' }))
  const rows = await database.db
    .select()
    .from(auditLog)
    .where(like(auditLog.action, 'x.%'))
    .orderBy(auditLog.at)
  assert.deepEqual(
    rows.map((r) => [r.at, r.officeId, r.actorType, r.actorId, r.action, r.target, r.detail]),
    [
      [1, officeId, 'staff', 'a1', 'x.one', 't1', '{"n":1}'],
      [2, null, 'system', null, 'x.two', null, '{}'],
      [3, officeId, 'visitor', 'v', 'x.three', "'; DROP TABLE audit_log; --", '{}'],
      [4, null, 'system', null, 'x.four', null, '{}'],
    ],
  )
  database.close()
})
