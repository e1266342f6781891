// Draws a frame plan: the blurred frame first, then at most the consenting face sharp, then other faces blurred.
import type { FramePlan } from './frame-plan.ts'

// the frame is shrunk to this fraction and scaled back up: detail is destroyed, not hidden by a filter
export const blurScale = 1 / 32

export class BlurCompositor {
  readonly #out: CanvasRenderingContext2D
  readonly #small: HTMLCanvasElement
  readonly #smallCtx: CanvasRenderingContext2D

  constructor(readonly canvas: HTMLCanvasElement) {
    this.#out = canvas.getContext('2d', { willReadFrequently: false })!
    this.#small = document.createElement('canvas')
    this.#smallCtx = this.#small.getContext('2d')!
  }

  // `frame` is the grabbed camera frame (never drawn anywhere else); runs in one task, so no partial frame shows
  draw(frame: HTMLCanvasElement, plan: FramePlan) {
    const { width, height } = frame
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width
      this.canvas.height = height
    }
    const sw = Math.max(2, Math.round(width * blurScale))
    const sh = Math.max(2, Math.round(height * blurScale))
    if (this.#small.width !== sw || this.#small.height !== sh) {
      this.#small.width = sw
      this.#small.height = sh
    }
    this.#smallCtx.imageSmoothingEnabled = true
    this.#smallCtx.imageSmoothingQuality = 'low'
    this.#smallCtx.drawImage(frame, 0, 0, sw, sh)
    const out = this.#out
    out.imageSmoothingEnabled = true
    out.imageSmoothingQuality = 'high'
    try {
      out.drawImage(this.#small, 0, 0, width, height)
      if (plan.kind !== 'session') return
      const s = plan.sharp
      if (s.w > 0 && s.h > 0) out.drawImage(frame, s.x, s.y, s.w, s.h, s.x, s.y, s.w, s.h)
      // the consenting person sees which face the screen follows (the one it measures)
      out.strokeStyle = '#1a7f37'
      out.lineWidth = 3
      out.strokeRect(s.x + 1.5, s.y + 1.5, s.w - 3, s.h - 3)
      for (const b of plan.blur) {
        if (b.w <= 0 || b.h <= 0) continue
        out.drawImage(
          this.#small,
          b.x * (sw / width),
          b.y * (sh / height),
          b.w * (sw / width),
          b.h * (sh / height),
          b.x,
          b.y,
          b.w,
          b.h,
        )
      }
    } catch (error) {
      // whatever failed, the frame on screen ends blurred as a whole
      out.drawImage(this.#small, 0, 0, width, height)
      throw error
    }
  }

  // no camera frame at all (camera lost, hidden tab): a flat screen, not the last frame
  clear() {
    this.#out.fillStyle = '#1d2430'
    this.#out.fillRect(0, 0, this.canvas.width, this.canvas.height)
  }
}
