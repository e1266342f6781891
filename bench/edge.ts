// Edge benchmark: per-frame latency (grab + detect + blur + draw), fps and blur recall of the station's frame path
// in headless Chromium on the CPU delegate, at 640×480 and 1280×720, short and full range. `npm run bench:edge`.
import { readFile } from 'node:fs/promises'
import { execFileSync } from 'node:child_process'
import { report } from './_lib.ts'
import { startTestServer, launchBrowser } from '../test/helpers/browser.ts'
import { facesPng, faceBoxes, scene, sceneFrames } from '../test/helpers/scene.ts'

const targets = { fps640: 25, fps1280: 15, recall: 1 }
const frames = Number(process.env.BENCH_FRAMES ?? 150)

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
      const label = `${width}×${height} ${session ? `${variant} range` : 'no consent (no detector)'}`
      report('edge', {
        metric: `frames per second, ${label}`,
        value: Number(r.fps.toFixed(1)),
        unit: 'fps',
        target: `≥ ${fpsTarget}`,
        ok: r.fps >= fpsTarget,
      })
      report('edge', { metric: `p95 frame latency, ${label}`, value: Number(r.p95Ms.toFixed(1)), unit: 'ms' })
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
          (session ? variant : 'none (no consent: no detector)').padEnd(31),
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
