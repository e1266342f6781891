// The fake camera's scene: three real face photographs (tracking@1.1.3 faces.png) moving over a plain background.
import { fileURLToPath } from 'node:url'

export const facesPng = fileURLToPath(
  new URL('../../node_modules/tracking/test/assets/faces.png', import.meta.url),
)
export const sceneFrames = 60
export const sceneFps = 30
export type Box = { x: number; y: number; w: number; h: number }

// at 640×480: crop of faces.png, size on screen, face box inside the crop (as the detector finds it), motion
const base = [
  { name: 'left', crop: { x: 21, y: 69, w: 150, h: 150 }, scale: 1, face: { x: 31, y: 32, w: 92, h: 92 } },
  {
    name: 'centre',
    crop: { x: 200, y: 115, w: 150, h: 150 },
    scale: 1.6,
    face: { x: 25, y: 25, w: 100, h: 100 },
  },
  { name: 'right', crop: { x: 425, y: 41, w: 150, h: 150 }, scale: 1, face: { x: 30, y: 29, w: 93, h: 93 } },
] as const
const motion = [
  { x0: 20, amp: 15, phase: 1, y: 60, cos: false },
  { x0: 200, amp: 12, phase: 0, y: 170, cos: false },
  { x0: 470, amp: 15, phase: 0, y: 290, cos: true },
]

export type SceneFace = {
  name: string
  // the consenting visitor stands in front: the largest, most central face
  consenting: boolean
  crop: Box
  size: number
  position: (n: number) => { x: number; y: number }
  // the part of the face covered in every frame, whatever the motion: where detail is measured
  core: Box
  ffmpegX: string
  ffmpegY: string
}

export function scene(width = 640, height = 480): SceneFace[] {
  const k = height / 480
  const ox = (width - 640 * k) / 2
  return base.map((f, i) => {
    const m = motion[i]!
    const size = Math.round(f.crop.w * f.scale * k)
    const wave = (n: number) => (m.cos ? Math.cos : Math.sin)((2 * Math.PI * n) / sceneFrames + m.phase)
    // ffmpeg's overlay puts 4:2:0 planes on even pixels
    const even = (v: number) => Math.floor(v) & ~1
    const position = (n: number) => ({ x: even(ox + k * (m.x0 + m.amp * wave(n))), y: even(k * m.y) })
    const faceScale = f.scale * k
    const amp = m.amp * k + 2
    const fx = ox + k * m.x0 + f.face.x * faceScale
    const fy = k * m.y + f.face.y * faceScale
    const fw = f.face.w * faceScale
    const fh = f.face.h * faceScale
    const core = {
      x: Math.round(fx + amp + fw * 0.1),
      y: Math.round(fy + fh * 0.15),
      w: Math.round(fw - 2 * amp - fw * 0.2),
      h: Math.round(fh * 0.7),
    }
    const fn = m.cos ? 'cos' : 'sin'
    return {
      name: f.name,
      consenting: f.name === 'centre',
      crop: f.crop,
      size,
      position,
      core,
      ffmpegX: `${ox}+${k}*(${m.x0}+${m.amp}*${fn}(2*PI*n/${sceneFrames}+${m.phase}))`,
      ffmpegY: `${k * m.y}`,
    }
  })
}

// the face boxes of frame n (for the benchmark's recall): crop position plus the face's place in the crop
export function faceBoxes(
  n: number,
  width = 640,
  height = 480,
): (Box & { name: string; consenting: boolean })[] {
  const k = height / 480
  return scene(width, height).map((f, i) => {
    const b = base[i]!
    const p = f.position(n)
    const s = b.scale * k
    return {
      name: f.name,
      consenting: f.consenting,
      x: p.x + b.face.x * s,
      y: p.y + b.face.y * s,
      w: b.face.w * s,
      h: b.face.h * s,
    }
  })
}
