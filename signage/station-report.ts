// What a screen tells the server about itself, so the admin's station list shows which screen needs attention:
// camera ok / denied / missing / insecure context, detector loaded, frames per second, fail-closed blur engaged.
import type { StationCameraStatus } from './station-camera.ts'

export const stationReportEveryMs = 15_000

export type StationReport = {
  type: 'station.state'
  camera: 'ok' | 'starting' | 'lost' | 'denied' | 'missing' | 'insecure'
  detector: 'loading' | 'ready' | 'unavailable'
  fps: number
  failClosed: boolean
}

// whole-frame blur for a failure, not merely because nobody consented or no face is in view
const failureReasons = new Set([
  'hidden',
  'camera-lost',
  'model-not-loaded',
  'detector-error',
  'stale-result',
])

export function stationReport(status: StationCameraStatus, fps: number): StationReport {
  return {
    type: 'station.state',
    camera: status.camera === 'live' ? 'ok' : status.camera,
    detector: status.analytics === 'ready' ? 'ready' : status.analytics,
    fps: Math.round(Math.min(240, Math.max(0, fps)) * 10) / 10,
    failClosed:
      status.camera !== 'live' || (status.mode === 'whole-blur' && failureReasons.has(status.reason ?? '')),
  }
}

// frames per second of the camera loop, from the frame counter sampled between two reports
export class FrameRate {
  #last: { frames: number; at: number } | null = null
  sample(frames: number, at: number): number {
    const last = this.#last
    this.#last = { frames, at }
    if (!last || at <= last.at) return 0
    return ((frames - last.frames) * 1000) / (at - last.at)
  }
}
