// Durability: SIGKILL the server during sustained check-ins; after restart every acknowledged visit is there, whole.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { request } from 'node:http'
import { createClient, type Client as SqlClient } from '@libsql/client'
import { startNodeServer } from '../helpers/runtime.ts'
import { loadOrCreateKeys, type Keys } from '../../server/keys.ts'
import {
  entranceStationOf,
  insertEntranceCodes,
  entryCookieFor,
  codeForCheckin,
  type EntranceStation,
} from '../helpers/entrance-codes.ts'

// how many kill-and-recover rounds; CI runs a couple, `DURABILITY_RUNS=10` for the 10-in-a-row check
const runs = Number(process.env.DURABILITY_RUNS ?? 2)
const workers = 8

// ── the write under load: one phone check-in, acknowledged (303 + visit pass) only after its commit ───────
type WriteContext = { base: string; keys: Keys; station: EntranceStation; codes: string[] }

// what every write of a round needs: a signed entrance QR of the office's entrance screen
async function prepareWrites(base: string, dataDir: string): Promise<WriteContext> {
  const { keys } = await loadOrCreateKeys({
    load: () => readFile(path.join(dataDir, 'keys.json'), 'utf8'),
    save: async () => assert.fail('the server made the keys'),
  })
  const db = createClient({ url: `file:${dataDir}/showroom.db` })
  const station = await entranceStationOf(db)
  // a round makes at most a few hundred writes; each code serves its cap of them
  const codes = await insertEntranceCodes(db, station, { count: 50 })
  db.close()
  return { base, keys, station, codes }
}

async function durableWrite(ctx: WriteContext, seq: number, round: number): Promise<string | null> {
  const url = new URL('/checkin', ctx.base)
  // check-ins are rate-limited per address: spread the load over loopback addresses like many phones
  const localAddress = `127.0.${1 + round}.${2 + (Math.floor(seq / 100) % 250)}`
  const phone = `139${String(round * 1_000_000 + seq).padStart(8, '0')}`
  const csrf = 'durabilitycsrf0000'
  const code = codeForCheckin(ctx.codes, seq)
  const body = new URLSearchParams({ t: code, phone, _csrf: csrf }).toString()
  // the phone opened the code on the entrance screen: the binding it was given comes with the form
  const entry = await entryCookieFor(ctx.keys, code, ctx.station)
  return new Promise((resolve) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress,
        agent: false,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(body),
          cookie: `sr_csrf=${csrf}; ${entry}`,
        },
      },
      (res) => {
        res.resume()
        const pass = /sr_visit=([^;]+)/.exec(String(res.headers['set-cookie'] ?? ''))?.[1]
        res.on('end', () => resolve(res.statusCode === 303 && pass ? visitIdOf(pass) : null))
        res.on('error', () => resolve(null))
      },
    )
    req.on('error', () => resolve(null))
    req.end(body)
  })
}

const visitIdOf = (pass: string) =>
  String(JSON.parse(Buffer.from(pass.split('.')[1]!, 'base64url').toString()).visit)

type StoredRow = { id: string; whole: boolean }
async function storedWrites(db: SqlClient, since: number): Promise<StoredRow[]> {
  const result = await db.execute({
    sql: `SELECT visits.id, visits.day, visits.first_visit, visitors.id AS visitor, visitors.phone_hash, visitors.phone_masked, visitors.phone_encrypted
          FROM visits LEFT JOIN visitors ON visitors.id = visits.visitor_id WHERE visits.checked_in_at >= ?`,
    args: [since],
  })
  return result.rows.map((row) => ({
    id: String(row.id),
    // a visit is whole with its day, its visitor, and the visitor's keyed phone hash and mask
    whole: Boolean(
      row.day &&
      row.visitor &&
      row.phone_hash &&
      row.phone_encrypted &&
      /\*{4}/.test(String(row.phone_masked)),
    ),
  }))
}
// ─────────────────────────────────────────────────────────────────────────────────────────────────────────

function isJson(text: string) {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

type Server = Awaited<ReturnType<typeof startNodeServer>>

// load → SIGKILL → restart on the same data dir → check; returns the restarted server for the next round
async function killDuringLoad(server: Server, dataDir: string, env: Record<string, string>, round: number) {
  const since = Date.now()
  const ctx = await prepareWrites(server.base, dataDir)
  const acknowledged: string[] = []
  // kill somewhere between 30 and 90 acknowledged writes, with requests in flight
  const killAt = 30 + ((round * 37) % 60)
  let seq = 0
  let killed = false
  // bounded: a server that acknowledges nothing fails the round instead of looping forever
  const deadline = Date.now() + 30_000
  const worker = async () => {
    while (!killed) {
      if (Date.now() > deadline) {
        killed = true
        server.process.kill('SIGKILL')
        assert.fail(`round ${round}: only ${acknowledged.length} acknowledged of ${seq} sent`)
      }
      const id = await durableWrite(ctx, seq++, round)
      if (id) acknowledged.push(id)
      if (!killed && acknowledged.length >= killAt) {
        killed = true
        server.process.kill('SIGKILL')
      }
    }
  }
  await Promise.all(Array.from({ length: workers }, worker))
  await server.exited
  const sent = seq

  const restarted = await startNodeServer(env)
  assert.equal((await fetch(`${restarted.base}/readyz`)).status, 200, 'ready after a crash')
  const db = createClient({ url: `file:${dataDir}/showroom.db` })
  try {
    const integrity = await db.execute('PRAGMA integrity_check')
    assert.equal(integrity.rows[0]![0], 'ok')
    const rows = await storedWrites(db, since)
    const stored = new Set(rows.map((r) => r.id))
    const lost = acknowledged.filter((id) => !stored.has(id))
    assert.deepEqual(lost, [], `round ${round}: acknowledged but lost`)
    assert.deepEqual(
      rows.filter((r) => !r.whole),
      [],
      'no row half-written',
    )
    assert.ok(rows.length <= sent, 'no row appears that was never sent')
    return { restarted, result: { acknowledged: acknowledged.length, stored: rows.length, sent } }
  } catch (error) {
    // a failed round must not leave its server running
    await restarted.stop()
    throw error
  } finally {
    db.close()
  }
}

test(`SIGKILL during sustained check-ins loses no acknowledged visit (${runs} round${runs === 1 ? '' : 's'})`, async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'showroom-durability-'))
  const env = { DATA_DIR: dataDir, SHOWROOM_DEMO: '1', SHOWROOM_ADMIN_PASSWORD: 'durability-admin-pw' }
  let server = await startNodeServer(env)
  try {
    for (let round = 1; round <= runs; round++) {
      const { restarted, result } = await killDuringLoad(server, dataDir, env, round)
      server = restarted
      assert.ok(result.acknowledged > 0)
      // printed so the 10-in-a-row run can be reported
      console.log(JSON.stringify({ msg: 'durability round', round, ...result }))
    }
  } finally {
    await server.stop()
    await rm(dataDir, { recursive: true, force: true })
  }
})
