// `npm run screen`: Chromium's arguments and the camera policy for a station, the restart loop, and --print-policy.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { EventEmitter } from 'node:events'
import path from 'node:path'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { screenPlan, ScreenTargetError } from '../../scripts/screen-plan.ts'
import { superviseScreen, restartDelays } from '../../scripts/screen.ts'
import { makeTestApp } from '../helpers/app.ts'
import { issuePairingToken } from '../../server/stations.ts'
import { startChild, waitUntil } from '../helpers/runtime.ts'

const run = promisify(execFile)
// a pairing token's shape: header.payload.signature, the payload naming the station
const payload = Buffer.from(JSON.stringify({ station: 'tH_1re0VQ5Y', exp: 1 })).toString('base64url')
const pairingLink = `https://showroom.test:8443/pair/eyJhbGciOiJFUzI1NiJ9.${payload}.c2lnbmF0dXJl`

test('a pairing link: full screen app window on its own profile, camera allowed for that origin only', () => {
  const plan = screenPlan({ target: pairingLink, profileRoot: '/home/kiosk/.local/share/showroom-screen' })
  const args = plan.args(plan.url)
  for (const flag of [
    '--kiosk',
    `--app=${pairingLink}`,
    '--user-data-dir=/home/kiosk/.local/share/showroom-screen/showroom.test_8443',
    '--autoplay-policy=no-user-gesture-required',
    '--disable-session-crashed-bubble',
    '--hide-crash-restore-bubble',
    '--no-first-run',
  ]) {
    assert.ok(args.includes(flag), flag)
  }
  // never the blanket switches that grant every site the camera or skip certificate checks
  for (const banned of [
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    '--ignore-certificate-errors',
  ]) {
    assert.ok(!args.some((a) => a.startsWith(banned)), banned)
  }
  assert.deepEqual(plan.policy.VideoCaptureAllowedUrls, ['https://showroom.test:8443'])
  assert.equal(plan.policy.AudioCaptureAllowed, false)
  assert.equal(plan.policy.AutoplayAllowed, true)
  // the link works once: a restart opens the station's page
  assert.equal(plan.restartUrl, 'https://showroom.test:8443/station/tH_1re0VQ5Y')
})

test('a station URL is opened as it is, first and after a restart', () => {
  const plan = screenPlan({ target: 'https://10.0.0.5:8787/display/kHjlpXywDsg', profileRoot: '/p' })
  assert.equal(plan.restartUrl, 'https://10.0.0.5:8787/display/kHjlpXywDsg')
  assert.deepEqual(plan.policy.VideoCaptureAllowedUrls, ['https://10.0.0.5:8787'])
})

test('anything else is refused with what to give instead', () => {
  for (const target of [
    'showroom.test',
    'https://showroom.test/dashboard',
    'ftp://x/kiosk/abcd',
    'https://s.test/pair/abc',
  ]) {
    assert.throws(() => screenPlan({ target, profileRoot: '/p' }), ScreenTargetError, target)
  }
})

test('the browser is started again whenever it exits, on the station page, with a growing pause', async () => {
  const plan = screenPlan({ target: pairingLink, profileRoot: '/nonexistent-profile-root' })
  const launched: string[] = []
  const waits: number[] = []
  let screen: ReturnType<typeof superviseScreen>
  screen = superviseScreen({
    plan,
    launch: (args) => {
      launched.push(args.find((a) => a.startsWith('--app='))!)
      const child = Object.assign(new EventEmitter(), { kill: () => true })
      // it dies at once; after the third start the test stops the loop
      queueMicrotask(() => {
        if (launched.length === 3) screen.stop()
        child.emit('exit', 1)
      })
      return child as never
    },
    wait: async (ms) => void waits.push(ms),
    onExit: () => undefined,
  })
  await screen.done
  assert.deepEqual(launched, [
    `--app=${pairingLink}`,
    `--app=https://showroom.test:8443/station/tH_1re0VQ5Y`,
    `--app=https://showroom.test:8443/station/tH_1re0VQ5Y`,
  ])
  assert.deepEqual(waits, [restartDelays.firstMs, restartDelays.firstMs * 2])
})

test('--print-policy prints the managed policy and starts nothing', async () => {
  const { stdout } = await run(process.execPath, [
    '--import',
    'tsx',
    path.resolve('scripts/screen.ts'),
    'https://showroom.test:8443/kiosk/tH_1re0VQ5Y',
    '--print-policy',
  ])
  assert.deepEqual(JSON.parse(stdout).VideoCaptureAllowedUrls, ['https://showroom.test:8443'])
})

test('GET /station/:id opens the station page of its kind; unknown ids are 404', async () => {
  const t = await makeTestApp()
  for (const station of t.seeded!.stations) {
    const response = await t.app.request(`/station/${station.id}`)
    assert.equal(response.status, 302)
    assert.equal(response.headers.get('location'), `/${station.kind}/${station.id}`)
  }
  assert.equal((await t.app.request('/station/nope-nope')).status, 404)
  // and the restart URL a pairing link yields is that route
  const token = await issuePairingToken(t.deps, t.seeded!.stations[0]!.id)
  const plan = screenPlan({ target: `https://showroom.test/pair/${token}`, profileRoot: '/p' })
  assert.equal(plan.restartUrl, `https://showroom.test/station/${t.seeded!.stations[0]!.id}`)
})

test('npm run screen: writes the policy, starts the browser, starts it again when it exits, stops on SIGTERM', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'showroom-screen-'))
  try {
    // stands in for Chromium: records its arguments and exits at once, as a crashing browser would
    const fake = path.join(dir, 'chromium')
    await writeFile(fake, `#!/bin/sh\necho "$@" >> "${dir}/launches"\nexit 3\n`, { mode: 0o755 })
    const child = startChild(
      process.execPath,
      [
        ...['--import', 'tsx', 'scripts/screen.ts', pairingLink],
        ...[
          '--chromium',
          fake,
          '--policy-dir',
          path.join(dir, 'policies'),
          '--profile-root',
          path.join(dir, 'profiles'),
        ],
      ],
      { PATH: process.env.PATH, HOME: dir },
    )
    const launches = () => readFile(path.join(dir, 'launches'), 'utf8').catch(() => '')
    await waitUntil(async () => (await launches()).split('\n').filter(Boolean).length >= 2, {
      what: 'a second start after the browser exited',
      timeoutMs: 30_000,
    })
    child.process.kill('SIGTERM')
    assert.equal(await child.exited, 0)
    const [first, second] = (await launches()).split('\n')
    assert.ok(first!.includes(`--app=${pairingLink}`) && first!.includes('--kiosk'))
    assert.ok(second!.includes('--app=https://showroom.test:8443/station/tH_1re0VQ5Y'))
    const policy = JSON.parse(await readFile(path.join(dir, 'policies', 'showroom-screen.json'), 'utf8'))
    assert.deepEqual(policy.VideoCaptureAllowedUrls, ['https://showroom.test:8443'])
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})
