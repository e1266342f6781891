// Runs node's test runner over test/**/*.test.ts (Node 20 does not find .ts files by itself).
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { spawnSync } from 'node:child_process'

const filter = process.argv.slice(2)
const files = []
const walk = (dir) => {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name)
    if (statSync(full).isDirectory()) walk(full)
    else if (name.endsWith('.test.ts') || name.endsWith('.test.tsx')) files.push(full)
  }
}
walk('test')
const chosen = filter.length ? files.filter((f) => filter.some((x) => f.includes(x))) : files
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...chosen],
  { stdio: 'inherit' },
)
process.exit(result.status ?? 1)
