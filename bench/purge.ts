// Benchmark: how long the retention purge holds the write lock when a large batch expires at once (file DB).
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { openDatabase, migrateDatabase } from '../models/db.ts'
import { seedFirstStart } from '../models/seed.ts'
import { ephemeralKeys } from '../server/keys.ts'
import { visitors, visits } from '../models/visits.ts'
import { consents, cameraSessions, currentNotice } from '../models/consents.ts'
import { stations } from '../models/offices.ts'
import { protectPhone } from '../models/phone.ts'
import { purgeExpired } from '../models/retention.ts'

const visitorCount = Number(process.env.BENCH_VISITORS ?? 10_000)
const sessionsPerVisit = 3
// target: an hourly purge of a (very) busy office's whole month must not stall check-ins for long
const targetMs = 3000

const dir = await mkdtemp(path.join(tmpdir(), 'showroom-bench-'))
const file = path.join(dir, 'showroom.db')
const database = await openDatabase({ url: `file:${file}` })
try {
  await migrateDatabase(database)
  const seeded = (await seedFirstStart({ database, adminPassword: 'bench-password', demo: true, now: 0 }))!
  const officeId = seeded.officeId
  const keys = await ephemeralKeys()
  const notice = (await currentNotice(database.db, officeId, 'zh-CN'))!
  const [station] = await database.db.select().from(stations)
  const then = Date.parse('2025-01-01T02:00:00Z')
  const batch = 500
  for (let start = 0; start < visitorCount; start += batch) {
    await database.write(async (tx) => {
      for (let i = start; i < Math.min(start + batch, visitorCount); i++) {
        const id = `v${i}`
        const phone = await protectPhone(keys.phone, `138${String(i).padStart(8, '0')}`)
        await tx.insert(visitors).values({ id, officeId, ...phone, createdAt: then })
        await tx.insert(visits).values({
          id: `visit${i}`,
          officeId,
          visitorId: id,
          day: '2025-01-01',
          checkedInAt: then,
          firstVisit: true,
        })
        await tx.insert(consents).values({
          id: `c${i}`,
          officeId,
          visitId: `visit${i}`,
          noticeId: notice.id,
          noticeSha256: notice.sha256,
          grantedAt: then,
        })
        for (let s = 0; s < sessionsPerVisit; s++) {
          await tx.insert(cameraSessions).values({
            id: `s${i}-${s}`,
            officeId,
            stationId: station!.id,
            consentId: `c${i}`,
            visitId: `visit${i}`,
            startedAt: then,
            lastEventAt: then,
            dwellMs: 1000,
          })
        }
      }
    })
  }
  const before = (await stat(file)).size
  const started = performance.now()
  const run = await purgeExpired({
    database,
    now: then + 4 * 365 * 86400_000,
    trigger: 'manual',
    clock: () => performance.now(),
  })
  const totalMs = performance.now() - started
  const after = (await stat(file)).size
  console.log(
    `purge of ${visitorCount} visitors, ${visitorCount * sessionsPerVisit} camera sessions, ${visitorCount} consents`,
  )
  console.log(`  deleted: ${JSON.stringify(run.deleted)}`)
  console.log(
    `  purge run (delete + incremental vacuum + WAL truncate): ${run.durationMs} ms (target < ${targetMs} ms)`,
  )
  console.log(`  including recording the run: ${Math.round(totalMs)} ms`)
  console.log(`  database file: ${(before / 1e6).toFixed(1)} MB → ${(after / 1e6).toFixed(1)} MB`)
  console.log(totalMs < targetMs ? '  OK' : '  SLOWER THAN TARGET')
} finally {
  database.close()
  await rm(dir, { recursive: true, force: true })
}
