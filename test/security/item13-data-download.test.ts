// Item 13 of the security review: /me/data.json is rate-limited and repeated downloads are one request in the queue.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { makeTestApp } from '../helpers/app.ts'
import { checkIn } from '../helpers/visitor.ts'
import { dataRequests } from '../../models/privacy.ts'

test('item 13: repeated downloads of /me/data.json the same day add one request to the privacy queue', async () => {
  const t = await makeTestApp()
  const phone = await checkIn(t, { phone: '13600001234' })
  for (let i = 0; i < 5; i++) {
    assert.equal((await phone.get('/me/data.json')).status, 200)
    t.clock.advance(60_000)
  }
  assert.equal((await t.database.db.select().from(dataRequests)).length, 1)
  // the next day's download is a request of its own
  t.clock.advance(86400_000)
  const again = await checkIn(t, { phone: '13600001234', client: phone })
  assert.equal((await again.get('/me/data.json')).status, 200)
  assert.equal((await t.database.db.select().from(dataRequests)).length, 2)
})

test('item 13: a flood of /me/data.json from one address is refused with 429 and writes nothing more', async () => {
  const t = await makeTestApp()
  const phone = await checkIn(t)
  const statuses: number[] = []
  for (let i = 0; i < 60; i++) statuses.push((await phone.get('/me/data.json')).status)
  assert.ok(statuses.includes(429), `statuses: ${[...new Set(statuses)]}`)
  assert.equal(statuses[0], 200)
  assert.equal((await t.database.db.select().from(dataRequests)).length, 1)
})
