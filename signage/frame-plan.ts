// What each frame may show: whole-frame blur, or (in a session) only the consenting face sharp. Pure logic.
import { pad, intersection, area, type Box } from './geometry.ts'
import type { Track } from './tracker.ts'
import type { BlurReason, Verdict } from './fail-closed.ts'

// every other face's box grows by at least this much on each side before it is blurred
export const otherFacePadding = 0.35
// a face not matched in this frame may have moved: its last box grows more
export const unseenFacePadding = 0.6
// the consenting person's sharp window: the face box and a little around it
export const consentingPadding = 0.25
// below this score a face is blurred but never taken for the consenting person
export const sharpMinScore = 0.5

export type FramePlan =
  | { kind: 'whole-blur'; reason: BlurReason | 'no-face' }
  // the frame is blurred as a whole first; `sharp` is drawn unblurred on top; then every box of `blur` again
  | { kind: 'session'; sharp: Box; blur: Box[] }

export type PlanInput = {
  verdict: Verdict
  // the frame being drawn and the frame the detection result belongs to
  frameId: number
  resultFrameId: number | null
  tracks: readonly Track[]
  consentingTrackId: number | null
  frameNo: number
  frame: { width: number; height: number }
}

export function planFrame(input: PlanInput): FramePlan {
  const { verdict, frame } = input
  if (!verdict.analyse) return { kind: 'whole-blur', reason: verdict.reason }
  // a result computed for another frame says nothing about where faces are now
  if (input.resultFrameId !== input.frameId) return { kind: 'whole-blur', reason: 'stale-result' }
  const consenting = input.tracks.find((t) => t.id === input.consentingTrackId)
  if (!consenting || consenting.lastSeen !== input.frameNo || consenting.score < sharpMinScore) {
    return { kind: 'whole-blur', reason: 'no-face' }
  }
  const sharp = pad(consenting.box, consentingPadding, frame)
  const blur: Box[] = []
  for (const t of input.tracks) {
    if (t.id === consenting.id) continue
    const padded = pad(t.box, t.lastSeen === input.frameNo ? otherFacePadding : unseenFacePadding, frame)
    // only boxes reaching into the sharp window matter: the rest of the frame is blurred already
    if (area(intersection(padded, sharp)) > 0) blur.push(padded)
  }
  return { kind: 'session', sharp, blur }
}
