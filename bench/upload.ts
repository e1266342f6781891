// Upload benchmark: a 200 MB video streamed through the content page's multipart route into the Node server (a
// child process); its resident memory is sampled throughout and must stay flat. `npm run bench:upload`.
import { execFileSync } from 'node:child_process'
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { machine, report, rssOf } from './_lib.ts'
import { startNodeServer, signIn } from '../test/helpers/runtime.ts'

const totalBytes = Number(process.env.BENCH_UPLOAD_BYTES ?? 200_000_000)
// "flat": the server may grow by this much at most while the whole file passes through it
const targetGrowthBytes = 64 * 1024 * 1024
const mb = (n: number) => Number((n / 1024 / 1024).toFixed(1))

const dir = await mkdtemp(path.join(tmpdir(), 'showroom-bench-upload-'))
const dataDir = path.join(dir, 'data')
// a real H.264 MP4 (ffmpeg), padded to the size with a trailing `free` box: still a well-formed MP4 of that size
const film = path.join(dir, 'film.mp4')
execFileSync('ffmpeg', [
  ...['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=25:duration=2'],
  ...['-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', film],
])
const head = new Uint8Array(await readFile(film))
const freeBytes = totalBytes - head.length
const freeHeader = new Uint8Array(8)
new DataView(freeHeader.buffer).setUint32(0, freeBytes)
freeHeader.set(new TextEncoder().encode('free'), 4)

const server = await startNodeServer({ DATA_DIR: dataDir, SHOWROOM_DEMO: '1', SHOWROOM_DEMO_CONTENT: '0' })
try {
  const password = server.output
    .map((line) => /Demo marketing login: marketing \/ (\S+)/.exec(line)?.[1])
    .find(Boolean)!
  const { cookie } = await signIn(server.base, 'marketing', password)
  const page = await fetch(`${server.base}/content?lang=en`, { headers: { cookie } })
  const csrf = /sr_csrf=([^;]+)/.exec(page.headers.get('set-cookie') ?? '')?.[1] ?? ''
  const boundary = `----bench${Date.now()}`
  const encoder = new TextEncoder()
  const preamble = encoder.encode(
    `--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nBench film\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="film.mp4"\r\n` +
      'Content-Type: video/mp4\r\n\r\n',
  )
  const epilogue = encoder.encode(`\r\n--${boundary}--\r\n`)
  const chunk = new Uint8Array(256 * 1024)
  let sent = 0
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(preamble)
      controller.enqueue(head)
      controller.enqueue(freeHeader)
    },
    pull(controller) {
      const left = freeBytes - 8 - sent
      if (left <= 0) {
        controller.enqueue(epilogue)
        return controller.close()
      }
      const piece = left >= chunk.length ? chunk : chunk.subarray(0, left)
      sent += piece.length
      controller.enqueue(piece)
    },
  })
  const pid = server.process.pid!
  const baseline = rssOf(pid) ?? 0
  let peak = baseline
  const sampler = setInterval(() => (peak = Math.max(peak, rssOf(pid) ?? 0)), 50)
  const started = performance.now()
  const response = await fetch(`${server.base}/content/upload?_csrf=${csrf}&lang=en`, {
    method: 'POST',
    headers: {
      cookie: `${cookie}; sr_csrf=${csrf}`,
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'content-length': String(preamble.length + totalBytes + epilogue.length),
    },
    body,
    duplex: 'half',
  } as RequestInit)
  const text = await response.text()
  const seconds = (performance.now() - started) / 1000
  clearInterval(sampler)
  const after = rssOf(pid) ?? 0
  const stored = (await readdir(path.join(dataDir, 'content'))).filter((n) => /^[0-9a-f]{64}$/.test(n))
  const storedBytes = stored.length ? (await stat(path.join(dataDir, 'content', stored[0]!))).size : 0
  const ok = response.status === 200 && /Uploaded: Bench film/.test(text) && storedBytes === totalBytes
  const growth = peak - baseline
  report('upload', {
    metric: `server RSS growth during a ${Math.round(totalBytes / 1e6)} MB upload`,
    value: mb(growth),
    unit: 'MiB',
    target: `≤ ${mb(targetGrowthBytes)}`,
    ok: ok && growth <= targetGrowthBytes,
    data: `${mb(totalBytes)} MiB MP4 (multipart, streamed), stored ${mb(storedBytes)} MiB, HTTP ${response.status}`,
  })
  report('upload', {
    metric: 'server RSS before / peak / after',
    value: mb(peak),
    unit: `MiB (${mb(baseline)} → ${mb(peak)} → ${mb(after)})`,
  })
  report('upload', {
    metric: 'upload throughput over loopback',
    value: Number((mb(totalBytes) / seconds).toFixed(1)),
    unit: 'MiB/s',
  })
  console.log(JSON.stringify(machine()))
  if (!ok) {
    console.log(`upload failed: ${response.status} ${text.slice(0, 300)}`)
    process.exitCode = 1
  }
} finally {
  await server.stop()
  await rm(dir, { recursive: true, force: true })
}
