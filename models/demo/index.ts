// The demo office brought to life at first start: more consultants and brokers, duty, two months of history, roll-ups.
import { and, eq } from 'drizzle-orm'
import type { Database, Tx } from '../db.ts'
import type { PhoneKeys } from '../phone.ts'
import type { SeedResult } from '../seed.ts'
import { offices, stations } from '../offices.ts'
import { staff, brokers, createStaff, createBroker } from '../staff.ts'
import { currentNotice } from '../consents.ts'
import { visitors } from '../visits.ts'
import { changeDuty } from '../reception.ts'
import { createDataRequest, completeDataRequest } from '../data-requests.ts'
import { recordDataRequest, deleteVisitorData } from '../privacy.ts'
import { rollupDays, setRolledThrough, firstActivityDay } from '../rollups.ts'
import { purgeExpired } from '../retention.ts'
import { generatePassword } from '../passwords.ts'
import { appendAudit } from '../audit.ts'
import { localDay, startOfLocalDay } from '../time.ts'
import { addDays } from '../report-period.ts'
import { seededRandom, type Random } from './random.ts'
import { agencies, distinctNames } from './names.ts'
import { replayHistory, type DemoCast, type HistoryCounts } from './history.ts'

export const defaultDemoSeed = 'showroom-demo-1'

export type DemoLife = HistoryCounts & { officeId: string; purgeRuns: number }

// seeds the life of the demo office `seeded` made; only ever right after seedFirstStart created it
export async function seedDemoLife({
  database,
  seeded,
  phoneKeys,
  now,
  seed = defaultDemoSeed,
  days,
}: {
  database: Database
  seeded: SeedResult
  phoneKeys: PhoneKeys
  now: number
  seed?: string
  // days of history (default eight weeks); tests use fewer
  days?: number
}): Promise<DemoLife> {
  const random = seededRandom(seed)
  const { officeId } = seeded
  // one long transaction: a page cache large enough for it keeps SQLite from spilling to the WAL midway
  if (database.url.startsWith('file:')) await database.client.execute('PRAGMA cache_size = -65536')
  const life = await database.write(async (tx) => {
    const [office] = await tx.select().from(offices).where(eq(offices.id, officeId))
    if (!office?.demo) throw new Error('not a demo office')
    const cast = await castOf(tx, random, office, now)
    const counts = await replayHistory({ tx, cast, random, phoneKeys, now, days })
    await answerDataRequests(tx, officeId, now)
    // roll-ups of every finished day, as the nightly job would have made them: reports answer at once
    const yesterday = addDays(localDay(now, office.timeZone), -1)
    const first = await firstActivityDay(tx, officeId)
    if (first && first <= yesterday) {
      await rollupDays({ tx, officeId, from: first, to: yesterday })
      await setRolledThrough({ tx, officeId, day: yesterday })
    }
    await appendAudit(tx, {
      at: now,
      officeId,
      actorType: 'system',
      action: 'seed.demo-history',
      target: officeId,
      detail: { seed, ...counts },
    })
    return { ...counts, timeZone: office.timeZone }
  })
  if (database.url.startsWith('file:')) await database.client.execute('PRAGMA cache_size = -2000')
  // the nightly retention purge of the last few nights, so the privacy console has runs to show
  const today = localDay(now, life.timeZone)
  let purgeRuns = 0
  for (const ago of [2, 1]) {
    const at = startOfLocalDay(addDays(today, -ago + 1), life.timeZone) + 3 * 3600_000
    if (at > now) continue
    await purgeExpired({ database, now: at, trigger: 'schedule' })
    purgeRuns++
  }
  const { timeZone: _, ...counts } = life
  return { ...counts, officeId, purgeRuns }
}

// who takes part: the seeded accounts plus more consultants (on duty) and brokers of several agencies
async function castOf(
  tx: Tx,
  random: Random,
  office: typeof offices.$inferSelect,
  now: number,
): Promise<DemoCast> {
  const officeId = office.id
  const members = await tx.select().from(staff).where(eq(staff.officeId, officeId))
  const taken = members.map((m) => m.displayName.slice(0, 1))
  const extra = distinctNames(random, 3 + 6, taken)
  // the accounts' password hashes (scrypt) run side by side: they are most of this step's time
  await Promise.all([
    ...extra.slice(0, 3).map((name, i) =>
      createStaff({
        tx,
        input: {
          officeId,
          username: `consultant${i + 1}`,
          displayName: `${name.zh} ${name.en}`,
          role: 'sales',
          password: generatePassword(),
        },
        now,
      }),
    ),
    ...extra.slice(3).map((name, i) => {
      const [zh, en] = agencies[(i + 2) % agencies.length]!
      return createBroker({
        tx,
        input: {
          officeId,
          username: `agent${i + 1}`,
          displayName: `${name.zh} ${name.en}`,
          company: `${zh} ${en}`,
          password: generatePassword(),
        },
        now,
      })
    }),
  ])
  const consultants = await tx
    .select({ id: staff.id })
    .from(staff)
    .where(and(eq(staff.officeId, officeId), eq(staff.role, 'sales')))
    .orderBy(staff.createdAt, staff.username)
  for (const { id } of consultants) {
    await changeDuty({ tx, officeId, input: { staffId: id, action: 'on' }, now })
  }
  const [manager] = await tx
    .select({ id: staff.id })
    .from(staff)
    .where(and(eq(staff.officeId, officeId), eq(staff.role, 'manager')))
  const brokerRows = await tx
    .select({ id: brokers.id })
    .from(brokers)
    .where(eq(brokers.officeId, officeId))
    .orderBy(brokers.createdAt, brokers.username)
  const screens = await tx.select().from(stations).where(eq(stations.officeId, officeId))
  const station = (kind: string) => screens.find((s) => s.kind === kind)!.id
  const noticeOf = async (lang: 'zh-CN' | 'en') => (await currentNotice(tx, officeId, lang))!.id
  return {
    officeId,
    timeZone: office.timeZone,
    entranceId: station('entrance'),
    kioskId: station('kiosk'),
    zoneStationIds: screens.filter((s) => s.kind === 'display').map((s) => s.id),
    noticeIds: { zh: await noticeOf('zh-CN'), en: await noticeOf('en') },
    consultantIds: consultants.map((c) => c.id),
    managerId: manager!.id,
    // the seeded brokers bring the most clients; some agents only a few
    brokers: brokerRows.map((b, i) => ({ id: b.id, weight: i < 2 ? 4 : 1 + (i % 3) })),
  }
}

// data-subject requests the privacy officer has handled: an access request answered, a deletion done, one open
async function answerDataRequests(tx: Tx, officeId: string, now: number) {
  const [privacy] = await tx
    .select({ id: staff.id })
    .from(staff)
    .where(and(eq(staff.officeId, officeId), eq(staff.role, 'privacy')))
  const people = await tx
    .select({ id: visitors.id })
    .from(visitors)
    .where(eq(visitors.officeId, officeId))
    .orderBy(visitors.createdAt)
    .limit(3)
  if (people.length < 3) return
  const [asked, deleted, open] = people as [{ id: string }, { id: string }, { id: string }]
  const access = await createDataRequest({
    tx,
    input: { officeId, visitorId: asked.id, kind: 'access', via: 'officer', handledBy: privacy?.id ?? null },
    now: now - 9 * 86400_000,
  })
  await completeDataRequest({
    tx,
    input: { requestId: access, officeId, outcome: 'done', handledBy: privacy?.id ?? null },
    now: now - 8 * 86400_000,
  })
  await deleteVisitorData({ tx, visitorId: deleted.id, now: now - 5 * 86400_000 })
  await recordDataRequest({
    tx,
    input: { officeId, visitorId: null, kind: 'delete', via: 'self', done: true },
    now: now - 5 * 86400_000,
  })
  await createDataRequest({
    tx,
    input: { officeId, visitorId: open.id, kind: 'access', via: 'officer', handledBy: null },
    now: now - 86400_000,
  })
}
