// Build step for the browser side: bundles signage/ with esbuild into dist/signage/ and writes the face models
// (BlazeFace from @mediapipe/face_detection plus the TFLite metadata MediaPipe Tasks needs) into dist/models/.
// `--if-stale` (npm start): skips the build when dist/ was built from the same sources, so a restart is quick and a
// production install that built once does not need to write again.
import { mkdir, readFile, writeFile, readdir, rm } from 'node:fs/promises'
import { createHash } from 'node:crypto'
import path from 'node:path'
import { build } from 'esbuild'
import { addModelMetadata, buildModelMetadata, readModelMetadata } from './tflite-metadata.mjs'

const stampFile = 'dist/.build-stamp'

// a hash of everything the build reads: the signage sources, this script and the locked dependency versions
async function sourcesHash() {
  const files = [
    'bench/_edge-page.ts',
    'scripts/build.mjs',
    'scripts/tflite-metadata.mjs',
    'package-lock.json',
  ]
  const walk = async (dir) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) await walk(full)
      else files.push(full)
    }
  }
  await walk('signage')
  const hash = createHash('sha256')
  for (const file of files.sort())
    hash
      .update(file)
      .update('\0')
      .update(await readFile(file))
      .update('\0')
  return hash.digest('hex')
}

const stamp = await sourcesHash()
if (process.argv.includes('--if-stale') && (await readFile(stampFile, 'utf8').catch(() => null)) === stamp) {
  process.exit(0)
}

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

await writeFile(stampFile, stamp)
