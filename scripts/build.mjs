// Build step for the browser side: bundles signage/ with esbuild into dist/signage/ and writes the face models
// (BlazeFace from @mediapipe/face_detection plus the TFLite metadata MediaPipe Tasks needs) into dist/models/.
import { mkdir, readFile, writeFile, readdir, rm } from 'node:fs/promises'
import { build } from 'esbuild'
import { addModelMetadata, buildModelMetadata, readModelMetadata } from './tflite-metadata.mjs'

await rm('dist/signage', { recursive: true, force: true })
await mkdir('dist/signage', { recursive: true })
await mkdir('dist/models', { recursive: true })

// one bundle per station page (signage/pages/*.ts)
const pages = (await readdir('signage/pages'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => `signage/pages/${f}`)
await build({
  // the edge benchmark's page runs the same modules (bench/edge.ts loads it into a browser)
  entryPoints: [
    ...pages,
    { in: 'bench/_edge-page.ts', out: 'bench-edge' },
    // the displays' service worker (served at /display-sw.js)
    { in: 'signage/player/display-sw.ts', out: 'display-sw' },
  ],
  outdir: 'dist/signage',
  bundle: true,
  format: 'esm',
  target: 'chrome110',
  outExtension: { '.js': '.mjs' },
  minify: true,
  sourcemap: true,
  legalComments: 'linked',
  logLevel: 'warning',
})

for (const range of ['short', 'full']) {
  const name = `face_detection_${range}_range.tflite`
  const model = new Uint8Array(await readFile(`node_modules/@mediapipe/face_detection/${name}`))
  const metadata = buildModelMetadata({ name: `BlazeFace ${range} range` })
  const withMetadata = addModelMetadata(model, metadata)
  const readBack = readModelMetadata(withMetadata)
  if (!readBack || Buffer.compare(Buffer.from(readBack), Buffer.from(metadata)) !== 0) {
    throw new Error(`metadata did not round-trip for ${name}`)
  }
  await writeFile(`dist/models/${name}`, withMetadata)
}
