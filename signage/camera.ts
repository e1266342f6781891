// The station's camera: a video element that is never put on screen, and a grab of each new frame into a canvas.
export type CameraOptions = { width?: number; height?: number }

// no new frame for this long means the camera is gone (unplugged, permission revoked, device busy)
export const cameraSilenceMs = 1500

export class Camera {
  readonly video = document.createElement('video')
  readonly frame = document.createElement('canvas')
  readonly #ctx = this.frame.getContext('2d', { willReadFrequently: true })!
  #stream: MediaStream | null = null
  #ended = false
  #lastFrameAt = 0
  #lastVideoTime = -1
  frameId = 0

  async start({ width = 640, height = 480 }: CameraOptions = {}) {
    this.#stream = await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { width: { ideal: width }, height: { ideal: height } },
    })
    for (const track of this.#stream.getVideoTracks()) {
      track.addEventListener('ended', () => (this.#ended = true))
    }
    this.video.muted = true
    this.video.playsInline = true
    this.video.srcObject = this.#stream
    await this.video.play()
  }

  // true while frames keep arriving from a live track
  live(now: number): boolean {
    if (this.#ended || !this.#stream) return false
    if (!this.#stream.getVideoTracks().some((t) => t.readyState === 'live' && !t.muted)) return false
    return this.#lastFrameAt === 0 || now - this.#lastFrameAt < cameraSilenceMs
  }

  // copies the current video frame once; detection and drawing both use this copy, so they see the same pixels
  grab(now: number): boolean {
    const v = this.video
    if (v.readyState < 2 || !v.videoWidth) return false
    if (v.currentTime === this.#lastVideoTime && now - this.#lastFrameAt < cameraSilenceMs) return false
    this.#lastVideoTime = v.currentTime
    this.#lastFrameAt = now
    if (this.frame.width !== v.videoWidth || this.frame.height !== v.videoHeight) {
      this.frame.width = v.videoWidth
      this.frame.height = v.videoHeight
    }
    this.#ctx.drawImage(v, 0, 0)
    this.frameId++
    return true
  }

  stop() {
    for (const track of this.#stream?.getTracks() ?? []) track.stop()
    this.#stream = null
  }
}
