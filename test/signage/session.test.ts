// Station session: start event at once, ticks of running totals, attention from keypoints, end when the face is gone.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ConsentSession, goneMs, maxSessionMs, tickMs } from '../../signage/session.ts'
import { FaceTracker } from '../../signage/tracker.ts'
import type { StationEvent } from '../../signage/outbox.ts'
import type { Face } from '../../signage/faces.ts'

const frame = { width: 640, height: 480 }
const keypoints = {
  rightEye: { x: 300, y: 220 },
  leftEye: { x: 340, y: 220 },
  nose: { x: 320, y: 240 },
  mouth: { x: 320, y: 260 },
  rightEar: { x: 280, y: 228 },
  leftEar: { x: 360, y: 228 },
}
const me: Face = { box: { x: 270, y: 190, w: 100, h: 100 }, score: 0.9, keypoints }

test('a session measures dwell and attention of the consenting face and ends once it is gone', () => {
  const events: StationEvent[] = []
  const session = new ConsentSession(
    'consent-1',
    0,
    (e) => events.push(e),
    () => 1_000_000,
  )
  assert.equal(events[0]!.kind, 'session.start')
  const tracker = new FaceTracker()
  let n = 0
  // 3 s in front of the screen at 10 frames a second
  for (let t = 0; t <= 3000; t += 100) {
    tracker.update([me], ++n)
    session.onAnalysedFrame(tracker, n, frame, t)
  }
  assert.equal(session.stats.dwellMs, 3000)
  assert.equal(session.stats.attentionMs, 3000)
  const ticks = events.filter((e) => e.kind === 'session.tick')
  assert.equal(ticks.length, 3000 / tickMs)
  // then nobody: after goneMs the session ends by itself with its final totals
  for (let t = 3100; t <= 3000 + goneMs; t += 100) {
    tracker.update([], ++n)
    session.onAnalysedFrame(tracker, n, frame, t)
  }
  assert.equal(session.ended, 'gone')
  const end = events.at(-1)!
  assert.equal(end.kind, 'session.end')
  assert.ok(end.kind === 'session.end' && end.dwellMs === 3000 && end.reason === 'gone')
  assert.equal(session.consenting, null)
})

test('dropped frames are counted and never add dwell; stopping sends one end event', () => {
  const events: StationEvent[] = []
  const session = new ConsentSession('consent-1', 0, (e) => events.push(e))
  session.onDroppedFrame(100)
  session.onDroppedFrame(200)
  assert.equal(session.stats.framesDropped, 2)
  assert.equal(session.stats.dwellMs, 0)
  session.end('withdrawn', 300)
  session.end('station', 400)
  assert.deepEqual(
    events.map((e) => e.kind),
    ['session.start', 'session.end'],
  )
})

test('a session that runs too long ends with reason timeout', () => {
  const events: StationEvent[] = []
  const session = new ConsentSession('consent-1', 0, (e) => events.push(e))
  const tracker = new FaceTracker()
  let n = 0
  for (let t = 0; t <= maxSessionMs && !session.ended; t += 500) {
    tracker.update([me], ++n)
    session.onAnalysedFrame(tracker, n, frame, t)
  }
  assert.equal(session.ended, 'timeout')
  assert.equal(events.at(-1)!.kind, 'session.end')
})
