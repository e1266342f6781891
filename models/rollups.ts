// Anonymous daily roll-ups: per office, day, hour, channel and zone. No ids of people; survive retention purges.
import { sqliteTable, text, integer, primaryKey, index } from 'drizzle-orm/sqlite-core'
import { offices } from './offices.ts'

export const dailyRollups = sqliteTable(
  'daily_rollups',
  {
    officeId: text()
      .notNull()
      .references(() => offices.id),
    day: text().notNull(),
    // local hour of day 0–23 (no finer time is ever kept here)
    hour: integer().notNull(),
    // 'walk-in' or 'broker:<brokerId>'
    channel: text().notNull(),
    // '' for visit counts, a zone name for camera engagement
    zone: text().notNull().default(''),
    visits: integer().notNull().default(0),
    firstVisits: integer().notNull().default(0),
    returns: integer().notNull().default(0),
    consented: integer().notNull().default(0),
    disputed: integer().notNull().default(0),
    sessions: integer().notNull().default(0),
    dwellMsSum: integer().notNull().default(0),
    attentionMsSum: integer().notNull().default(0),
    // JSON histogram of session dwell in fixed buckets, for medians without keeping sessions
    dwellBuckets: text().notNull().default('[]'),
  },
  (t) => [
    primaryKey({ columns: [t.officeId, t.day, t.hour, t.channel, t.zone] }),
    // serves: cross-office reports over a day range
    index('daily_rollups_day_idx').on(t.day),
  ],
)
