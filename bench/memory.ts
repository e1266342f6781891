// Server memory under sustained load: RSS of a server process after each "hour" of a busy office's traffic (flat?).
import { mkdtemp, rm, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import WebSocket from 'ws'
import { createClient } from '@libsql/client'
import { startNodeServer, signIn } from '../test/helpers/runtime.ts'
import { loadOrCreateKeys } from '../server/keys.ts'
import {
  entranceStationOf,
  insertEntranceCodes,
  entryCookieFor,
  codeForCheckin,
} from '../test/helpers/entrance-codes.ts'
import { stationSocketPath } from '../server/station-protocol.ts'
import { report, send, loopbackAddress, closeAgents, rssOf, formatCount } from './_lib.ts'

// one "hour" of a busy sales office, compressed: check-ins, passes, dashboards, probes, screens reconnecting
const hour = { checkins: 300, passViews: 300, dashboards: 1200, probes: 1200, stationReconnects: 60 }
const hours = Number(process.env.BENCH_HOURS ?? 4)
const concurrency = 16
const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10

async function inParallel(count: number, work: (i: number) => Promise<unknown>) {
  let next = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await work(next++).catch(() => undefined)
    }),
  )
}

const dataDir = await mkdtemp(path.join(tmpdir(), 'showroom-bench-mem-'))
const server = await startNodeServer({ DATA_DIR: dataDir, SHOWROOM_ADMIN_PASSWORD: 'bench-admin-password' })
try {
  const { keys } = await loadOrCreateKeys({
    load: () => readFile(path.join(dataDir, 'keys.json'), 'utf8'),
    save: async () => undefined,
  })
  const db = createClient({ url: `file:${dataDir}/showroom.db` })
  const entrance = await entranceStationOf(db)
  const admin = await signIn(server.base, 'admin', 'bench-admin-password')
  const csrf = 'bench-csrf-token-00001'
  let phoneSeq = 0
  let addressSeq = 0

  async function oneHour() {
    const codes = await insertEntranceCodes(db, entrance, { count: Math.ceil(hour.checkins / 10) })
    const passes: string[] = []
    let checkinSeq = 0
    await inParallel(hour.checkins, async () => {
      const from = loopbackAddress(Math.floor(addressSeq++ / 100))
      const code = codeForCheckin(codes, checkinSeq++)
      const entry = await entryCookieFor(keys, code, entrance)
      const body = new URLSearchParams({
        _csrf: csrf,
        t: code,
        phone: `137${String(phoneSeq++).padStart(8, '0')}`,
      })
      const reply = await send(server.base, '/checkin', {
        method: 'POST',
        body: body.toString(),
        from,
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `sr_csrf=${csrf}; ${entry}` },
      })
      const pass = /sr_visit=([^;]+)/.exec(String(reply.headers['set-cookie'] ?? ''))?.[1]
      if (pass) passes.push(pass)
    })
    await inParallel(hour.passViews, (i) =>
      send(server.base, i % 2 ? '/pass' : '/me', {
        headers: { cookie: `sr_visit=${passes[i % passes.length]}` },
      }),
    )
    await inParallel(hour.dashboards, () =>
      send(server.base, '/dashboard', { headers: { cookie: admin.cookie } }),
    )
    await inParallel(hour.probes, (i) =>
      send(server.base, ['/readyz', '/healthz', '/login', '/vendor/htmx.min.js'][i % 4]!),
    )
    // sockets that open, fail their hello and are closed: leaked sockets, timers or subscriptions would show here
    await inParallel(hour.stationReconnects, async () => {
      const ws = new WebSocket(server.base.replace('http', 'ws') + stationSocketPath)
      await new Promise<void>((resolve) => {
        ws.once('open', () => ws.send(JSON.stringify({ type: 'hello', token: 'not-a-token' })))
        ws.once('close', () => resolve())
        ws.once('error', () => resolve())
      })
    })
  }

  await oneHour() // warm-up: JIT, caches, SQLite page cache
  const samples: number[] = []
  for (let h = 0; h < hours; h++) {
    await oneHour()
    samples.push(rssOf(server.process.pid!) ?? 0)
  }
  const visits = Number((await db.execute('SELECT count(*) FROM visits')).rows[0]![0])
  db.close()
  const first = samples[0]!
  const last = samples.at(-1)!
  const growth = Math.round(((last - first) / first) * 1000) / 10
  const requests =
    (hours + 1) * (hour.checkins + hour.passViews + hour.dashboards + hour.probes + hour.stationReconnects)
  const data = `${hours} busy-office hours after warm-up (${formatCount(requests)} requests, ${formatCount(visits)} visits); RSS by hour: ${samples.map(mib).join(', ')} MiB`
  report('memory', { metric: 'server RSS after the first hour', value: mib(first), unit: 'MiB', data })
  report('memory', { metric: 'server RSS after the last hour', value: mib(last), unit: 'MiB', data })
  report('memory', {
    metric: 'RSS growth, first → last hour',
    value: growth,
    unit: '%',
    target: '≤ 10 (flat)',
    ok: growth <= 10,
    data,
  })
} finally {
  closeAgents()
  await server.stop()
  await rm(dataDir, { recursive: true, force: true })
}
