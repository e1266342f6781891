// Developer scope: the migration puts existing offices under one default developer; sibling offices by developer.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { migrate } from 'drizzle-orm/libsql/migrator'
import { openDatabase, migrateDatabase, migrationsFolder } from '../../models/db.ts'
import { createDeveloper, developerOffices, sameDeveloper } from '../../models/developers.ts'
import { createOffice, getOffice } from '../../models/offices.ts'

const office = { name: '案场', processorName: 'P', privacyContact: 'c' }

test('an office that existed before developer scope joins the default developer on migration', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'showroom-dev-'))
  // the migrations as they were before developer scope
  const before = path.join(dir, 'drizzle')
  await cp(migrationsFolder, before, { recursive: true })
  const journalFile = path.join(before, 'meta', '_journal.json')
  const journal = JSON.parse(await readFile(journalFile, 'utf8'))
  const upTo = journal.entries.findIndex((e: { tag: string }) => e.tag === '0005_developer-scope')
  assert.ok(upTo > 0)
  journal.entries = journal.entries.slice(0, upTo)
  await writeFile(journalFile, JSON.stringify(journal))
  const database = await openDatabase({ url: ':memory:' })
  await migrate(database.db, { migrationsFolder: before })
  await database.client.execute(
    "INSERT INTO offices (id, name, processor_name, privacy_contact, created_at) VALUES ('old', 'Old', 'P', 'c', 1)",
  )
  await migrateDatabase(database)
  assert.equal((await getOffice(database.db, 'old'))!.developerId, 'default')
  const developers = await database.client.execute('SELECT id, name_en FROM developers')
  assert.deepEqual(
    developers.rows.map((r) => [r.id, r.name_en]),
    [['default', 'Default developer']],
  )
  database.close()
  await rm(dir, { recursive: true, force: true })
})

test('a fresh database has no default developer; siblings are the offices of one developer only', async () => {
  const database = await openDatabase({ url: ':memory:' })
  await migrateDatabase(database)
  assert.equal((await database.client.execute('SELECT count(*) AS n FROM developers')).rows[0]!.n, 0)
  const ids = await database.write(async (tx) => {
    const d1 = await createDeveloper({ tx, input: { name: '甲集团' }, now: 1 })
    const d2 = await createDeveloper({ tx, input: { name: '乙集团' }, now: 1 })
    return {
      a: await createOffice({ tx, input: { ...office, developerId: d1 }, now: 1 }),
      b: await createOffice({ tx, input: { ...office, developerId: d1 }, now: 2 }),
      c: await createOffice({ tx, input: { ...office, developerId: d2 }, now: 3 }),
      alone: await createOffice({ tx, input: office, now: 4 }),
    }
  })
  assert.deepEqual(
    (await developerOffices(database.db, ids.b)).map((o) => o.id),
    [ids.b, ids.a],
  )
  assert.deepEqual(
    (await developerOffices(database.db, ids.c)).map((o) => o.id),
    [ids.c],
  )
  assert.deepEqual(
    (await developerOffices(database.db, ids.alone)).map((o) => o.id),
    [ids.alone],
  )
  assert.equal(await sameDeveloper(database.db, ids.a, ids.b), true)
  assert.equal(await sameDeveloper(database.db, ids.a, ids.c), false)
  assert.equal(await sameDeveloper(database.db, ids.alone, ids.alone), true)
  assert.equal(await sameDeveloper(database.db, ids.alone, ids.c), false)
  database.close()
})
