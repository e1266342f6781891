// Edge benchmark, browser side: the station's own frame path (grab → detect → track → plan → blur+draw) timed
// per frame on a composed scene whose face positions are known, plus blur recall measured on the output pixels.
import { loadFaceDetector, type ModelVariant } from '../signage/detector.ts'
import { BlurCompositor } from '../signage/compositor.ts'
import { FaceTracker } from '../signage/tracker.ts'
import { ConsentSession } from '../signage/session.ts'
import { planFrame } from '../signage/frame-plan.ts'
import { frameVerdict } from '../signage/fail-closed.ts'
import { iou, type Box } from '../signage/geometry.ts'

type SceneFace = { crop: Box; size: number; positions: { x: number; y: number }[]; consenting: boolean }
type Options = {
  variant: ModelVariant
  width: number
  height: number
  frames: number
  session: boolean
  facesUrl: string
  faces: SceneFace[]
  // per scene frame: the face boxes and the always-covered cores (where detail is measured)
  boxes: Box[][]
  cores: Box[]
}

function energy(ctx: CanvasRenderingContext2D, b: Box): number {
  const { data } = ctx.getImageData(b.x, b.y, b.w, b.h)
  const px = (x: number, y: number) => {
    const i = (y * b.w + x) * 4
    return 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!
  }
  const at = (x: number, y: number) =>
    (px(2 * x, 2 * y) + px(2 * x + 1, 2 * y) + px(2 * x, 2 * y + 1) + px(2 * x + 1, 2 * y + 1)) / 4
  let sum = 0
  let n = 0
  for (let y = 1; y < Math.floor(b.h / 2) - 1; y++) {
    for (let x = 1; x < Math.floor(b.w / 2) - 1; x++) {
      sum += Math.abs(4 * at(x, y) - at(x - 1, y) - at(x + 1, y) - at(x, y - 1) - at(x, y + 1))
      n++
    }
  }
  return n ? sum / n : 0
}

async function runEdgeBench(o: Options) {
  const image = new Image()
  image.src = o.facesUrl
  await image.decode()
  const detector = await loadFaceDetector(o.variant)
  const canvas = (w: number, h: number) =>
    Object.assign(document.createElement('canvas'), { width: w, height: h })
  const camera = canvas(o.width, o.height)
  const cameraCtx = camera.getContext('2d', { willReadFrequently: true })!
  const frame = canvas(o.width, o.height)
  const frameCtx = frame.getContext('2d', { willReadFrequently: true })!
  const out = canvas(o.width, o.height)
  const outCtx = out.getContext('2d', { willReadFrequently: true })!
  const compositor = new BlurCompositor(out)
  const tracker = new FaceTracker()
  const session = new ConsentSession('bench-consent', 0, () => undefined)
  const timings: number[] = []
  let blurred = 0
  let mustBlur = 0
  let sharp = 0
  let mustBeSharp = 0
  let detected = 0
  let known = 0
  const sceneFrames = o.boxes.length
  const warmup = 10
  for (let i = 0; i < warmup + o.frames; i++) {
    const n = i % sceneFrames
    // the "camera": background and faces at their known positions for frame n (not timed)
    cameraCtx.fillStyle = '#7a8696'
    cameraCtx.fillRect(0, 0, o.width, o.height)
    for (const f of o.faces) {
      const p = f.positions[n]!
      cameraCtx.drawImage(image, f.crop.x, f.crop.y, f.crop.w, f.crop.h, p.x, p.y, f.size, f.size)
    }
    const now = performance.now()
    const started = performance.now()
    frameCtx.drawImage(camera, 0, 0)
    let faces: ReturnType<typeof detector.detect> = []
    if (o.session) {
      faces = detector.detect(frame, now)
      tracker.update(faces, i + 1)
      session.onAnalysedFrame(tracker, i + 1, frame, now)
    }
    const plan = planFrame({
      verdict: frameVerdict({
        session: o.session,
        visible: true,
        cameraLive: true,
        modelReady: true,
        detectorFailed: false,
      }),
      frameId: i,
      resultFrameId: o.session ? i : null,
      tracks: tracker.tracks,
      consentingTrackId: session.consenting,
      frameNo: i + 1,
      frame,
    })
    compositor.draw(frame, plan)
    const elapsed = performance.now() - started
    if (i < warmup) continue
    timings.push(elapsed)
    // recall on what the screen shows: every face that must be blurred, in every frame
    o.faces.forEach((f, k) => {
      const core = { ...o.cores[k]! }
      const share = energy(outCtx, core) / Math.max(1e-6, energy(cameraCtx, core))
      if (o.session && f.consenting) {
        mustBeSharp++
        if (share > 0.6) sharp++
      } else {
        mustBlur++
        if (share < 0.15) blurred++
      }
      if (o.session) {
        known++
        if (faces.some((d) => iou(d.box, o.boxes[n]![k]!) >= 0.3)) detected++
      }
    })
  }
  detector.close()
  const sorted = [...timings].sort((a, b) => a - b)
  const pick = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
  const mean = timings.reduce((a, b) => a + b, 0) / timings.length
  return {
    medianMs: pick(0.5),
    p95Ms: pick(0.95),
    fps: 1000 / mean,
    blurRecall: mustBlur ? blurred / mustBlur : 1,
    consentingSharp: mustBeSharp ? sharp / mustBeSharp : null,
    detectorRecall: known ? detected / known : null,
    frames: timings.length,
  }
}

;(window as unknown as { runEdgeBench: typeof runEdgeBench }).runEdgeBench = runEdgeBench
