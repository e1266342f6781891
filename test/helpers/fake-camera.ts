// Builds the fake camera's y4m at test time (ffmpeg, yuv420p) in a temp dir; never committed.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { facesPng, scene, sceneFps, sceneFrames, type Box } from './scene.ts'

const run = promisify(execFile)

export async function buildFakeCamera({ width = 640, height = 480 } = {}) {
  const dir = await mkdtemp(path.join(tmpdir(), 'showroom-camera-'))
  const file = path.join(dir, `scene-${width}x${height}.y4m`)
  const faces = scene(width, height)
  const chains = faces.map(
    (f, i) => `[0:v]crop=${f.crop.w}:${f.crop.h}:${f.crop.x}:${f.crop.y},scale=${f.size}:${f.size}[f${i}]`,
  )
  let last = '1:v'
  faces.forEach((f, i) => {
    const out = i === faces.length - 1 ? 'out' : `t${i}`
    chains.push(`[${last}][f${i}]overlay=x='${f.ffmpegX}':y='${f.ffmpegY}':eval=frame[${out}]`)
    last = out
  })
  await run('ffmpeg', [
    ...['-loglevel', 'error', '-y', '-framerate', String(sceneFps), '-loop', '1', '-i', facesPng],
    ...['-f', 'lavfi', '-i', `color=c=0x7a8696:s=${width}x${height}:r=${sceneFps}`],
    ...['-filter_complex', chains.join(';'), '-map', '[out]'],
    ...['-frames:v', String(sceneFrames), '-pix_fmt', 'yuv420p', file],
  ])
  return {
    file,
    faces,
    chromiumArgs: [
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${file}`,
    ],
    cleanup: () => rm(dir, { recursive: true, force: true }),
  }
}

// the luminance plane of one y4m frame (the reference the screen's pixels are compared with)
export async function readY4mFrame(file: string, index = 0) {
  const bytes = await readFile(file)
  const headerEnd = bytes.indexOf(0x0a)
  const header = bytes.subarray(0, headerEnd).toString('latin1')
  const width = Number(/ W(\d+)/.exec(header)![1])
  const height = Number(/ H(\d+)/.exec(header)![1])
  const frameBytes = 6 + (width * height * 3) / 2
  const start = headerEnd + 1 + index * frameBytes + 6
  return { width, height, luma: (x: number, y: number) => bytes[start + y * width + x]! }
}

// mean absolute Laplacian of the luminance (on 2×2 bins, so scaling artefacts do not count) inside a box:
// high for a sharp face, near zero once blurred. Same formula as the in-page version in station-page.ts.
export function detailEnergy(luma: (x: number, y: number) => number, box: Box): number {
  const px = (x: number, y: number) => luma(box.x + x, box.y + y)
  const at = (x: number, y: number) =>
    (px(2 * x, 2 * y) + px(2 * x + 1, 2 * y) + px(2 * x, 2 * y + 1) + px(2 * x + 1, 2 * y + 1)) / 4
  let sum = 0
  let n = 0
  for (let y = 1; y < Math.floor(box.h / 2) - 1; y++) {
    for (let x = 1; x < Math.floor(box.w / 2) - 1; x++) {
      sum += Math.abs(4 * at(x, y) - at(x - 1, y) - at(x + 1, y) - at(x, y - 1) - at(x, y + 1))
      n++
    }
  }
  return n ? sum / n : 0
}
