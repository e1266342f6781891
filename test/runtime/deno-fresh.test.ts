// Deno on par with Node, from a fresh clone (no dist/, no data/): `npm run start:deno` builds the bundle, prints the
// banner (as a JSON line, secrets in first-start.txt), runs the purge and roll-up jobs, and keeps every file 0600.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm, stat, symlink, readFile, readdir, access } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { spawn } from 'node:child_process'
import { createClient } from '@libsql/client'
import { cleanCopy } from '../helpers/runtime.ts'

const root = path.resolve(import.meta.dirname, '../..')

test('Deno from a fresh clone: banner, kiosk page with every script 200, purge ran, files 0600', async () => {
  const work = await mkdtemp(path.join(tmpdir(), 'showroom-deno-fresh-'))
  const app = path.join(work, 'app')
  const dataDir = path.join(work, 'data')
  try {
    await cleanCopy(app)
    await assert.rejects(access(path.join(app, 'dist')), 'a fresh clone has no built bundle')
    // `npm install` of the clone: the dependencies this checkout already installed
    await symlink(path.join(root, 'node_modules'), path.join(app, 'node_modules'), 'dir')

    const child = spawn('npm', ['run', 'start:deno'], {
      cwd: app,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DENO_NO_UPDATE_CHECK: '1',
        DATA_DIR: dataDir,
        HOST: '127.0.0.1',
        PORT: '0',
        SHOWROOM_DEMO: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    })
    const output: string[] = []
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    const waitFor = (pattern: RegExp) =>
      new Promise<RegExpExecArray>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`timed out on ${pattern}:\n${output.join('')}`)),
          5 * 60_000,
        )
        const check = () => {
          const found = pattern.exec(output.join(''))
          if (found) {
            clearTimeout(timer)
            resolve(found)
          }
        }
        child.stdout!.on('data', check)
        child.stderr!.on('data', check)
        void exited.then((code) => reject(new Error(`start:deno exited (${code}):\n${output.join('')}`)))
        check()
      })
    child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()))
    child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()))
    try {
      const [, base] = await waitFor(/"msg":"listening","url":"(http:\/\/127\.0\.0\.1:\d+)","runtime":"deno"/)
      // the banner, as under Node: one JSON line with the screens, pointing at the file that holds the secrets
      const started = output
        .join('')
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .find((entry) => entry.msg === 'started')
      assert.ok(started, output.join(''))
      assert.equal(started.firstStartFile, path.join(dataDir, 'first-start.txt'))
      const firstStart = await readFile(path.join(dataDir, 'first-start.txt'), 'utf8')
      assert.match(firstStart, /First admin login: admin \/ \S+/)
      const kioskUrl = (started.screens as { name: string; url: string }[]).find((s) =>
        /\/kiosk\//.test(s.url),
      )!.url

      // the kiosk page and every script it loads (the bundle was built by start:deno)
      const page = await fetch(kioskUrl)
      assert.equal(page.status, 200)
      const scripts = [...(await page.text()).matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]!)
      assert.ok(
        scripts.some((src) => src.includes('/assets/signage/kiosk.mjs')),
        scripts.join(' '),
      )
      for (const src of scripts) assert.equal((await fetch(new URL(src, base))).status, 200, src)

      // the purge job ran at start, as under Node
      await waitFor(/"msg":"retention purge","trigger":"start"/)
    } finally {
      process.kill(-child.pid!, 'SIGTERM')
      await exited
    }
    const db = createClient({ url: `file:${dataDir}/showroom.db` })
    const runs = await db.execute("SELECT trigger, error FROM purge_runs WHERE trigger = 'start'")
    db.close()
    assert.equal(runs.rows.length, 1)
    assert.equal(runs.rows[0]!.error, null)
    assert.equal((await stat(dataDir)).mode & 0o777, 0o700)
    // files 0600, folders (the content store) 0700, all the way down
    for (const entry of await readdir(dataDir, { recursive: true, withFileTypes: true })) {
      const full = path.join(entry.parentPath, entry.name)
      assert.equal((await stat(full)).mode & 0o777, entry.isDirectory() ? 0o700 : 0o600, full)
    }
  } finally {
    await rm(work, { recursive: true, force: true })
  }
})
