// Benchmark: station events over WebSocket, accepted and stored: many paired stations, each sending a minute of
// session events in batches of 20 (the protocol's limit) as fast as the server acknowledges them.
import { Worker } from 'node:worker_threads'
import { machine, report, formatCount } from './_lib.ts'
import { startBenchServer } from './_server.ts'
import { createStation } from '../models/offices.ts'
import { currentNotice, grantConsent } from '../models/consents.ts'
import { issuePairingToken, pairStation } from '../server/stations.ts'
import { stationSocketPath, maxEventsPerBatch } from '../server/station-protocol.ts'
import { stationEventsPerMinute } from '../server/station-events.ts'

const stationCount = Number(process.env.BENCH_STATIONS ?? 400)
// a station may send this many a minute; the bench sends exactly a minute's allowance from every station
const batchesPerStation = Math.floor(stationEventsPerMinute / maxEventsPerBatch)
const target = 20_000

const { server, deps, officeId, database, stop } = await startBenchServer()
let worker: Worker | null = null
try {
  // ---- stations (displays in many zones), each paired for its device token; one visitor's camera consent
  const now = Date.now()
  const tokens: string[] = []
  for (let i = 0; i < stationCount; i++) {
    const id = await database.write((tx) =>
      createStation({
        tx,
        input: { officeId, kind: 'display', name: `Bench ${i}`, zone: `zone ${i % 40}` },
        now,
      }),
    )
    const paired = await pairStation(deps, await issuePairingToken(deps, id))
    if (!paired.ok) throw new Error(`pairing failed: ${paired.failure}`)
    tokens.push(paired.stationToken)
  }
  const notice = (await currentNotice(database.db, officeId, 'zh-CN'))!
  const consent = await database.write((tx) =>
    grantConsent({ tx, input: { officeId, visitId: null, noticeId: notice.id, givenAt: 'bench' }, now }),
  )

  // ---- the stations connect from a worker thread (the other core), then send everything at once
  worker = new Worker(new URL('./station-clients.mjs', import.meta.url), {
    workerData: {
      url: `${server.base.replace('http', 'ws')}${stationSocketPath}`,
      tokens,
      consent: consent.id,
      batchesPerStation,
      eventsPerBatch: maxEventsPerBatch,
      baseAt: now - 15 * 60_000,
    },
  })
  const messages: { type: string; [k: string]: unknown }[] = []
  const waiters: (() => void)[] = []
  worker.on('message', (m) => {
    messages.push(m)
    for (const wake of waiters.splice(0)) wake()
  })
  worker.on('error', (e) => {
    throw e
  })
  const next = async (type: string) => {
    for (;;) {
      const found = messages.find((m) => m.type === type)
      if (found) return found
      await new Promise<void>((resolve) => waiters.push(resolve))
    }
  }
  await next('ready')
  const before = { ...database.writeStats }
  worker.postMessage({ type: 'go' })
  const sent = await next('sent')
  const done = await next('done')
  const transactions = database.writeStats.transactions - before.transactions
  const batches = database.writeStats.writers - before.writers
  const seconds = ((done.lastAck as number) - (sent.startedAt as number)) / 1000
  const total = stationCount * batchesPerStation * maxEventsPerBatch
  const perSecond = Math.round((done.acked as number) / seconds)

  // ---- what was stored: one idempotency row per acked event, each session holding its last tick's totals
  const stored = Number(
    (await database.client.execute('SELECT count(*) AS n FROM station_events')).rows[0]!.n,
  )
  const sessions = await database.client.execute(
    'SELECT count(*) AS n, min(dwell_ms) AS lo, max(dwell_ms) AS hi FROM camera_sessions',
  )
  const lastDwell = (batchesPerStation * maxEventsPerBatch - 1) * 1000
  const complete =
    stored === done.acked &&
    Number(sessions.rows[0]!.n) === stationCount &&
    Number(sessions.rows[0]!.lo) === lastDwell &&
    Number(sessions.rows[0]!.hi) === lastDwell
  const data = `${stationCount} stations × ${batchesPerStation} batches × ${maxEventsPerBatch} events = ${formatCount(total)}; ${machine().cpu}, load ${machine().load}`
  report('station-events', {
    metric: 'station events accepted and stored over WebSocket',
    value: perSecond,
    unit: '/s',
    target: `≥ ${formatCount(target)}`,
    ok: perSecond >= target,
    data,
  })
  report('station-events', {
    metric: 'events acked / dropped / stored',
    value: done.acked as number,
    unit: `acked, ${done.dropped as number} dropped ${JSON.stringify(done.dropReasons)}, ${formatCount(stored)} stored`,
    target: `${formatCount(total)} acked, 0 dropped, all stored`,
    ok: complete && done.dropped === 0,
    data: `${Number(sessions.rows[0]!.n)} sessions, final dwell ${sessions.rows[0]!.lo}–${sessions.rows[0]!.hi} ms (expected ${lastDwell})`,
  })
  report('station-events', {
    metric: 'time to ack everything',
    value: Math.round(seconds * 1000),
    unit: 'ms',
    data,
  })
  report('station-events', {
    metric: 'batches per write transaction (group commit)',
    value: Math.round((batches / transactions) * 10) / 10,
    unit: `(${formatCount(batches)} batches in ${formatCount(transactions)} transactions)`,
    data,
  })
} finally {
  worker?.postMessage({ type: 'stop' })
  await stop()
}
