// Proof of play through the station pipeline: stored once (even after the idempotency keys are purged), a
// deleted item's late plays keep its name, a play from another office's item or an implausible one is dropped.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { makeTestApp } from '../../helpers/app.ts'
import { acceptStationEvents } from '../../../server/station-events.ts'
import { listStations } from '../../../models/offices.ts'
import { stationEvents } from '../../../models/consents.ts'
import { addContentItem, contentPlays, deleteContentItem } from '../../../models/content.ts'

test('a play is stored exactly once, with the name of its item even when the item was deleted meanwhile', async () => {
  const t = await makeTestApp()
  const officeId = t.seeded.officeId
  const display = (await listStations(t.database.db, officeId)).find((s) => s.kind === 'display')!
  const now = t.clock.now()
  const item = await t.database.write((tx) =>
    addContentItem({
      tx,
      input: {
        officeId,
        name: 'Price list',
        kind: 'image',
        mediaType: 'image/png',
        sha256: 'b'.repeat(64),
        bytes: 1,
        durationMs: 10_000,
      },
      now,
    }),
  )
  await t.database.write((tx) => deleteContentItem({ tx, input: { officeId, itemId: item.id }, now }))
  const play = {
    type: 'event',
    id: 'play-event-00000001',
    kind: 'play',
    item: item.id,
    version: 1,
    startedAt: now - 10_000,
    endedAt: now,
    at: now,
  }
  const outcome = async () => (await acceptStationEvents(t.deps, display, [play])).get(play.id)
  assert.deepEqual(await outcome(), { ack: true })
  assert.deepEqual(await outcome(), { ack: false, reason: 'duplicate' })
  // the idempotency keys are purged after two days; the play itself still keys on the event id
  await t.database.write((tx) => tx.delete(stationEvents))
  assert.deepEqual(await outcome(), { ack: false, reason: 'duplicate' })
  const rows = await t.database.db.select().from(contentPlays)
  assert.deepEqual(
    rows.map((r) => [r.itemName, r.itemVersion, r.endedAt - r.startedAt]),
    [['Price list', 1, 10_000]],
  )
  // too long on screen, or from the future
  const odd = [
    { ...play, id: 'play-event-00000002', startedAt: now - 5 * 3600_000 },
    { ...play, id: 'play-event-00000003', at: now + 3600_000, endedAt: now + 3600_000 },
  ]
  const outcomes = await acceptStationEvents(t.deps, display, odd)
  assert.deepEqual(
    odd.map((e) => outcomes.get(e.id)),
    [
      { ack: false, reason: 'implausible' },
      { ack: false, reason: 'stale' },
    ],
  )
})
