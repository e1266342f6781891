// Tracker: follows faces by box overlap only; forgets them after a few frames; picks the largest central face.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { FaceTracker, pickConsentingFace } from '../../signage/tracker.ts'
import type { Face } from '../../signage/faces.ts'

const face = (x: number, y: number, w = 100, score = 0.9): Face => ({
  box: { x, y, w, h: w },
  score,
  keypoints: null,
})
const frame = { width: 640, height: 480 }

test('a moving face keeps its track while its boxes overlap; a far jump is a new track', () => {
  const tracker = new FaceTracker()
  const [first] = tracker.update([face(100, 100)], 1)
  tracker.update([face(110, 104)], 2)
  assert.equal(tracker.tracks.length, 1)
  assert.equal(tracker.tracks[0]!.id, first!.id)
  assert.equal(tracker.tracks[0]!.box.x, 110)
  tracker.update([face(400, 300)], 3)
  assert.equal(tracker.tracks.length, 2, 'no overlap: another face, the old one kept for a few frames')
})

test('two faces are matched to their own tracks (greedy by overlap), not swapped', () => {
  const tracker = new FaceTracker()
  tracker.update([face(100, 100), face(300, 100)], 1)
  const [a, b] = tracker.tracks.map((t) => t.id)
  tracker.update([face(305, 102), face(95, 98)], 2)
  const byX = [...tracker.tracks].sort((p, q) => p.box.x - q.box.x)
  assert.deepEqual(
    byX.map((t) => t.id),
    [a, b],
  )
})

test('an unmatched track lives keepFrames frames (its box stays blurred), the pinned one longer', () => {
  const tracker = new FaceTracker({ keepFrames: 3, pinnedKeepFrames: 10 })
  tracker.update([face(100, 100), face(400, 100)], 1)
  tracker.pin(tracker.tracks[0]!.id)
  for (let n = 2; n <= 4; n++) tracker.update([], n)
  assert.equal(tracker.tracks.length, 2, 'still kept at keepFrames')
  tracker.update([], 5)
  assert.equal(tracker.tracks.length, 1, 'the unpinned one is forgotten after keepFrames')
  assert.equal(tracker.pinned?.box.x, 100)
  for (let n = 6; n <= 12; n++) tracker.update([], n)
  assert.equal(tracker.pinned, null, 'the pinned one too, after pinnedKeepFrames')
})

test('the consenting face is the largest, most central confident face seen in this frame', () => {
  const tracker = new FaceTracker()
  tracker.update([face(10, 10, 120), face(270, 190, 110), face(500, 360, 60), face(250, 150, 200, 0.3)], 1)
  const chosen = pickConsentingFace(tracker.tracks, 1, frame)
  assert.equal(
    chosen?.box.x,
    270,
    'the low-confidence big box is never chosen; the central one beats the corner one',
  )
  assert.equal(pickConsentingFace(tracker.tracks, 2, frame), null, 'only faces seen in this very frame count')
})
