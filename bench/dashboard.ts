// Benchmark: /dashboard render with 1,000,000 historical visits + 200 today, and one arrival fanned out to 200 sockets.
import { machine, report } from './_lib.ts'
import { startBenchServer } from './_server.ts'
import { Worker } from 'node:worker_threads'
import { addVisit, putOnDuty } from '../test/helpers/dashboard-fixtures.ts'
import { dashboardSocketPath } from '../views/dashboard-text.ts'
import { renderFragments } from '../views/dashboard.tsx'
import {
  dashboardSnapshot,
  todayArrivals,
  weekdayHourlyAverage,
  readWeekdayHourlyAverage,
  zoneEngagement,
} from '../models/dashboard.ts'
import { localDay } from '../models/time.ts'

const historical = Number(process.env.BENCH_VISITS ?? 1_000_000)
const todayCount = 200
const renders = 300
const sockets = 200
const fanOutRounds = 10
const targets = { renderP95Ms: 50, fanOutMs: 200 }

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}
const ms = (n: number) => `${n.toFixed(1)} ms`
const round = (n: number) => Math.round(n * 10) / 10

const { server, deps, officeId, database: db, stop } = await startBenchServer()
const quiet = console.log
try {
  // ---- data: a long history written in one statement, then today's visits the way check-in would add them
  let t = performance.now()
  const brokers = await db.client.execute({
    sql: 'SELECT id FROM brokers WHERE office_id = ?',
    args: [officeId],
  })
  const [b1, b2] = brokers.rows.map((r) => String(r.id))
  const now = Date.now()
  const dayMs = 86_400_000
  // local midnight in the demo office's zone (Asia/Shanghai, UTC+8, no summer time)
  const todayStart = Math.floor((now + 8 * 3600_000) / dayMs) * dayMs - 8 * 3600_000
  await db.client.execute({
    sql: `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
      INSERT INTO visits (id, office_id, visitor_id, day, checked_in_at, checked_out_at, channel, broker_id,
        attribution_reason, first_visit, status, revision)
      SELECT 'h' || i, ?, NULL, date((at + 8 * 3600000) / 1000, 'unixepoch'), at, at + 1800000 + (i % 60) * 60000,
        CASE WHEN i % 3 = 0 THEN 'broker' ELSE 'walk-in' END,
        CASE WHEN i % 3 = 0 THEN (CASE WHEN i % 2 = 0 THEN ? ELSE ? END) ELSE NULL END,
        CASE WHEN i % 3 = 0 THEN 'referral' ELSE 'no-referral' END, i % 4 != 0, 'left', 2
      FROM (SELECT i, ? - (1 + i % 730) * ? + 9 * 3600000 + ((i * 7919) % 12) * 3600000 + (i % 60) * 60000 AS at
        FROM n)`,
    args: [historical, officeId, b1!, b2!, todayStart, dayMs],
  })
  const seeded = performance.now() - t
  await putOnDuty(db, ['sales', 'sales2'])
  t = performance.now()
  for (let i = 0; i < todayCount; i++) {
    await addVisit(db, deps.keys, {
      officeId,
      at: now - (todayCount - i) * 60_000,
      channel: i % 3 === 0 ? 'broker' : 'walk-in',
      brokerId: i % 3 === 0 ? (i % 2 ? b1 : b2) : null,
      firstVisit: i % 4 !== 0,
      phone: i % 2 ? `138${String(10_000_000 + i).slice(0, 8)}` : undefined,
    })
  }
  await db.client.execute('ANALYZE')
  const host = machine()
  quiet(`machine: ${host.cpu}, load average ${host.load} (shared: a high load makes the figures pessimistic)`)
  quiet(
    `data: ${historical.toLocaleString('en')} historical visits in ${(seeded / 1000).toFixed(1)} s, ` +
      `${todayCount} today in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  )

  // ---- /dashboard full render, signed in as sales, over loopback HTTP
  const cookies = new Map<string, string>()
  const remember = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const eq = pair!.indexOf('=')
      cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1))
    }
  }
  const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  remember(await fetch(`${server.base}/login`))
  const password = server.seeded!.demoAccounts.find((a) => a.username === 'sales')!.password
  remember(
    await fetch(`${server.base}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: cookies.get('sr_csrf')!, username: 'sales', password }),
    }),
  )
  const timings: number[] = []
  let bytes = 0
  for (let i = 0; i < renders + 20; i++) {
    const started = performance.now()
    const res = await fetch(`${server.base}/dashboard`, { headers: { cookie: cookieHeader() } })
    const body = await res.text()
    if (res.status !== 200 || !body.includes('id="visit-list"'))
      throw new Error(`render failed: ${res.status}`)
    if (i >= 20) timings.push(performance.now() - started)
    bytes = body.length
  }
  const p95 = percentile(timings, 95)
  const data = `${historical.toLocaleString('en')} historical visits + ${todayCount} today, file DB`
  report('dashboard', {
    metric: `/dashboard full render p50 (${renders} requests, ${(bytes / 1024).toFixed(0)} KiB)`,
    value: round(percentile(timings, 50)),
    unit: 'ms',
    data,
  })
  report('dashboard', {
    metric: '/dashboard full render p95',
    value: round(p95),
    unit: 'ms',
    target: `< ${targets.renderP95Ms}`,
    ok: p95 < targets.renderP95Ms,
    data,
  })

  // where the time goes: the reads and the HTML, without HTTP and the session check around them
  const reads: number[] = []
  const html: number[] = []
  const queries: Record<string, number[]> = { arrivals: [], weekday: [], uncached: [], zones: [] }
  const day = localDay(Date.now(), 'Asia/Shanghai')
  for (let i = 0; i < 50; i++) {
    let s = performance.now()
    const snapshot = await dashboardSnapshot(db.db, officeId, Date.now())
    reads.push(performance.now() - s)
    s = performance.now()
    renderFragments('zh-CN', snapshot, '')
    html.push(performance.now() - s)
    s = performance.now()
    await todayArrivals(db.db, officeId, day)
    queries.arrivals!.push(performance.now() - s)
    s = performance.now()
    await weekdayHourlyAverage(db.db, officeId, day, 'Asia/Shanghai')
    queries.weekday!.push(performance.now() - s)
    s = performance.now()
    await readWeekdayHourlyAverage(db.db, officeId, day, 'Asia/Shanghai')
    queries.uncached!.push(performance.now() - s)
    s = performance.now()
    await zoneEngagement(db.db, officeId, Date.now() - 12 * 3600_000)
    queries.zones!.push(performance.now() - s)
  }
  quiet(
    `  in process, p50: all reads ${ms(percentile(reads, 50))} (arrivals ${ms(percentile(queries.arrivals!, 50))}, ` +
      `weekday average ${ms(percentile(queries.weekday!, 50))} cached / ${ms(percentile(queries.uncached!, 50))} read, zones ${ms(percentile(queries.zones!, 50))}), ` +
      `HTML ${ms(percentile(html, 50))}`,
  )

  // ---- live fan-out: 200 dashboards connected; one arrival; time until the last one has it
  // the dashboards run in a worker thread, as separate tablets would, so their parsing is not billed to the server
  const worker = new Worker(new URL('./dashboard-clients.mjs', import.meta.url), {
    workerData: {
      url: server.base.replace('http', 'ws') + dashboardSocketPath,
      cookie: cookieHeader(),
      count: sockets,
    },
  })
  let failed: (error: Error) => void = () => undefined
  worker.on('error', (error) => failed(error))
  const fromWorker = (type: string) =>
    new Promise<{ at?: number }>((resolve, reject) => {
      const onMessage = (message: { type: string; at?: number }) => {
        if (message.type !== type) return
        worker.off('message', onMessage)
        resolve(message)
      }
      worker.on('message', onMessage)
      failed = reject
    })
  await fromWorker('ready')
  const fanOuts: number[] = []
  const publishCost: number[] = []
  const publish = deps.live.publish.bind(deps.live)
  let renderedAt = 0
  deps.live.publish = (topic, data) => {
    renderedAt = performance.now()
    const n = publish(topic, data)
    publishCost.push(performance.now() - renderedAt)
    return n
  }
  const renderCost: number[] = []
  for (let round = 0; round < fanOutRounds; round++) {
    const visitId = await addVisit(db, deps.keys, { officeId, at: Date.now() })
    const expecting = fromWorker('expecting')
    worker.postMessage({ type: 'expect', needle: `data-visit="${visitId}"` })
    await expecting
    const delivered = fromWorker('delivered')
    const emitted = performance.now()
    deps.events!.emit({ type: 'visit.checked-in', officeId, visitId })
    const last = (await delivered).at! - performance.timeOrigin
    fanOuts.push(last - emitted)
    renderCost.push(renderedAt - emitted)
  }
  const worst = Math.max(...fanOuts)
  report('dashboard', {
    metric: `live fan-out of one arrival to ${sockets} dashboards, median of ${fanOutRounds}`,
    value: round(percentile(fanOuts, 50)),
    unit: 'ms',
    data,
  })
  report('dashboard', {
    metric: `live fan-out of one arrival to ${sockets} dashboards, worst of ${fanOutRounds}`,
    value: round(worst),
    unit: 'ms',
    target: `< ${targets.fanOutMs}`,
    ok: worst < targets.fanOutMs,
    data,
  })
  quiet(
    `  of which, median: reads + HTML in both languages ${ms(percentile(renderCost, 50))}, ` +
      `handing the frames to ${sockets} sockets ${ms(percentile(publishCost, 50))}, the rest is delivery`,
  )
  worker.postMessage({ type: 'close' })
  await new Promise((resolve) => worker.once('exit', resolve))
} finally {
  // the server's goodbye lines are not figures
  console.log = () => undefined
  await stop()
  console.log = quiet
}
