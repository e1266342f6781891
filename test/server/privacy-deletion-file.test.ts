// An officer's granted deletion request leaves none of the person's phone data in the database files on disk.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { startTestServer, adminPassword } from '../helpers/browser.ts'
import { Client } from '../helpers/app.ts'
import { addVisitor, addVisit } from '../helpers/privacy-fixtures.ts'

async function dataFiles(dir: string) {
  const parts = []
  // every file under the data directory, its subfolders (content store) included
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true }))
    if (entry.isFile()) parts.push(await readFile(path.join(entry.parentPath, entry.name)))
  return Buffer.concat(parts)
}

test('completing a deletion request by phone removes the phone hash, mask and ciphertext from the files', async () => {
  const server = await startTestServer()
  try {
    const officeId = server.seeded!.officeId
    const at = Date.now()
    const visitor = await addVisitor(server.database, {
      officeId,
      phone: '13655556666',
      keys: server.deps.keys.phone,
      at,
    })
    await addVisit(server.database, { officeId, visitorId: visitor.id, at })
    await server.database.client.execute('PRAGMA wal_checkpoint(TRUNCATE)')
    assert.ok((await dataFiles(server.dataDir)).includes(Buffer.from(visitor.phoneHash!)))

    // requests go through app.request here, without a Node socket to read the peer address from
    server.deps.clientAddress = () => '127.0.0.1'
    const client = new Client(server.app)
    await client.login('admin', adminPassword)
    const made = await client.post('/privacy/requests', { visitorId: visitor.id, kind: 'delete' })
    const done = await client.post(`${made.headers.get('location')}/complete`, { outcome: 'done' })
    assert.equal(done.status, 303)
    const bytes = await dataFiles(server.dataDir)
    for (const value of [visitor.phoneHash!, visitor.phoneMasked!, visitor.phoneEncrypted!, '13655556666']) {
      assert.equal(bytes.includes(Buffer.from(value)), false, `${value} lingers on disk`)
    }
  } finally {
    await server.close()
  }
})
