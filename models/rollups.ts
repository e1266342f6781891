// Anonymous daily roll-ups: per office, day, hour, channel and zone. No ids of people; survive retention purges.
import { sqliteTable, text, integer, primaryKey, index } from 'drizzle-orm/sqlite-core'
import { and, between, eq, inArray, min, sql } from 'drizzle-orm'
import { z } from 'zod'
import { offices } from './offices.ts'
import type { Database, Db, Tx } from './db.ts'
import { aggregateDays, dwellBucketLimitsMs } from './rollup-aggregate.ts'
import { addDays, eachDay, isCalendarDay, localDayHour } from './report-period.ts'
import { consents } from './consents.ts'
import { visits } from './visits.ts'

export { aggregateDays, dwellBucketLimitsMs, type RollupRow } from './rollup-aggregate.ts'

export const dailyRollups = sqliteTable(
  'daily_rollups',
  {
    officeId: text()
      .notNull()
      .references(() => offices.id),
    day: text().notNull(),
    // local hour of day 0–23 (no finer time is ever kept here)
    hour: integer().notNull(),
    // 'walk-in', 'broker:<brokerId>', or 'unattributed' (a kiosk session of someone who did not check in)
    channel: text().notNull(),
    // '' for visit counts, a zone name for camera engagement
    zone: text().notNull().default(''),
    // zone rows: people (distinct consents) with a session in the zone in that hour
    visits: integer().notNull().default(0),
    firstVisits: integer().notNull().default(0),
    returns: integer().notNull().default(0),
    consented: integer().notNull().default(0),
    disputed: integer().notNull().default(0),
    // conversion steps: visits that reached a consultant, and visits with a follow-up note
    assigned: integer().notNull().default(0),
    followedUp: integer().notNull().default(0),
    sessions: integer().notNull().default(0),
    dwellMsSum: integer().notNull().default(0),
    attentionMsSum: integer().notNull().default(0),
    // histogram of session dwell (buckets: dwellBucketLimitsMs, <5 s … ≥10 min), for medians without keeping
    // sessions; plain columns so that reports sum them in SQL
    dwellB0: integer().notNull().default(0),
    dwellB1: integer().notNull().default(0),
    dwellB2: integer().notNull().default(0),
    dwellB3: integer().notNull().default(0),
    dwellB4: integer().notNull().default(0),
    dwellB5: integer().notNull().default(0),
    dwellB6: integer().notNull().default(0),
    dwellB7: integer().notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.officeId, t.day, t.hour, t.channel, t.zone] }),
    // serves: cross-office reports over a day range
    index('daily_rollups_day_idx').on(t.day),
  ],
)

// the last local day whose roll-ups are complete, per office: reports read roll-ups up to it, live data after it
export const rollupWatermarks = sqliteTable('rollup_watermarks', {
  officeId: text()
    .primaryKey()
    .references(() => offices.id),
  rolledThrough: text().notNull(),
})

const rollupInput = z
  .object({
    officeId: z.string().min(1),
    from: z.string().refine(isCalendarDay, 'not a calendar day'),
    to: z.string().refine(isCalendarDay, 'not a calendar day'),
  })
  .refine((v) => v.from <= v.to, 'from must not be after to')

// Recomputes the roll-ups of [from, to] from visits, sessions and referrals; running it twice changes nothing.
// A day whose source rows of one kind (visits or sessions) are gone keeps its roll-ups of that kind: retention
// deletes personal data, the anonymous counts are what must survive it.
export async function rollupDays({
  tx,
  officeId,
  from,
  to,
  forgetZones = false,
}: {
  tx: Tx
  officeId: string
  from: string
  to: string
  // after a consent withdrawal: zone rows are rebuilt from the sessions left, even where none are left
  forgetZones?: boolean
}): Promise<{ rows: number }> {
  const input = rollupInput.parse({ officeId, from, to })
  const rows = await aggregateDays(tx, input)
  const inRange = and(
    eq(dailyRollups.officeId, input.officeId),
    between(dailyRollups.day, input.from, input.to),
  )
  const existing = await tx
    .selectDistinct({ day: dailyRollups.day })
    .from(dailyRollups)
    .where(and(inRange, eq(dailyRollups.zone, '')))
  const rolledVisitDays = new Set(existing.map((r) => r.day))
  // visit rows are replaced on days that still have visits, or that were never rolled up
  const visitDays = new Set(
    rows.filter((r) => r.zone === '' && (r.visits > 0 || !rolledVisitDays.has(r.day))).map((r) => r.day),
  )
  const zoneDays = new Set(
    forgetZones ? [...eachDay(input.from, input.to)] : rows.filter((r) => r.zone !== '').map((r) => r.day),
  )
  if (visitDays.size) {
    await tx
      .delete(dailyRollups)
      .where(and(inRange, eq(dailyRollups.zone, ''), inArray(dailyRollups.day, [...visitDays])))
  }
  if (zoneDays.size) {
    await tx
      .delete(dailyRollups)
      .where(and(inRange, sql`${dailyRollups.zone} <> ''`, inArray(dailyRollups.day, [...zoneDays])))
  }
  const fresh = rows.filter((r) => (r.zone === '' ? visitDays : zoneDays).has(r.day))
  // one JSON parameter per batch, unpacked by SQLite: building 17 bound values a row costs more than the insert
  for (let i = 0; i < fresh.length; i += 2000) {
    const batch = fresh
      .slice(i, i + 2000)
      .map((r) => [
        r.day,
        r.hour,
        r.channel,
        r.zone,
        r.visits,
        r.firstVisits,
        r.returns,
        r.consented,
        r.disputed,
        r.assigned,
        r.followedUp,
        r.sessions,
        r.dwellMsSum,
        r.attentionMsSum,
        ...(r.dwellBuckets.length ? r.dwellBuckets : dwellBucketLimitsMs.map(() => 0)),
      ])
    await tx.run(sql`
      INSERT INTO daily_rollups (office_id, day, hour, channel, zone, visits, first_visits, returns, consented,
        disputed, assigned, followed_up, sessions, dwell_ms_sum, attention_ms_sum,
        dwell_b_0, dwell_b_1, dwell_b_2, dwell_b_3, dwell_b_4, dwell_b_5, dwell_b_6, dwell_b_7)
      SELECT ${input.officeId}, ${sql.raw(Array.from({ length: 22 }, (_, i) => `value ->> ${i}`).join(', '))}
      FROM json_each(${JSON.stringify(batch)})`)
  }
  return { rows: fresh.length }
}

export async function rolledThrough(db: Db | Tx, officeId: string): Promise<string | null> {
  const [row] = await db
    .select({ day: rollupWatermarks.rolledThrough })
    .from(rollupWatermarks)
    .where(eq(rollupWatermarks.officeId, officeId))
  return row?.day ?? null
}

export async function setRolledThrough({ tx, officeId, day }: { tx: Tx; officeId: string; day: string }) {
  if (!isCalendarDay(day)) throw new Error('not a calendar day')
  await tx
    .insert(rollupWatermarks)
    .values({ officeId, rolledThrough: day })
    .onConflictDoUpdate({ target: rollupWatermarks.officeId, set: { rolledThrough: day } })
}

// the first day with any visit of an office (where a first roll-up starts)
export async function firstActivityDay(db: Db | Tx, officeId: string): Promise<string | null> {
  const [row] = await db
    .select({ day: min(visits.day) })
    .from(visits)
    .where(eq(visits.officeId, officeId))
  return row?.day ?? null
}

// Rolls every office's finished days (through yesterday, office-local) into roll-ups, a week per transaction so
// other writers are never held up long; the watermark day and the one before are redone to catch late changes.
// each office on its own: one office's failure (a zone this runtime does not know, say) is reported and the
// others are still rolled up
export async function catchUpRollups({ database, now }: { database: Database; now: number }) {
  const done: { officeId: string; from: string; to: string }[] = []
  const failed: { officeId: string; error: string }[] = []
  for (const office of await database.db.select().from(offices)) {
    try {
      const yesterday = addDays(localDayHour(now, office.timeZone).day, -1)
      const watermark = await rolledThrough(database.db, office.id)
      const start = watermark
        ? addDays(watermark, -1)
        : ((await firstActivityDay(database.db, office.id)) ?? yesterday)
      for (let from = start; from <= yesterday; from = addDays(from, 7)) {
        const to = addDays(from, 6) < yesterday ? addDays(from, 6) : yesterday
        await database.write(async (tx) => {
          await rollupDays({ tx, officeId: office.id, from, to })
          await setRolledThrough({ tx, officeId: office.id, day: to })
        })
      }
      if (start <= yesterday) done.push({ officeId: office.id, from: start, to: yesterday })
    } catch (error) {
      failed.push({ officeId: office.id, error: String(error) })
    }
  }
  return { done, failed }
}

// A withdrawal deletes the person's camera sessions; the roll-ups of the days they could have been recorded on
// (the day consent was given and the next, for a visit past midnight) are rebuilt without them, so no zone
// count or dwell of theirs outlives their data. Days not yet rolled up are computed live and need nothing.
export async function forgetWithdrawnSessions({
  database,
  consentId,
}: {
  database: Database
  consentId: string
}) {
  const [consent] = await database.db.select().from(consents).where(eq(consents.id, consentId))
  if (!consent?.withdrawnAt) return null
  const [office] = await database.db.select().from(offices).where(eq(offices.id, consent.officeId))
  const watermark = await rolledThrough(database.db, consent.officeId)
  if (!office || !watermark) return null
  const from = localDayHour(consent.grantedAt, office.timeZone).day
  const next = addDays(from, 1)
  const to = next < watermark ? next : watermark
  if (from > to) return null
  await database.write((tx) => rollupDays({ tx, officeId: office.id, from, to, forgetZones: true }))
  return { from, to }
}
