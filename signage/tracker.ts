// Follows faces from frame to frame by box overlap only: no appearance, no embedding, nothing that re-identifies.
import { iou, area, centre, type Box } from './geometry.ts'
import type { Face, FaceKeypoints } from './faces.ts'

export type Track = {
  id: number
  box: Box
  score: number
  keypoints: FaceKeypoints | null
  firstSeen: number
  lastSeen: number
}

export type TrackerOptions = {
  // a detection continues a track when their boxes overlap at least this much
  minOverlap?: number
  // a track not matched for this many frames is forgotten (its last box stays blurred until then)
  keepFrames?: number
  // the consenting person's track is kept longer, so a missed detection or two does not end the session
  pinnedKeepFrames?: number
}

export class FaceTracker {
  readonly minOverlap: number
  readonly keepFrames: number
  readonly pinnedKeepFrames: number
  #tracks: Track[] = []
  #nextId = 1
  #pinned: number | null = null

  constructor({ minOverlap = 0.25, keepFrames = 8, pinnedKeepFrames = 60 }: TrackerOptions = {}) {
    this.minOverlap = minOverlap
    this.keepFrames = keepFrames
    this.pinnedKeepFrames = pinnedKeepFrames
  }

  get tracks(): readonly Track[] {
    return this.#tracks
  }

  pin(id: number | null) {
    this.#pinned = id
  }

  get pinned(): Track | null {
    return this.#tracks.find((t) => t.id === this.#pinned) ?? null
  }

  // matches this frame's faces to tracks (greedy by overlap), starts tracks for the rest, forgets old ones
  update(faces: Face[], frameNo: number): readonly Track[] {
    const pairs: { track: Track; face: number; overlap: number }[] = []
    for (const track of this.#tracks) {
      faces.forEach((face, index) => {
        const overlap = iou(track.box, face.box)
        if (overlap >= this.minOverlap) pairs.push({ track, face: index, overlap })
      })
    }
    pairs.sort((a, b) => b.overlap - a.overlap)
    const usedTracks = new Set<number>()
    const usedFaces = new Set<number>()
    for (const { track, face, overlap: _ } of pairs) {
      if (usedTracks.has(track.id) || usedFaces.has(face)) continue
      usedTracks.add(track.id)
      usedFaces.add(face)
      const f = faces[face]!
      Object.assign(track, { box: f.box, score: f.score, keypoints: f.keypoints, lastSeen: frameNo })
    }
    faces.forEach((f, index) => {
      if (usedFaces.has(index)) return
      this.#tracks.push({
        id: this.#nextId++,
        box: f.box,
        score: f.score,
        keypoints: f.keypoints,
        firstSeen: frameNo,
        lastSeen: frameNo,
      })
    })
    this.#tracks = this.#tracks.filter((t) => {
      const keep = t.id === this.#pinned ? this.pinnedKeepFrames : this.keepFrames
      return frameNo - t.lastSeen <= keep
    })
    if (this.#pinned !== null && !this.pinned) this.#pinned = null
    return this.#tracks
  }

  reset() {
    this.#tracks = []
    this.#pinned = null
  }
}

// the person in front of the station: among confident faces seen in this frame, the largest and most central
export function pickConsentingFace(
  tracks: readonly Track[],
  frameNo: number,
  frame: { width: number; height: number },
  minScore = 0.6,
): Track | null {
  const mid = { x: frame.width / 2, y: frame.height / 2 }
  const reach = Math.hypot(mid.x, mid.y)
  let best: Track | null = null
  let bestScore = 0
  for (const t of tracks) {
    if (t.lastSeen !== frameNo || t.score < minScore) continue
    const c = centre(t.box)
    const centrality = 1 - Math.hypot(c.x - mid.x, c.y - mid.y) / reach
    const value = (area(t.box) / (frame.width * frame.height)) * centrality
    if (value > bestScore) {
      best = t
      bestScore = value
    }
  }
  return best
}
