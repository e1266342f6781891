// Deletion really deletes: a deleted phone's hash, mask and ciphertext are not in the SQLite file (or its WAL).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { openDatabase, migrateDatabase, type Database } from '../../models/db.ts'
import { seedFirstStart } from '../../models/seed.ts'
import { ephemeralKeys } from '../../server/keys.ts'
import { deleteVisitorData } from '../../models/privacy.ts'
import { purgeExpired, reclaimFreedSpace } from '../../models/retention.ts'
import { addVisitor, addVisit, addConsentWithSession } from '../helpers/privacy-fixtures.ts'
import { visitors } from '../../models/visits.ts'
import { protectPhone } from '../../models/phone.ts'

async function fileBytes(file: string) {
  const main = await readFile(file)
  const wal = await readFile(`${file}-wal`).catch(() => Buffer.alloc(0))
  return Buffer.concat([main, wal])
}

function holds(bytes: Buffer, text: string) {
  return bytes.includes(Buffer.from(text, 'utf8'))
}

async function withFileDatabase(work: (database: Database, file: string, officeId: string) => Promise<void>) {
  const dir = await mkdtemp(path.join(tmpdir(), 'showroom-bytes-'))
  const file = path.join(dir, 'showroom.db')
  const database = await openDatabase({ url: `file:${file}` })
  try {
    await migrateDatabase(database)
    const seeded = await seedFirstStart({ database, adminPassword: 'x'.repeat(12), demo: true, now: 0 })
    await work(database, file, seeded!.officeId)
  } finally {
    database.close()
    await rm(dir, { recursive: true, force: true })
  }
}

test('a fresh file database uses incremental auto-vacuum', async () => {
  await withFileDatabase(async (database) => {
    const mode = await database.client.execute('PRAGMA auto_vacuum')
    assert.equal(Number(mode.rows[0]!.auto_vacuum), 2)
  })
})

test('after deleteVisitorData the phone number cannot be found in the database file', async () => {
  const keys = await ephemeralKeys()
  await withFileDatabase(async (database, file, officeId) => {
    const now = Date.parse('2026-11-23T02:00:00Z')
    const gone = await addVisitor(database, { officeId, phone: '13812345678', keys: keys.phone, at: now })
    const kept = await addVisitor(database, { officeId, phone: '13987654321', keys: keys.phone, at: now })
    const visit = await addVisit(database, { officeId, visitorId: gone.id, at: now })
    await addConsentWithSession(database, { officeId, visitId: visit, at: now })
    await reclaimFreedSpace(database)
    const before = await fileBytes(file)
    // the test can see the data when it is there (so "not found" below means something)
    for (const value of [gone.phoneHash!, gone.phoneMasked!, gone.phoneEncrypted!])
      assert.ok(holds(before, value))

    await database.write((tx) => deleteVisitorData({ tx, visitorId: gone.id, now }))
    await reclaimFreedSpace(database)
    const after = await fileBytes(file)
    for (const value of [gone.phoneHash!, gone.phoneMasked!, gone.phoneEncrypted!, '13812345678']) {
      assert.equal(holds(after, value), false, `${value} lingers in the file`)
    }
    assert.ok(holds(after, kept.phoneHash!), 'the other visitor is untouched')
  })
})

test('after a retention purge the expired phone number cannot be found in the database file', async () => {
  const keys = await ephemeralKeys()
  await withFileDatabase(async (database, file, officeId) => {
    const then = Date.parse('2025-01-01T02:00:00Z')
    const expired = await addVisitor(database, { officeId, phone: '13711112222', keys: keys.phone, at: then })
    await addVisit(database, { officeId, visitorId: expired.id, at: then })
    await reclaimFreedSpace(database)
    assert.ok(holds(await fileBytes(file), expired.phoneHash!))

    const run = await purgeExpired({ database, now: then + 400 * 86400_000, trigger: 'manual' })
    assert.equal(run.deleted['visitor-personal'], 1)
    const after = await fileBytes(file)
    for (const value of [expired.phoneHash!, expired.phoneMasked!, expired.phoneEncrypted!]) {
      assert.equal(holds(after, value), false, `${value} lingers in the file`)
    }
  })
})

test('a large purge hands every freed page back to the file system', async () => {
  const keys = await ephemeralKeys()
  await withFileDatabase(async (database, file, officeId) => {
    const then = Date.parse('2025-01-01T02:00:00Z')
    await database.write(async (tx) => {
      for (let i = 0; i < 1500; i++) {
        const phone = await protectPhone(keys.phone, `137${String(i).padStart(8, '0')}`)
        await tx.insert(visitors).values({ id: `v${i}`, officeId, ...phone, createdAt: then })
      }
    })
    await reclaimFreedSpace(database)
    const before = (await stat(file)).size
    const run = await purgeExpired({ database, now: then + 400 * 86400_000, trigger: 'manual' })
    assert.equal(run.error, null)
    assert.equal(run.deleted['visitor-personal'], 1500)
    const free = await database.client.execute('PRAGMA freelist_count')
    assert.equal(Number(free.rows[0]!.freelist_count), 0)
    assert.ok((await stat(file)).size < before, 'the file shrank')
  })
})
