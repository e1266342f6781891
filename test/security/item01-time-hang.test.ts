// Item 1 of the security review: date/time helpers that never returned, unbounded and malformed periods.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { makeTestApp, Client } from '../helpers/app.ts'

const properties = fileURLToPath(new URL('./item01-time-properties.ts', import.meta.url))

test('item 1: every date/time helper returns for any day of years 1–9999 in every time zone Intl lists', async () => {
  // in a child process: a helper that loops forever is killed at the deadline and fails the test
  const outcome = await new Promise<{ code: number | null; signal: string | null; out: string }>(
    (resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', properties, '10000'],
        { timeout: 180_000, killSignal: 'SIGKILL' },
        (error, stdout, stderr) =>
          resolve({
            code: error ? ((error as { code?: number }).code ?? 1) : 0,
            signal: (error as { signal?: string } | null)?.signal ?? null,
            out: stdout + stderr,
          }),
      )
    },
  )
  assert.equal(outcome.signal, null, 'a date/time helper did not return within 3 minutes')
  assert.equal(outcome.code, 0, outcome.out)
  assert.match(outcome.out, /properties held/)
})

async function manager() {
  const t = await makeTestApp()
  const client = new Client(t.app)
  await client.login('manager', t.passwordOf('manager'))
  return { t, client }
}

test('item 1: GET /rules/commission?from=1900-12-31 is refused as a runaway period and the app keeps answering', async () => {
  const { client } = await manager()
  for (const path of ['/rules/commission?from=1900-12-31', '/rules/commission.csv?from=1900-12-31']) {
    const res = await client.get(path)
    assert.equal(res.status, 400, path)
    assert.match(await res.text(), /400/)
  }
  // a whole-day range in that era, short enough to be allowed, still answers
  const old = await client.get('/rules/commission?from=1900-12-01&to=1900-12-31')
  assert.equal(old.status, 200)
  const res = await client.get('/rules/commission?from=2020-01-01&to=2026-11-30')
  assert.equal(res.status, 400, 'longer than the reports allow')
  assert.equal((await client.get('/rules/commission?from=2026-01-01&to=2026-11-30')).status, 200)
  assert.equal((await client.get('/rules/commission?from=2026-11-30&to=2026-11-01')).status, 400, 'reversed')
})

test('item 1: a malformed date (2026-00-00) gets 400, not 500, on every route that takes a day', async () => {
  const { t, client } = await manager()
  const privacy = new Client(t.app)
  await privacy.login('privacy', t.passwordOf('privacy'))
  const admin = new Client(t.app)
  await admin.login('admin', t.passwordOf('admin'))
  const marketing = new Client(t.app)
  await marketing.login('marketing', t.passwordOf('marketing'))
  for (const bad of ['2026-00-00', '2026-02-30', '2026-13-01', '0000-00-00', '99999-01-01']) {
    const q = encodeURIComponent(bad)
    const cases: [Client, string][] = [
      [client, `/rules/commission?from=${q}`],
      [client, `/rules/commission?to=${q}`],
      [client, `/rules/commission.csv?from=2026-11-01&to=${q}`],
      [privacy, `/privacy/audit?from=${q}`],
      [privacy, `/privacy/audit?to=${q}`],
      [privacy, `/privacy/audit/export.csv?from=${q}`],
      [marketing, `/reports?preset=custom&from=${q}&to=2026-11-30`],
      [admin, `/admin/developer-report?preset=custom&from=2026-11-01&to=${q}`],
    ]
    for (const [who, path] of cases) {
      const res = await who.get(path)
      assert.equal(res.status, 400, `${path}: ${res.status}`)
    }
  }
})
