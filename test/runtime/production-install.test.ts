// Production install on a clean copy: `npm ci --omit=dev && npm start` (runtime dependencies only) answers /healthz
// and serves the built bundle; deploy/showroom.service is a valid, hardened systemd unit.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm, copyFile, readFile, access } from 'node:fs/promises'
import { cleanCopy } from '../helpers/runtime.ts'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { execFile, spawn } from 'node:child_process'
import { promisify } from 'node:util'

const run = promisify(execFile)
const root = path.resolve(import.meta.dirname, '../..')
// only PATH and HOME (the npm cache): nothing of the developer's environment or of a parent npm run
const cleanEnv = { PATH: process.env.PATH, HOME: process.env.HOME }

test('npm ci --omit=dev && npm start on a clean copy answers /healthz and serves the built bundle', async () => {
  const work = await mkdtemp(path.join(tmpdir(), 'showroom-prod-'))
  const app = path.join(work, 'app')
  try {
    await cleanCopy(app)
    await run('npm', ['ci', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund'], {
      cwd: app,
      env: cleanEnv,
      timeout: 9 * 60_000,
      maxBuffer: 16 * 1024 * 1024,
    })
    for (const devOnly of ['typescript', 'playwright-core', 'prettier', 'drizzle-kit']) {
      await assert.rejects(access(path.join(app, 'node_modules', devOnly)), `${devOnly} is not installed`)
    }

    const child = spawn('npm', ['start'], {
      cwd: app,
      env: {
        ...cleanEnv,
        DATA_DIR: path.join(work, 'data'),
        BACKUP_DIR: path.join(work, 'backups'),
        HOST: '127.0.0.1',
        PORT: '0',
        SHOWROOM_DEMO: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      // its own process group: npm, its shell and node stop together
      detached: true,
    })
    const output: string[] = []
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    try {
      const base = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no listening line:\n${output.join('')}`)),
          5 * 60_000,
        )
        const onData = (chunk: Buffer) => {
          output.push(chunk.toString())
          const found = /"msg":"listening","url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(output.join(''))
          if (found) {
            clearTimeout(timer)
            resolve(found[1]!)
          }
        }
        child.stdout!.on('data', onData)
        child.stderr!.on('data', onData)
        void exited.then((code) => reject(new Error(`npm start exited (${code}):\n${output.join('')}`)))
      })
      const health = await fetch(`${base}/healthz`)
      assert.equal(health.status, 200)
      assert.deepEqual(await health.json(), { ok: true })
      assert.equal((await fetch(`${base}/readyz`)).status, 200)
      for (const script of ['/assets/signage/kiosk.mjs', '/assets/signage/display.mjs']) {
        assert.equal((await fetch(`${base}${script}`)).status, 200, `${script} was built at start`)
      }
    } finally {
      process.kill(-child.pid!, 'SIGTERM')
      await exited
    }
  } finally {
    await rm(work, { recursive: true, force: true })
  }
})

test('deploy/showroom.service: restart on failure, dedicated user, DATA_DIR and BACKUP_DIR, ProtectSystem=strict', async () => {
  const unitFile = path.join(root, 'deploy/showroom.service')
  const unit = await readFile(unitFile, 'utf8')
  for (const line of [
    /^Restart=on-failure$/m,
    /^User=showroom$/m,
    /^Environment=DATA_DIR=\/var\/lib\/showroom\/data$/m,
    /^Environment=BACKUP_DIR=\/var\/lib\/showroom\/backups$/m,
    /^ProtectSystem=strict$/m,
    /^ReadWritePaths=\/var\/lib\/showroom$/m,
    /^ExecStart=\/usr\/bin\/node --import tsx server\/main\.ts$/m,
  ]) {
    assert.match(unit, line)
  }
  // systemd's own check where the machine has it (Debian: the systemd package); it exits non-zero on any error
  const analyze = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((file) => existsSync(file))
  if (analyze) {
    const dir = await mkdtemp(path.join(tmpdir(), 'showroom-unit-'))
    try {
      await copyFile(unitFile, path.join(dir, 'showroom.service'))
      const { stderr } = await run(analyze, ['verify', path.join(dir, 'showroom.service')])
      assert.equal(stderr.trim(), '', 'systemd-analyze verify reports nothing')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }
})
