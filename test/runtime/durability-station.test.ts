// Durability of station events: SIGKILL the server while a screen streams session events; after restart every
// acknowledged event is stored, and the screen's resend of everything it sent stores nothing twice.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import WebSocket from 'ws'
import { eq } from 'drizzle-orm'
import { startNodeServer, pairOverHttp } from '../helpers/runtime.ts'
import { loadOrCreateKeys } from '../../server/keys.ts'
import { openDatabase } from '../../models/db.ts'
import { stations } from '../../models/offices.ts'
import { currentNotice, grantConsent } from '../../models/consents.ts'
import { stationSocketPath } from '../../server/station-protocol.ts'

const runs = Number(process.env.DURABILITY_RUNS ?? 2)
const perBatch = 10
// a minute's allowance for one station is 600 events: the whole round stays inside it
const eventsPerRound = 400

type Event = Record<string, unknown> & { id: string; at: number }

// one session: started, then cumulative ticks a second apart (dwell = k seconds)
function sessionEvents(round: number, consent: string, startAt: number): Event[] {
  const session = `dur-session-${round}`
  return Array.from({ length: eventsPerRound }, (_, k) => {
    const id = `dur-${round}-${String(k).padStart(4, '0')}`
    const at = startAt + k * 1000
    return k === 0
      ? { type: 'event', id, kind: 'session.start', session, consent, at }
      : {
          type: 'event',
          id,
          kind: 'session.tick',
          session,
          at,
          dwellMs: k * 1000,
          attentionMs: k * 500,
          framesAnalysed: k * 10,
          framesDropped: 0,
        }
  })
}

// a station socket that has said hello; collects acks and drops by event id
async function connectStation(base: string, token: string) {
  const ws = new WebSocket(base.replace('http', 'ws') + stationSocketPath)
  const acked = new Set<string>()
  const dropped = new Map<string, string>()
  const listeners = new Set<() => void>()
  await new Promise<void>((resolve, reject) => {
    ws.once('error', reject)
    ws.once('open', () => ws.send(JSON.stringify({ type: 'hello', token })))
    ws.on('message', (data) => {
      const message = JSON.parse(String(data))
      if (message.type === 'welcome') resolve()
      else if (message.type === 'ack') for (const id of message.ids) acked.add(id)
      else if (message.type === 'drop') dropped.set(message.id, message.reason)
      else if (message.type === 'error') reject(new Error(message.code))
      for (const notify of listeners) notify()
    })
  })
  ws.on('error', () => undefined)
  const settled = (ids: string[]) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (ids.every((id) => acked.has(id) || dropped.has(id))) {
          listeners.delete(check)
          resolve()
        }
      }
      listeners.add(check)
      check()
    })
  return { ws, acked, dropped, listeners, settled }
}

test(`SIGKILL while a screen streams events loses no acknowledged event, and the resend stores nothing twice (${runs} round${runs === 1 ? '' : 's'})`, async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'showroom-durability-events-'))
  const env = { DATA_DIR: dataDir, SHOWROOM_DEMO: '1', SHOWROOM_ADMIN_PASSWORD: 'durability-admin-pw' }
  let server = await startNodeServer(env)
  try {
    const { keys } = await loadOrCreateKeys({
      load: () => readFile(path.join(dataDir, 'keys.json'), 'utf8'),
      save: async () => assert.fail('the server made the keys'),
    })
    for (let round = 1; round <= runs; round++) {
      // a display screen paired over HTTP, and one visitor's camera consent
      const database = await openDatabase({ url: `file:${dataDir}/showroom.db` })
      const [display] = await database.db.select().from(stations).where(eq(stations.kind, 'display'))
      const notice = (await currentNotice(database.db, display!.officeId, 'zh-CN'))!
      const consent = await database.write((tx) =>
        grantConsent({
          tx,
          input: { officeId: display!.officeId, visitId: null, noticeId: notice.id, givenAt: display!.id },
          now: Date.now(),
        }),
      )
      database.close()
      const token = await pairOverHttp(server.base, keys, display!.id, display!.pairingGeneration)
      const events = sessionEvents(round, consent.id, Date.now() - 10 * 60_000)

      // stream batches, a few in flight, and kill the server once enough are acknowledged
      const station = await connectStation(server.base, token)
      const killAt = 60 + ((round * 53) % 150)
      const sent: Event[] = []
      let killed = false
      const kill = () => {
        if (killed) return
        killed = true
        server.process.kill('SIGKILL')
      }
      station.listeners.add(() => {
        if (station.acked.size >= killAt) kill()
      })
      for (let i = 0; i < events.length && !killed; i += perBatch) {
        const batch = events.slice(i, i + perBatch)
        sent.push(...batch)
        station.ws.send(JSON.stringify({ type: 'events', events: batch }))
        // at most three batches unanswered, like the screen's outbox
        if (sent.length >= 3 * perBatch) {
          const settled = station.settled(sent.slice(0, -2 * perBatch).map((e) => e.id))
          await Promise.race([settled, server.exited])
        }
      }
      kill()
      await server.exited
      const acknowledged = [...station.acked]
      assert.ok(acknowledged.length >= killAt, `round ${round}: ${acknowledged.length} acknowledged`)
      assert.deepEqual([...station.dropped.values()], [], 'nothing dropped before the kill')

      // after restart: every acknowledged event is there and the session's numbers are one whole event's
      server = await startNodeServer(env)
      const db = await openDatabase({ url: `file:${dataDir}/showroom.db` })
      const storedIds = async () =>
        new Set(
          (
            await db.client.execute({
              sql: 'SELECT id FROM station_events WHERE id LIKE ?',
              args: [`dur-${round}-%`],
            })
          ).rows.map((row) => String(row.id)),
        )
      const sessionRow = async () =>
        (
          await db.client.execute({
            sql: 'SELECT dwell_ms, attention_ms, frames_analysed, last_event_at FROM camera_sessions WHERE id = ?',
            args: [`dur-session-${round}`],
          })
        ).rows[0]!
      try {
        assert.equal((await db.client.execute('PRAGMA integrity_check')).rows[0]![0], 'ok')
        const stored = await storedIds()
        assert.deepEqual(
          acknowledged.filter((id) => !stored.has(id)),
          [],
          `round ${round}: acknowledged but lost`,
        )
        const afterCrash = await sessionRow()
        const k = (Number(afterCrash.last_event_at) - events[0]!.at) / 1000
        assert.ok(stored.has(events[k]!.id), 'the stored totals belong to a stored event')
        assert.deepEqual(
          [afterCrash.dwell_ms, afterCrash.attention_ms, afterCrash.frames_analysed].map(Number),
          [k * 1000, k * 500, k * 10],
          'no half-written session',
        )

        // the screen reconnects and resends everything it sent: acked or dropped as duplicates, never twice
        const again = await connectStation(server.base, token)
        for (let i = 0; i < sent.length; i += perBatch)
          again.ws.send(JSON.stringify({ type: 'events', events: sent.slice(i, i + perBatch) }))
        await again.settled(sent.map((e) => e.id))
        again.ws.close()
        for (const id of stored)
          assert.equal(again.dropped.get(id), 'duplicate', `${id} is not applied twice`)
        const final = await storedIds()
        assert.equal(final.size, sent.length, 'every sent event stored exactly once')
        const last = sent.length - 1
        assert.deepEqual(
          [(await sessionRow()).dwell_ms].map(Number),
          [last * 1000],
          "the session holds the last event's totals",
        )
        console.log(
          JSON.stringify({
            msg: 'station durability round',
            round,
            acknowledged: acknowledged.length,
            storedAtCrash: stored.size,
            sent: sent.length,
          }),
        )
      } finally {
        db.close()
      }
    }
  } finally {
    await server.stop()
    await rm(dataDir, { recursive: true, force: true })
  }
})
