// Shared by the benchmarks: one machine-readable line per figure (read by bench/run.ts), machine facts, loopback load.
import os from 'node:os'
import { readFileSync } from 'node:fs'
import { Agent, request } from 'node:http'

export type Figure = {
  metric: string
  value: number
  unit: string
  // the goal as people say it ("≥ 2000"); `ok` says whether this run met it
  target?: string
  ok?: boolean
  // the data the figure was measured on ("12,000 visits in the database")
  data?: string
}

export const figurePrefix = 'BENCH '

// prints a figure for people and, on the same stdout, a line for bench/run.ts
export function report(bench: string, figure: Figure): void {
  const mark = figure.ok === undefined ? '' : figure.ok ? '  ✓' : '  ✗ (below target)'
  const target = figure.target ? `   target ${figure.target}` : ''
  console.log(`${bench}: ${figure.metric}: ${figure.value} ${figure.unit}${target}${mark}`)
  console.log(figurePrefix + JSON.stringify({ bench, ...figure }))
}

export function machine() {
  const cpus = os.cpus()
  return {
    cpu: `${cpus[0]?.model ?? 'unknown'} × ${cpus.length}`,
    memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    // the machine is shared: a high load average means the figures are pessimistic
    load: os
      .loadavg()
      .map((n) => n.toFixed(2))
      .join(' '),
  }
}

// resident memory of another process, from /proc (Linux); null elsewhere
export function rssOf(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1]
    return kb ? Number(kb) * 1024 : null
  } catch {
    return null
  }
}

// keep-alive agents bound to loopback source addresses: per-address rate limits see many clients, like many phones
const agents = new Map<string, Agent>()
export function agentFor(localAddress: string): Agent {
  let agent = agents.get(localAddress)
  if (!agent) agents.set(localAddress, (agent = new Agent({ keepAlive: true, maxSockets: 4, localAddress })))
  return agent
}
export function closeAgents() {
  for (const agent of agents.values()) agent.destroy()
  agents.clear()
}

export type Reply = { status: number; headers: Record<string, string | string[] | undefined> }

export function send(
  base: string,
  path: string,
  {
    method = 'GET',
    body,
    headers = {},
    from = '127.0.0.1',
  }: { method?: string; body?: string; headers?: Record<string, string>; from?: string } = {},
): Promise<Reply> {
  const url = new URL(path, base)
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method,
        agent: agentFor(from),
        headers: body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume()
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }))
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

// the n-th loopback address of a pool of `size` (127.0.<1+…>.<2+…>), for spreading per-address limits
export function loopbackAddress(n: number): string {
  return `127.0.${1 + Math.floor(n / 250)}.${2 + (n % 250)}`
}

export const formatCount = (n: number) => n.toLocaleString('en-US')
