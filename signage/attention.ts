// Attention from the detector's keypoints: is the face turned to the screen? Geometry only, nothing stored.
import type { FaceKeypoints } from './faces.ts'

// the nose sits between the eyes when a face looks at the camera; turning the head moves it toward one eye
export const maxNoseOffset = 0.35
// and both ears stay about equally far from the nose
export const maxEarRatio = 2.2

export function isAttentive(k: FaceKeypoints | null): boolean {
  if (!k) return false
  const eyeMidX = (k.leftEye.x + k.rightEye.x) / 2
  const eyeDistance = Math.hypot(k.leftEye.x - k.rightEye.x, k.leftEye.y - k.rightEye.y)
  if (eyeDistance <= 0) return false
  const noseOffset = Math.abs(k.nose.x - eyeMidX) / eyeDistance
  const toRight = Math.hypot(k.nose.x - k.rightEar.x, k.nose.y - k.rightEar.y)
  const toLeft = Math.hypot(k.nose.x - k.leftEar.x, k.nose.y - k.leftEar.y)
  const earRatio = Math.max(toRight, toLeft) / Math.max(1e-6, Math.min(toRight, toLeft))
  // the nose must also be below the eyes (a face upside down or a false positive is not attention)
  const noseBelowEyes = k.nose.y > Math.min(k.leftEye.y, k.rightEye.y)
  return noseOffset <= maxNoseOffset && earRatio <= maxEarRatio && noseBelowEyes
}
