// Attention from keypoints: frontal faces attend, turned heads do not.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { isAttentive } from '../../signage/attention.ts'
import type { FaceKeypoints } from '../../signage/faces.ts'

// keypoints as the detector reported them for a frontal face in faces.png
const frontal: FaceKeypoints = {
  rightEye: { x: 262, y: 171 },
  leftEye: { x: 301, y: 173 },
  nose: { x: 283, y: 194 },
  mouth: { x: 281, y: 213 },
  rightEar: { x: 237, y: 178 },
  leftEar: { x: 321, y: 182 },
}

test('a frontal face is attentive; a head turned aside or no keypoints is not', () => {
  assert.equal(isAttentive(frontal), true)
  const turned = { ...frontal, nose: { x: 302, y: 194 }, leftEar: { x: 306, y: 182 } }
  assert.equal(isAttentive(turned), false)
  const upsideDown = { ...frontal, nose: { x: 283, y: 150 } }
  assert.equal(isAttentive(upsideDown), false)
  assert.equal(isAttentive(null), false)
})
