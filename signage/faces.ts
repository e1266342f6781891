// What the detector hands the rest of the station: face boxes in frame pixels, a score and six keypoints.
import type { Box, Point } from './geometry.ts'

// BlazeFace keypoint order: right eye, left eye, nose tip, mouth, right ear tragion, left ear tragion
export type FaceKeypoints = {
  rightEye: Point
  leftEye: Point
  nose: Point
  mouth: Point
  rightEar: Point
  leftEar: Point
}

export type Face = { box: Box; score: number; keypoints: FaceKeypoints | null }

// a detection result belongs to exactly one grabbed frame; the compositor refuses a result for another frame
export type Detections = { frameId: number; faces: Face[] }
