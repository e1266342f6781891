// The station's frame loop: grab → (only in a consent session) detect and track → plan → blur and draw.
import { Camera } from './camera.ts'
import { BlurCompositor } from './compositor.ts'
import { loadFaceDetector, type FrameDetector, type ModelVariant } from './detector.ts'
import { frameVerdict, type Verdict } from './fail-closed.ts'
import { planFrame, type FramePlan } from './frame-plan.ts'
import { FaceTracker } from './tracker.ts'
import { ConsentSession, type OnScreen, type SessionEndReason } from './session.ts'
import type { StationEvent } from './outbox.ts'

export type AnalyticsState = 'loading' | 'ready' | 'unavailable'
export type StationCameraStatus = {
  analytics: AnalyticsState
  // insecure: not a secure context (plain http from another device), so the browser gives no camera at all
  camera: 'starting' | 'live' | 'lost' | 'denied' | 'missing' | 'insecure'
  mode: FramePlan['kind']
  reason: string | null
  session: string | null
}

export class StationCamera {
  readonly camera = new Camera()
  readonly tracker = new FaceTracker()
  readonly compositor: BlurCompositor
  detector: FrameDetector | null = null
  session: ConsentSession | null = null
  status: StationCameraStatus = {
    analytics: 'loading',
    camera: 'starting',
    mode: 'whole-blur',
    reason: null,
    session: null,
  }
  frameNo = 0
  // how many frames the detector has run on since the page opened (0 until someone consents)
  detectorRuns = 0
  // per-frame work time (grab + detect + blur + draw), for the edge benchmark
  readonly timings: number[] = []
  // what the display's player shows now (attention per item); kiosks show no content
  onScreen: OnScreen = () => null
  #running = false

  constructor(
    readonly canvas: HTMLCanvasElement,
    readonly variant: ModelVariant,
    readonly emit: (event: StationEvent) => void,
    readonly onStatus: (status: StationCameraStatus) => void = () => undefined,
  ) {
    this.compositor = new BlurCompositor(canvas)
  }

  async start(size?: { width: number; height: number }) {
    // the model loads up front (loading is not running it); a failure leaves analytics off, the camera blurred
    loadFaceDetector(this.variant)
      .then((d) => {
        this.detector = d
        this.#update({ analytics: 'ready' })
      })
      .catch(() => this.#update({ analytics: 'unavailable' }))
    if (!window.isSecureContext) {
      this.compositor.clear()
      return this.#update({ camera: 'insecure' })
    }
    if (!navigator.mediaDevices?.getUserMedia) {
      this.compositor.clear()
      return this.#update({ camera: 'missing' })
    }
    try {
      await this.camera.start(size)
    } catch (error) {
      this.compositor.clear()
      const name = (error as { name?: string } | null)?.name
      return this.#update({
        camera: name === 'NotFoundError' || name === 'OverconstrainedError' ? 'missing' : 'denied',
      })
    }
    this.#running = true
    const loop = () => {
      if (!this.#running) return
      this.step(performance.now())
      requestAnimationFrame(loop)
    }
    requestAnimationFrame(loop)
  }

  beginSession(consent: string) {
    if (this.session && !this.session.ended) this.session.end('station', performance.now())
    this.tracker.reset()
    this.session = new ConsentSession(consent, performance.now(), this.emit, undefined, () => this.onScreen())
    this.#update({ session: this.session.id })
  }

  endSession(reason: SessionEndReason, consent?: string) {
    if (!this.session || (consent && this.session.consent !== consent)) return
    this.session.end(reason, performance.now())
    this.#afterSession()
  }

  // one display frame; everything that can go wrong ends in a blurred or blank screen
  step(now: number) {
    const visible = document.visibilityState === 'visible'
    const cameraLive = this.camera.live(now)
    if (!visible || !cameraLive) {
      this.compositor.clear()
      this.session?.onDroppedFrame(now)
      this.#afterSessionIfEnded()
      return this.#update({
        mode: 'whole-blur',
        reason: visible ? 'camera-lost' : 'hidden',
        camera: cameraLive ? 'live' : 'lost',
      })
    }
    if (!this.camera.grab(now)) return
    const started = performance.now()
    const frameNo = ++this.frameNo
    const frame = this.camera.frame
    const active = !!this.session && !this.session.ended
    let verdict: Verdict = frameVerdict({
      session: active,
      visible,
      cameraLive,
      modelReady: !!this.detector,
      detectorFailed: false,
    })
    let resultFrameId: number | null = null
    if (verdict.analyse && this.detector) {
      try {
        this.detectorRuns++
        const faces = this.detector.detect(frame, now)
        this.tracker.update(faces, frameNo)
        resultFrameId = this.camera.frameId
        this.session!.onAnalysedFrame(this.tracker, frameNo, frame, now)
      } catch {
        verdict = frameVerdict({ session: true, visible, cameraLive, modelReady: true, detectorFailed: true })
        this.session!.onDroppedFrame(now)
      }
    } else if (active) {
      this.session!.onDroppedFrame(now)
    }
    const plan = planFrame({
      verdict,
      frameId: this.camera.frameId,
      resultFrameId,
      tracks: this.tracker.tracks,
      consentingTrackId: this.session?.consenting ?? null,
      frameNo,
      frame,
    })
    this.compositor.draw(frame, plan)
    // counters only (no content): lets staff and tests see that nothing is analysed without a session
    this.canvas.dataset.frames = String(frameNo)
    this.canvas.dataset.detectorRuns = String(this.detectorRuns)
    this.timings.push(performance.now() - started)
    if (this.timings.length > 600) this.timings.shift()
    this.#afterSessionIfEnded()
    this.#update({ mode: plan.kind, reason: plan.kind === 'whole-blur' ? plan.reason : null, camera: 'live' })
  }

  #afterSessionIfEnded() {
    if (this.session?.ended) this.#afterSession()
  }

  #afterSession() {
    this.session = null
    this.tracker.reset()
    this.#update({ session: null })
  }

  #update(change: Partial<StationCameraStatus>) {
    const next = { ...this.status, ...change }
    if (Object.entries(change).every(([k, v]) => this.status[k as keyof StationCameraStatus] === v)) return
    this.status = next
    this.onStatus(next)
  }
}
