// Decides, for every frame, whether anything may be shown sharp; any doubt means the whole frame is blurred.
export const blurReasons = [
  'no-session',
  'hidden',
  'camera-lost',
  'model-not-loaded',
  'detector-error',
  'stale-result',
] as const
export type BlurReason = (typeof blurReasons)[number]

export type StationConditions = {
  // a consent session is running at this station (only then may the detector run)
  session: boolean
  visible: boolean
  cameraLive: boolean
  modelReady: boolean
  // the detector threw on this frame (or recently: see recentFailures)
  detectorFailed: boolean
}

export type Verdict = { analyse: true } | { analyse: false; reason: BlurReason }

// order matters only for which reason is shown; every branch but the last blurs the whole frame
export function frameVerdict(c: StationConditions): Verdict {
  if (!c.visible) return { analyse: false, reason: 'hidden' }
  if (!c.cameraLive) return { analyse: false, reason: 'camera-lost' }
  if (!c.session) return { analyse: false, reason: 'no-session' }
  if (!c.modelReady) return { analyse: false, reason: 'model-not-loaded' }
  if (c.detectorFailed) return { analyse: false, reason: 'detector-error' }
  return { analyse: true }
}
