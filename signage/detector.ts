// On-device face detector: MediaPipe FaceDetector (BlazeFace) with the WASM runtime and model from our own server.
import { FaceDetector, FilesetResolver } from '@mediapipe/tasks-vision'
import type { Face, FaceKeypoints } from './faces.ts'

export const wasmBase = '/vendor/mediapipe/wasm'
export const modelUrl = (variant: ModelVariant) => `/models/face_detection_${variant}_range.tflite`
export type ModelVariant = 'short' | 'full'

// low on purpose: anything that might be a face is blurred; the consenting face needs more (see session.ts)
export const blurConfidence = 0.2

export type FrameDetector = {
  variant: ModelVariant
  detect: (frame: TexImageSource, timestampMs: number) => Face[]
  close: () => void
}

export async function loadFaceDetector(variant: ModelVariant): Promise<FrameDetector> {
  const fileset = await FilesetResolver.forVisionTasks(wasmBase)
  const detector = await FaceDetector.createFromOptions(fileset, {
    baseOptions: { modelAssetPath: modelUrl(variant), delegate: 'CPU' },
    runningMode: 'VIDEO',
    minDetectionConfidence: blurConfidence,
    minSuppressionThreshold: 0.3,
  })
  let lastTimestamp = -1
  return {
    variant,
    detect(frame, timestampMs) {
      // VIDEO mode needs strictly increasing timestamps
      const ts = Math.max(Math.round(timestampMs), lastTimestamp + 1)
      lastTimestamp = ts
      const width = (frame as HTMLCanvasElement).width
      const height = (frame as HTMLCanvasElement).height
      const result = detector.detectForVideo(frame as HTMLCanvasElement, ts)
      return result.detections.map((d) => ({
        box: {
          x: d.boundingBox?.originX ?? 0,
          y: d.boundingBox?.originY ?? 0,
          w: d.boundingBox?.width ?? width,
          h: d.boundingBox?.height ?? height,
        },
        score: d.categories[0]?.score ?? 0,
        keypoints: toKeypoints(d.keypoints, width, height),
      }))
    },
    close: () => detector.close(),
  }
}

function toKeypoints(
  points: { x: number; y: number }[],
  width: number,
  height: number,
): FaceKeypoints | null {
  if (points.length < 6) return null
  const [rightEye, leftEye, nose, mouth, rightEar, leftEar] = points.map((p) => ({
    x: p.x * width,
    y: p.y * height,
  }))
  return {
    rightEye: rightEye!,
    leftEye: leftEye!,
    nose: nose!,
    mouth: mouth!,
    rightEar: rightEar!,
    leftEar: leftEar!,
  }
}
