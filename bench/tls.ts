// TLS benchmark: the local CA's costs (root, server certificate, live renewal) and what HTTPS adds to a new
// connection on loopback (handshake + GET /healthz, new connection each time) against plain HTTP. `npm run bench -- tls`.
import { connect } from 'node:tls'
import { request } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { report } from './_lib.ts'
import { setLogSink } from '../server/log.ts'
import { start } from '../server/main.ts'
import { configFromEnv } from '../server/config.ts'
import { createRootCa, loadOrCreateRootCa, issueServerCertificate } from '../server/tls/local-ca.ts'

const bench = 'tls'
const rounds = Number(process.env.BENCH_TLS_ROUNDS ?? 200)
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const p99 = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.99))]!
const ms = (n: number) => Math.round(n * 100) / 100

async function timed(n: number, run: () => Promise<unknown>) {
  const times: number[] = []
  for (let i = 0; i < n; i++) {
    const started = performance.now()
    await run()
    times.push(performance.now() - started)
  }
  return times
}

// root and server certificate, as a first start makes them
const roots = await timed(10, () => createRootCa())
report(bench, {
  metric: 'local CA: create the root (P-256, 10 years), median',
  value: ms(median(roots)),
  unit: 'ms',
})
const made = await createRootCa()
const files = new Map([
  ['ca.crt', made.certPem],
  ['ca-key.pem', made.keyPem],
])
const ca = await loadOrCreateRootCa({ load: async (n) => files.get(n) ?? null, save: async () => undefined })
const names = { dns: ['showroom.test', 'localhost'], ip: ['127.0.0.1', '::1', '192.168.1.20'] }
const issues = await timed(50, () => issueServerCertificate(ca, names))
report(bench, {
  metric: 'local CA: issue a server certificate, median',
  value: ms(median(issues)),
  unit: 'ms',
  target: '≤ 1000 (renewal never delays a screen)',
  ok: median(issues) <= 1000,
})

// a running server: new connections over HTTPS (TLS=local) and plain HTTP
setLogSink(() => undefined)
const quiet = console.log
console.log = () => undefined
const dirs = [
  await mkdtemp(path.join(tmpdir(), 'showroom-bench-tls-')),
  await mkdtemp(path.join(tmpdir(), 'showroom-bench-')),
]
const common = { PORT: '0', HOST: '127.0.0.1', SHOWROOM_DEMO: '0', SHOWROOM_ADMIN_PASSWORD: 'bench-admin-pw' }
const tlsStarted = performance.now()
const secure = await start(configFromEnv({ ...common, DATA_DIR: dirs[0]!, TLS: 'local' }))
const tlsStartMs = performance.now() - tlsStarted
const plain = await start(configFromEnv({ ...common, DATA_DIR: dirs[1]! }))
console.log = quiet
report(bench, {
  metric: 'start with TLS=local (root + first certificate + listen), whole start',
  value: ms(tlsStartMs),
  unit: 'ms',
})

const root = secure.tls!.caCertPem!
const getHttps = () =>
  new Promise<void>((resolve, reject) => {
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port: secure.port,
        path: '/healthz',
        servername: 'localhost',
        ca: root,
        agent: false,
      },
      (res) => res.resume().on('end', resolve),
    )
    req.once('error', reject)
    req.end()
  })
const getHttp = () =>
  new Promise<void>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: plain.port, path: '/healthz', agent: false }, (res) =>
      res.resume().on('end', resolve),
    )
    req.once('error', reject)
    req.end()
  })
await timed(20, getHttps)
await timed(20, getHttp)
const https = await timed(rounds, getHttps)
const http = await timed(rounds, getHttp)
const data = `${rounds} new loopback connections each, GET /healthz`
report(bench, {
  metric: 'HTTPS new connection + GET /healthz, p50',
  value: ms(median(https)),
  unit: 'ms',
  data,
})
report(bench, { metric: 'HTTPS new connection + GET /healthz, p99', value: ms(p99(https)), unit: 'ms', data })
report(bench, {
  metric: 'plain HTTP new connection + GET /healthz, p50',
  value: ms(median(http)),
  unit: 'ms',
  data,
})

// live renewal while serving: time until the next handshake sees the new certificate
const live = secure.tls!.live
const renewStarted = performance.now()
await secure.tls!.check(live.notAfter - 1000)
const serial = await new Promise<string>((resolve, reject) => {
  const socket = connect({ host: '127.0.0.1', port: secure.port, servername: 'localhost', ca: root }, () => {
    resolve(socket.getPeerCertificate().serialNumber)
    socket.end()
  })
  socket.once('error', reject)
})
const renewMs = performance.now() - renewStarted
report(bench, {
  metric: 'live renewal: re-issue until the next handshake presents it',
  value: ms(renewMs),
  unit: 'ms',
  target: '≤ 1000',
  ok: renewMs <= 1000 && serial.length > 0,
})

await secure.stop('bench')
await plain.stop('bench')
for (const dir of dirs) await rm(dir, { recursive: true, force: true })
