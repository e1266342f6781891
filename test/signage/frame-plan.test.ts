// Frame plan and fail-closed verdict: every doubt blurs the whole frame; in a session only one face is sharp.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { planFrame, otherFacePadding, unseenFacePadding, type PlanInput } from '../../signage/frame-plan.ts'
import { frameVerdict, type StationConditions } from '../../signage/fail-closed.ts'
import { pad } from '../../signage/geometry.ts'
import type { Track } from '../../signage/tracker.ts'

const frame = { width: 640, height: 480 }
const track = (id: number, x: number, lastSeen = 10, score = 0.9): Track => ({
  id,
  box: { x, y: 150, w: 120, h: 120 },
  score,
  keypoints: null,
  firstSeen: 1,
  lastSeen,
})
const ok: StationConditions = {
  session: true,
  visible: true,
  cameraLive: true,
  modelReady: true,
  detectorFailed: false,
}
const input = (over: Partial<PlanInput> = {}): PlanInput => ({
  verdict: frameVerdict(ok),
  frameId: 7,
  resultFrameId: 7,
  tracks: [track(1, 260), track(2, 330)],
  consentingTrackId: 1,
  frameNo: 10,
  frame,
  ...over,
})

test('every failure condition blurs the whole frame, with its reason', () => {
  const cases: [Partial<StationConditions>, string][] = [
    [{ session: false }, 'no-session'],
    [{ visible: false }, 'hidden'],
    [{ cameraLive: false }, 'camera-lost'],
    [{ modelReady: false }, 'model-not-loaded'],
    [{ detectorFailed: true }, 'detector-error'],
  ]
  for (const [change, reason] of cases) {
    const plan = planFrame(input({ verdict: frameVerdict({ ...ok, ...change }) }))
    assert.deepEqual(plan, { kind: 'whole-blur', reason })
  }
  assert.deepEqual(frameVerdict(ok), { analyse: true })
})

test('a detection result for another frame (stale) blurs the whole frame', () => {
  assert.deepEqual(planFrame(input({ resultFrameId: 6 })), { kind: 'whole-blur', reason: 'stale-result' })
  assert.deepEqual(planFrame(input({ resultFrameId: null })), { kind: 'whole-blur', reason: 'stale-result' })
})

test('no consenting face in this frame, or one below the sharp threshold: whole-frame blur', () => {
  assert.equal(planFrame(input({ consentingTrackId: null })).kind, 'whole-blur')
  assert.equal(planFrame(input({ tracks: [track(1, 260, 9)] })).kind, 'whole-blur')
  assert.equal(planFrame(input({ tracks: [track(1, 260, 10, 0.3)] })).kind, 'whole-blur')
})

test('in a session: the consenting face is the only sharp box; others near it are blurred, padded ≥ 25 %', () => {
  const plan = planFrame(input({ tracks: [track(1, 260), track(2, 330), track(3, 340, 8), track(4, 20)] }))
  assert.equal(plan.kind, 'session')
  if (plan.kind !== 'session') return
  assert.ok(otherFacePadding >= 0.25 && unseenFacePadding >= otherFacePadding)
  assert.deepEqual(plan.blur, [
    pad(track(2, 330).box, otherFacePadding, frame),
    // seen two frames ago: kept blurred, with more room since it may have moved
    pad(track(3, 340).box, unseenFacePadding, frame),
  ])
  // the face far from the sharp window needs no box: the frame under it is blurred already
  assert.ok(plan.sharp.x < 260 && plan.sharp.x + plan.sharp.w > 380)
})
