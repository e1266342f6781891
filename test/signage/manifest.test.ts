// Playlist validity windows (dates, weekdays, hours, office time zone) and the order the player follows.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  entryValidAt,
  localMoment,
  nextEntry,
  type Manifest,
  type ManifestEntry,
} from '../../signage/player/manifest.ts'

const entry = (id: string, over: Partial<ManifestEntry> = {}): ManifestEntry => ({
  entry: id,
  item: `item-${id}`,
  version: 1,
  kind: 'image',
  url: `/media/${id}`,
  durationMs: 1000,
  fromDay: null,
  toDay: null,
  weekdays: 0b1111111,
  fromMinute: 0,
  toMinute: 1440,
  ...over,
})
// Monday 2026-11-30 09:30 in Shanghai
const monday0930 = Date.parse('2026-11-30T01:30:00Z')
const tz = 'Asia/Shanghai'

test('local moment: date, weekday and minute in the office zone', () => {
  assert.deepEqual(localMoment(monday0930, tz), { day: '2026-11-30', weekday: 0, minute: 570 })
  assert.deepEqual(localMoment(monday0930, 'America/New_York'), {
    day: '2026-11-29',
    weekday: 6,
    minute: 1230,
  })
})

test('windows: dates inclusive, weekdays by bit, hours [from, to)', () => {
  assert.ok(entryValidAt(entry('a'), monday0930, tz))
  assert.ok(entryValidAt(entry('a', { fromDay: '2026-11-30', toDay: '2026-11-30' }), monday0930, tz))
  assert.ok(!entryValidAt(entry('a', { toDay: '2026-11-29' }), monday0930, tz))
  assert.ok(!entryValidAt(entry('a', { fromDay: '2026-12-01' }), monday0930, tz))
  assert.ok(!entryValidAt(entry('a', { weekdays: 0b1111110 }), monday0930, tz), 'not on Mondays')
  assert.ok(entryValidAt(entry('a', { weekdays: 0b0000001 }), monday0930, tz), 'Mondays only')
  assert.ok(entryValidAt(entry('a', { fromMinute: 570, toMinute: 600 }), monday0930, tz))
  assert.ok(
    !entryValidAt(entry('a', { fromMinute: 540, toMinute: 570 }), monday0930, tz),
    'the end is exclusive',
  )
})

test('next entry: playlist order, wrapping, skipping what is outside its window; null when nothing may play', () => {
  const manifest: Manifest = {
    station: 'station-1',
    timeZone: tz,
    revision: 'r1',
    entries: [entry('a'), entry('b', { weekdays: 0b1111110 }), entry('c')],
  }
  assert.equal(nextEntry(manifest, null, monday0930)?.entry, 'a')
  assert.equal(nextEntry(manifest, 'a', monday0930)?.entry, 'c', 'b is not on Mondays')
  assert.equal(nextEntry(manifest, 'c', monday0930)?.entry, 'a')
  assert.equal(nextEntry(manifest, 'gone', monday0930)?.entry, 'a', 'a removed entry: from the top')
  assert.equal(
    nextEntry({ ...manifest, entries: [entry('x', { toDay: '2020-01-01' })] }, null, monday0930),
    null,
  )
})
