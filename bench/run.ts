// `npm run bench [name…]`: runs every bench/*.ts (each in its own process) and prints one table with the targets.
import { readdirSync } from 'node:fs'
import { spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { machine, figurePrefix, type Figure } from './_lib.ts'

const here = path.dirname(fileURLToPath(import.meta.url))
const only = process.argv.slice(2)
// every bench file but this runner and helpers (names starting with "_"); other issues add theirs beside
const benches = readdirSync(here)
  .filter((name) => name.endsWith('.ts') && name !== 'run.ts' && !name.startsWith('_'))
  .map((name) => name.slice(0, -3))
  .filter((name) => only.length === 0 || only.includes(name))
  .sort()

type Row = Figure & { bench: string }

// a server started inside a bench writes its structured request logs (server/log.ts): not figures, left out
function isLogLine(line: string) {
  if (!line.startsWith('{')) return false
  try {
    const entry = JSON.parse(line) as Record<string, unknown>
    return typeof entry.level === 'string' && typeof entry.msg === 'string'
  } catch {
    return false
  }
}

function runOne(name: string): Promise<{ rows: Row[]; output: string[]; code: number | null; ms: number }> {
  const started = performance.now()
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, `${name}.ts`)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, BENCH_RUN: '1' },
    })
    const rows: Row[] = []
    const output: string[] = []
    let pending = ''
    const take = (chunk: Buffer) => {
      pending += chunk.toString('utf8')
      const lines = pending.split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) {
        if (line.startsWith(figurePrefix)) {
          try {
            rows.push(JSON.parse(line.slice(figurePrefix.length)) as Row)
          } catch {
            output.push(line)
          }
        } else if (line.trim() && !isLogLine(line)) {
          output.push(line)
          // progress for a person watching; the table comes at the end
          if (!line.startsWith('{')) process.stderr.write(`  [${name}] ${line}\n`)
        }
      }
    }
    child.stdout.on('data', take)
    child.stderr.on('data', take)
    child.on('close', (code) => resolve({ rows, output, code, ms: performance.now() - started }))
  })
}

const facts = machine()
console.log(`Showroom benchmarks — ${new Date().toISOString()}`)
console.log(
  `machine: ${facts.cpu}, ${facts.memory}, ${facts.os}, Node ${facts.node}; load average at start ${facts.load}`,
)
const rows: Row[] = []
const notes: string[] = []
for (const name of benches) {
  process.stderr.write(`running bench/${name}.ts …\n`)
  const result = await runOne(name)
  rows.push(...result.rows)
  if (result.code !== 0)
    notes.push(`bench/${name}.ts exited with ${result.code}:\n    ${result.output.slice(-8).join('\n    ')}`)
  // a bench that prints its own figures (no BENCH lines) is shown as it printed them
  else if (result.rows.length === 0)
    notes.push(`bench/${name}.ts (its own output):\n    ${result.output.join('\n    ')}`)
}

const header = ['bench', 'metric', 'value', 'target', 'met', 'data']
const table = rows.map((r) => [
  r.bench,
  r.metric,
  `${r.value} ${r.unit}`.trim(),
  r.target ?? '',
  r.ok === undefined ? '' : r.ok ? 'yes' : 'NO',
  r.data ?? '',
])
const widths = header.map((h, i) =>
  Math.min(i === 5 ? 200 : 48, Math.max(h.length, ...table.map((row) => row[i]!.length))),
)
const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')
console.log('')
console.log(line(header))
console.log(widths.map((w) => '-'.repeat(w)).join('-|-'))
for (const row of table) console.log(line(row))
console.log('')
console.log(
  `load average at end ${machine().load} (2 cores shared with other work: figures are lower bounds)`,
)
for (const note of notes) console.log(note)
const missed = rows.filter((r) => r.ok === false).length
console.log(`${rows.length} figures, ${missed} below target`)
