// Check-in throughput with durable writes: phone check-ins over HTTP against a server process, and the write path alone.
import { mkdtemp, rm, readFile, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createClient } from '@libsql/client'
import { startNodeServer } from '../test/helpers/runtime.ts'
import { loadOrCreateKeys } from '../server/keys.ts'
import {
  entranceStationOf,
  insertEntranceCodes,
  entryCookieFor,
  codeForCheckin,
} from '../test/helpers/entrance-codes.ts'
import { entranceCodeCheckinCap } from '../server/entrance-codes.ts'
import { openDatabase, migrateDatabase } from '../models/db.ts'
import { seedFirstStart } from '../models/seed.ts'
import { checkInVisit } from '../models/visits.ts'
import { protectPhone } from '../models/phone.ts'
import { appendAudit } from '../models/audit.ts'
import { ephemeralKeys } from '../server/keys.ts'
import { report, send, loopbackAddress, closeAgents, formatCount } from './_lib.ts'

const seconds = Number(process.env.BENCH_SECONDS ?? 5)
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32)
const target = 2000

function percentile(sorted: number[], p: number) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]! : 0
}

// N workers calling `work` until the time is up; returns completed count and latencies
async function drive(work: (seq: number) => Promise<boolean>, ms: number, workers = concurrency) {
  const latencies: number[] = []
  let seq = 0
  let failed = 0
  const end = performance.now() + ms
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < end) {
        const started = performance.now()
        if (await work(seq++)) latencies.push(performance.now() - started)
        else failed++
      }
    }),
  )
  latencies.sort((a, b) => a - b)
  return { done: latencies.length, failed, p50: percentile(latencies, 50), p99: percentile(latencies, 99) }
}

async function httpCheckins() {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'showroom-bench-'))
  const server = await startNodeServer({ DATA_DIR: dataDir, SHOWROOM_ADMIN_PASSWORD: 'bench-admin-password' })
  try {
    const { keys } = await loadOrCreateKeys({
      load: () => readFile(path.join(dataDir, 'keys.json'), 'utf8'),
      save: async () => undefined,
    })
    const db = createClient({ url: `file:${dataDir}/showroom.db` })
    const entrance = await entranceStationOf(db)
    const synchronous = (await db.execute('PRAGMA synchronous')).rows[0]![0]
    // enough entrance codes for every check-in of the run (each serves its cap); each phone opened its code
    const codes = await insertEntranceCodes(db, entrance, { count: 5000 })
    const csrf = 'bench-csrf-token-00001'
    // every check-in a new phone (new visitor + visit: the most expensive path); ≤100 per address (limit 120/min)
    const checkIn = async (seq: number) => {
      const code = codeForCheckin(codes, seq)
      const body = new URLSearchParams({ _csrf: csrf, t: code, phone: `137${String(seq).padStart(8, '0')}` })
      const entry = await entryCookieFor(keys, code, entrance)
      const reply = await send(server.base, '/checkin', {
        method: 'POST',
        body: body.toString(),
        from: loopbackAddress(Math.floor(seq / 100)),
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          cookie: `sr_csrf=${csrf}; ${entry}`,
        },
      }).catch(() => ({ status: 0 }))
      return reply.status === 303
    }
    // the floor: the same server and load generator answering its cheapest route (one query, no token, no write)
    const floor = await drive(
      async (seq) =>
        (
          await send(server.base, '/healthz', {
            method: 'GET',
            from: loopbackAddress(2000 + Math.floor(seq / 100)),
          })
        ).status === 200,
      seconds * 1000,
    )
    await drive(checkIn, 1000)
    // the timed run starts halfway through the codes (the warm-up used the first ones up to their cap; an offset
    // that is a multiple of codes × cap would land on them again and count their refusals as failures)
    const result = await drive(
      (seq) => checkIn(seq + (codes.length / 2) * entranceCodeCheckinCap),
      seconds * 1000,
    )
    const visits = Number((await db.execute('SELECT count(*) FROM visits')).rows[0]![0])
    db.close()
    const size =
      (await stat(path.join(dataDir, 'showroom.db'))).size +
      (await stat(path.join(dataDir, 'showroom.db-wal')).catch(() => ({ size: 0 }))).size
    const data = `${formatCount(visits)} visits, ${(size / 2 ** 20).toFixed(1)} MiB; WAL, synchronous=${synchronous}; ${concurrency} clients`
    const perSecond = Math.round(result.done / seconds)
    report('checkin', {
      metric: 'HTTP phone check-ins (server process)',
      value: perSecond,
      unit: '/s',
      target: `≥ ${target}`,
      ok: perSecond >= target,
      data,
    })
    report('checkin', {
      metric: 'HTTP floor: GET /healthz on the same server and client',
      value: Math.round(floor.done / seconds),
      unit: '/s',
      data: `${concurrency} clients; what this machine serves with no token, no crypto and no write`,
    })
    report('checkin', {
      metric: 'HTTP check-in latency p50',
      value: Math.round(result.p50 * 10) / 10,
      unit: 'ms',
      data,
    })
    report('checkin', {
      metric: 'HTTP check-in latency p99',
      value: Math.round(result.p99 * 10) / 10,
      unit: 'ms',
      data,
    })
    if (result.failed)
      report('checkin', {
        metric: 'HTTP check-ins refused or failed',
        value: result.failed,
        unit: '',
        target: '0',
        ok: false,
      })
  } finally {
    await server.stop()
    closeAgents()
    await rm(dataDir, { recursive: true, force: true })
  }
}

// the write path alone, in this process: checkInVisit through database.write, one transaction per check-in
async function writePath() {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'showroom-bench-db-'))
  const database = await openDatabase({ url: `file:${dataDir}/showroom.db` })
  try {
    await migrateDatabase(database)
    const seeded = (await seedFirstStart({
      database,
      adminPassword: 'bench-admin-password',
      demo: true,
      now: Date.now(),
    }))!
    const keys = await ephemeralKeys()
    const entrance = seeded.stations.find((s) => s.kind === 'entrance')!
    const checkIn = async (seq: number) => {
      const phone = await protectPhone(keys.phone, `136${String(seq).padStart(8, '0')}`)
      await database.write((tx) =>
        checkInVisit({
          tx,
          input: {
            officeId: seeded.officeId,
            stationId: entrance.id,
            passVisitorId: null,
            phone,
            referralId: null,
          },
          now: Date.now(),
        }),
      )
      return true
    }
    const result = await drive(checkIn, seconds * 1000)
    const perSecond = Math.round(result.done / seconds)
    report('checkin', {
      metric: 'check-in write path alone (1 tx each)',
      value: perSecond,
      unit: '/s',
      target: `≥ ${target}`,
      ok: perSecond >= target,
      data: `${formatCount(result.done)} visits written`,
    })
    // what group commit would give: the same check-ins, 25 to a transaction (one fsync per batch)
    const batch = 25
    const grouped = await drive(
      async (seq) => {
        const phones = await Promise.all(
          Array.from({ length: batch }, (_, i) =>
            protectPhone(keys.phone, `135${String(seq * batch + i).padStart(8, '0')}`),
          ),
        )
        await database.write(async (tx) => {
          for (const phone of phones)
            await checkInVisit({
              tx,
              input: {
                officeId: seeded.officeId,
                stationId: entrance.id,
                passVisitorId: null,
                phone,
                referralId: null,
              },
              now: Date.now(),
            })
        })
        return true
      },
      seconds * 1000,
      4,
    )
    const groupedPerSecond = Math.round((grouped.done * batch) / seconds)
    report('checkin', {
      metric: `check-in write path, ${batch} per tx (group commit)`,
      value: groupedPerSecond,
      unit: '/s',
      target: `≥ ${target}`,
      ok: groupedPerSecond >= target,
      data: `${formatCount(result.done + grouped.done * batch)} visits written`,
    })
    const audits = await drive(async () => {
      await database.write((tx) =>
        appendAudit(tx, { at: Date.now(), actorType: 'system', action: 'bench.append' }),
      )
      return true
    }, 2000)
    report('checkin', {
      metric: 'audit appends (1 row per tx)',
      value: Math.round(audits.done / 2),
      unit: '/s',
      data: 'same file',
    })
  } finally {
    database.close()
    await rm(dataDir, { recursive: true, force: true })
  }
}

await httpCheckins()
await writePath()
