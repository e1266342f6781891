// Edge benchmark: per-frame latency (grab + detect + blur + draw), fps and blur recall of the station's frame path
// in headless Chromium on the CPU delegate, at 640×480 and 1280×720, short and full range; then again with a
// display's content playback running in the same page (1080p H.264, software decode). `npm run bench:edge`.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { execFileSync } from 'node:child_process'
import { report } from './_lib.ts'
import { startTestServer, launchBrowser } from '../test/helpers/browser.ts'
import { facesPng, faceBoxes, scene, sceneFrames } from '../test/helpers/scene.ts'

const targets = { fps640: 25, fps1280: 15, recall: 1 }
const frames = Number(process.env.BENCH_FRAMES ?? 150)
// BENCH_PLAYBACK=0: only the frame path on its own
const withPlayback = process.env.BENCH_PLAYBACK !== '0'

// what a display plays while it analyses: a 1080p H.264 film made here with ffmpeg (as the demo's), looping
async function playbackFilm() {
  const dir = await mkdtemp(path.join(tmpdir(), 'showroom-bench-film-'))
  const file = path.join(dir, 'film.mp4')
  execFileSync('ffmpeg', [
    ...['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=1920x1080:rate=25:duration=10'],
    ...['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', file],
  ])
  const base64 = (await readFile(file)).toString('base64')
  await rm(dir, { recursive: true, force: true })
  return base64
}
const startPlayback = (base64: string) => `(async () => {
  const bytes = Uint8Array.from(atob(${JSON.stringify(base64)}), (c) => c.charCodeAt(0))
  const video = document.createElement('video')
  Object.assign(video, { muted: true, loop: true, playsInline: true })
  video.src = URL.createObjectURL(new Blob([bytes], { type: 'video/mp4' }))
  video.style.cssText = 'position:fixed;inset:0;width:100vw;height:100vh;z-index:-1'
  document.body.append(video)
  await video.play()
  window.benchVideo = video
})()`
const playbackQuality = `(() => {
  const q = window.benchVideo.getVideoPlaybackQuality()
  return { total: q.totalVideoFrames, dropped: q.droppedVideoFrames }
})()`

// the page runs the bundled station code: build it as the station would get it
execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' })
const server = await startTestServer({ SHOWROOM_DEMO: '0' })
const browser = await launchBrowser()
const facesUrl = `data:image/png;base64,${(await readFile(facesPng)).toString('base64')}`
const rows: string[] = []
let allMet = true
try {
  // a context of our own, closed before the browser (the helper's newPage closes its context on page close)
  const context = await browser.newContext()
  const page = await context.newPage()
  await page.goto(`${server.base}/login`)
  await page.addScriptTag({ url: '/assets/signage/bench-edge.mjs', type: 'module' })
  await page.waitForFunction(() => 'runEdgeBench' in window)
  for (const playback of withPlayback ? [false, true] : [false]) {
    if (playback) await page.evaluate(startPlayback(await playbackFilm()))
    const before = playback
      ? ((await page.evaluate(playbackQuality)) as { total: number; dropped: number })
      : null
    for (const [width, height] of [
      [640, 480],
      [1280, 720],
    ] as const) {
      const faces = scene(width, height).map((f) => ({
        crop: f.crop,
        size: f.size,
        consenting: f.consenting,
        positions: Array.from({ length: sceneFrames }, (_, n) => f.position(n)),
      }))
      const boxes = Array.from({ length: sceneFrames }, (_, n) => faceBoxes(n, width, height))
      const cores = scene(width, height).map((f) => f.core)
      for (const [variant, session] of [
        ['short', false],
        ['short', true],
        ['full', true],
      ] as const) {
        const options = { variant, width, height, frames, session, facesUrl, faces, boxes, cores }
        // a string call: the page has the function; the runner's transpiler must not wrap anything in it
        const r = (await page.evaluate(`window.runEdgeBench(${JSON.stringify(options)})`)) as {
          medianMs: number
          p95Ms: number
          fps: number
          blurRecall: number
          consentingSharp: number | null
          detectorRecall: number | null
        }
        const fpsTarget = width === 640 ? targets.fps640 : targets.fps1280
        const met = r.fps >= fpsTarget && r.blurRecall >= targets.recall
        allMet &&= met
        const label = `${width}×${height} ${session ? `${variant} range` : 'no consent (no detector)'}${playback ? ' + 1080p playback' : ''}`
        report('edge', {
          metric: `frames per second, ${label}`,
          value: Number(r.fps.toFixed(1)),
          unit: 'fps',
          target: `≥ ${fpsTarget}`,
          ok: r.fps >= fpsTarget,
        })
        report('edge', {
          metric: `p95 frame latency, ${label}`,
          value: Number(r.p95Ms.toFixed(1)),
          unit: 'ms',
        })
        report('edge', {
          metric: `blur recall, ${label}`,
          value: Number((r.blurRecall * 100).toFixed(1)),
          unit: '%',
          target: '100',
          ok: r.blurRecall >= targets.recall,
          data: `${frames} composed frames, 3 real faces at known moving positions`,
        })
        const pct = (v: number | null) => (v === null ? '   –' : `${(v * 100).toFixed(0).padStart(3)}%`)
        rows.push(
          [
            `${width}×${height}`.padEnd(9),
            `${session ? variant : 'none (no consent: no detector)'}${playback ? ' +play' : ''}`.padEnd(31),
            r.medianMs.toFixed(1).padStart(6),
            r.p95Ms.toFixed(1).padStart(6),
            r.fps.toFixed(1).padStart(6),
            `  ≥${fpsTarget}`,
            `   ${pct(r.blurRecall)}`,
            `      ${pct(r.consentingSharp)}`,
            `     ${pct(r.detectorRecall)}`,
            met ? '  ok' : '  MISSED',
          ].join(' '),
        )
      }
    }
    if (before) {
      const after = (await page.evaluate(playbackQuality)) as { total: number; dropped: number }
      const shown = after.total - before.total
      const dropped = after.dropped - before.dropped
      const droppedPct = shown ? (100 * dropped) / shown : 0
      report('edge', {
        metric: 'video frames dropped by the player while the frame path ran',
        value: Number(droppedPct.toFixed(1)),
        unit: '%',
        data: `${shown} frames of 1080p H.264 decoded, ${dropped} dropped`,
      })
      rows.push(
        `1080p playback during the runs above: ${shown} video frames, ${dropped} dropped (${droppedPct.toFixed(1)} %)`,
      )
    }
  }
  await context.close()
} finally {
  await browser.close()
  await server.close()
}
console.log(`Edge frame path (${frames} frames each, headless Chromium, CPU delegate, ${process.arch})`)
console.log(
  'size      detector                        median    p95    fps  target  blur recall  consenting sharp  detector recall',
)
for (const row of rows) console.log(row)
console.log(
  `targets: ≥${targets.fps640} fps @640×480, ≥${targets.fps1280} fps @1280×720, blur recall 100 % (every non-consenting face blurred in every frame)`,
)
console.log(allMet ? 'all targets met' : 'some targets missed')
