// Security issue item 18: first-start passwords and 24-hour pairing links must not reach a service manager's journal.
// Under a service stdout is not a terminal: they go to DATA_DIR/first-start.txt (0600) and only its path is printed.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm, readFile, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { startNodeServer, signIn } from '../helpers/runtime.ts'

async function withServer(
  env: Record<string, string>,
  work: (s: { dataDir: string; output: string; base: string }) => Promise<void>,
) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'showroom-first-start-'))
  const server = await startNodeServer({ DATA_DIR: dataDir, ...env })
  try {
    await work({ dataDir, output: server.output.join('\n'), base: server.base })
  } finally {
    await server.stop()
    await rm(dataDir, { recursive: true, force: true })
  }
}

function startedLine(output: string) {
  return output
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .find((entry) => entry.msg === 'started')
}

test('18. demo passwords and pairing links go to stdout: with the demo off and stdout not a terminal, they are in DATA_DIR/first-start.txt (0600) and only its path is printed', async () => {
  await withServer({ SHOWROOM_DEMO: '0' }, async ({ dataDir, output, base }) => {
    const file = path.join(dataDir, 'first-start.txt')
    assert.equal((await stat(file)).mode & 0o777, 0o600)
    const text = await readFile(file, 'utf8')
    const [, password] = /First admin login: admin \/ (\S+)/.exec(text) ?? []
    assert.ok(password, text)
    assert.ok(!output.includes(password!), 'the admin password is not on stdout')
    assert.equal(startedLine(output)?.firstStartFile, path.resolve(file), 'stdout names the file')
    assert.equal(
      (await signIn(base, 'admin', password!)).status,
      303,
      'the password in the file is the real one',
    )
  })
})

test('18. with the demo on and stdout not a terminal, the demo passwords and pairing links are in the file, not on stdout', async () => {
  await withServer({ SHOWROOM_DEMO: '1' }, async ({ dataDir, output }) => {
    const text = await readFile(path.join(dataDir, 'first-start.txt'), 'utf8')
    const secrets = [
      ...text.matchAll(/login: \S+ \/ (\S+)/g),
      ...text.matchAll(/\(link valid 24 h\): (\S+)/g),
    ].map((m) => m[1]!)
    assert.ok(secrets.length >= 8, `passwords and pairing links are in the file:\n${text}`)
    for (const secret of secrets) assert.ok(!output.includes(secret), `not on stdout: ${secret}`)
    assert.doesNotMatch(output, /\/pair\//)
  })
})

test('logs: under a service every line on stdout and stderr is JSON with `at` and `level`, the banner included', async () => {
  await withServer(
    { SHOWROOM_DEMO: '1', SHOWROOM_ADMIN_PASSWORD: 'json-lines-admin-pw' },
    async ({ output }) => {
      for (const line of output.split('\n')) {
        const entry = JSON.parse(line) as Record<string, unknown>
        assert.match(String(entry.at), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, line)
        assert.ok(['info', 'warn', 'error'].includes(String(entry.level)), line)
      }
      const started = startedLine(output)!
      assert.equal((started.screens as unknown[]).length, 4, 'the banner’s facts, as one JSON line')
    },
  )
})
