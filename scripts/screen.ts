// `npm run screen -- <pairing link or station URL>`: runs this machine's Chromium full screen as that station, writes
// the camera policy for its origin (or prints it with --print-policy), and starts the browser again whenever it exits.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import path from 'node:path'
import {
  screenPlan,
  defaultPolicyDir,
  policyFileName,
  ScreenTargetError,
  type ScreenPlan,
} from './screen-plan.ts'

export const restartDelays = { firstMs: 1000, maxMs: 30_000, healthyAfterMs: 60_000 }

type Launch = (args: string[]) => Pick<ChildProcess, 'once' | 'kill'>

// marks the last run as a clean exit, so Chromium shows no restore prompt even where the flags do not cover it
async function markCleanExit(profileDir: string) {
  const file = path.join(profileDir, 'Default', 'Preferences')
  try {
    const prefs = JSON.parse(await readFile(file, 'utf8'))
    prefs.profile = { ...prefs.profile, exit_type: 'Normal', exited_cleanly: true }
    await writeFile(file, JSON.stringify(prefs))
  } catch {
    // no profile yet: nothing to restore either
  }
}

// starts the browser, and again after each exit (1 s, doubling up to 30 s while it keeps dying young)
export function superviseScreen({
  plan,
  launch,
  wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  now = Date.now,
  onExit = (code: number | null, nextInMs: number) =>
    console.error(`Chromium exited (${code}); starting it again in ${nextInMs / 1000} s`),
}: {
  plan: ScreenPlan
  launch: Launch
  wait?: (ms: number) => Promise<void>
  now?: () => number
  onExit?: (code: number | null, nextInMs: number) => void
}) {
  let stopped = false
  let current: ReturnType<Launch> | null = null
  const done = (async () => {
    let delay = restartDelays.firstMs
    for (let first = true; !stopped; first = false) {
      await markCleanExit(plan.profileDir)
      const started = now()
      current = launch(plan.args(first ? plan.url : plan.restartUrl))
      const code = await new Promise<number | null>((resolve) => {
        current!.once('exit', (c: number | null) => resolve(c))
        current!.once('error', () => resolve(null))
      })
      if (stopped) break
      delay = now() - started > restartDelays.healthyAfterMs ? restartDelays.firstMs : delay
      onExit(code, delay)
      await wait(delay)
      delay = Math.min(delay * 2, restartDelays.maxMs)
    }
  })()
  return {
    done,
    stop: () => {
      stopped = true
      current?.kill('SIGTERM')
    },
  }
}

async function main(argv: string[]) {
  const printPolicy = argv.includes('--print-policy')
  const option = (name: string) => {
    const i = argv.indexOf(name)
    return i >= 0 ? argv[i + 1] : undefined
  }
  const target = argv.find(
    (a, i) => !a.startsWith('--') && !argv[i - 1]?.match(/^--(chromium|profile-root|policy-dir)$/),
  )
  if (!target) {
    console.error(
      'usage: npm run screen -- <pairing link or station URL> [--print-policy] [--chromium PATH] [--profile-root DIR] [--policy-dir DIR]',
    )
    process.exit(2)
  }
  const plan = screenPlan({
    target,
    profileRoot: option('--profile-root') ?? path.join(homedir(), '.local/share/showroom-screen'),
  })
  const policyText = `${JSON.stringify(plan.policy, null, 2)}\n`
  if (printPolicy) {
    process.stdout.write(policyText)
    return
  }
  if (
    plan.origin.startsWith('http:') &&
    !/^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:|$)/.test(plan.origin)
  ) {
    console.error(`warning: ${plan.origin} is not https: the browser will give this screen no camera`)
  }
  const policyDir = option('--policy-dir') ?? defaultPolicyDir
  try {
    await mkdir(policyDir, { recursive: true })
    await writeFile(path.join(policyDir, policyFileName), policyText)
    console.error(`camera allowed for ${plan.origin} by ${path.join(policyDir, policyFileName)}`)
  } catch (error) {
    console.error(
      `could not write the camera policy to ${policyDir} (${(error as Error).message}); run this once as root, ` +
        'or save the output of --print-policy there yourself. Until then the browser asks for the camera.',
    )
  }
  await mkdir(plan.profileDir, { recursive: true })
  const chromium = option('--chromium') ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
  const screen = superviseScreen({ plan, launch: (args) => spawn(chromium, args, { stdio: 'inherit' }) })
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => screen.stop())
  await screen.done
}

if (process.argv[1]?.endsWith('scripts/screen.ts')) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(error instanceof ScreenTargetError ? error.message : error)
    process.exit(error instanceof ScreenTargetError ? 2 : 1)
  })
}
