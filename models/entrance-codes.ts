// Entrance codes: the short opaque id in the entrance QR, its office, station and life, and how many check-ins it made.
import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core'
import { and, eq, lt, sql } from 'drizzle-orm'
import type { Db, Tx } from './db.ts'
import { newId } from './ids.ts'
import { offices, stations } from './offices.ts'

export const entranceCodes = sqliteTable(
  'entrance_codes',
  {
    // 16 random URL-safe characters (96 bits): the whole of what the QR carries after the origin
    id: text().primaryKey(),
    officeId: text()
      .notNull()
      .references(() => offices.id, { onDelete: 'cascade' }),
    stationId: text()
      .notNull()
      .references(() => stations.id, { onDelete: 'cascade' }),
    issuedAt: integer().notNull(),
    expiresAt: integer().notNull(),
    // check-ins made with this code; capped so one photographed code cannot fill the visitor list
    checkins: integer().notNull().default(0),
  },
  (t) => [
    // serves: housekeeping purge of codes long expired
    index('entrance_codes_expiry_idx').on(t.expiresAt),
  ],
)

export type EntranceCode = typeof entranceCodes.$inferSelect

// a URL-safe id as newId makes it; anything else is not looked up at all
export const entranceCodePattern = /^[A-Za-z0-9_-]{16}$/

export async function issueEntranceCode(
  db: Db | Tx,
  {
    officeId,
    stationId,
    now,
    lifetimeMs,
  }: { officeId: string; stationId: string; now: number; lifetimeMs: number },
): Promise<EntranceCode> {
  const [code] = await db
    .insert(entranceCodes)
    .values({ id: newId(), officeId, stationId, issuedAt: now, expiresAt: now + lifetimeMs })
    .returning()
  return code!
}

export async function findEntranceCode(db: Db | Tx, id: string): Promise<EntranceCode | null> {
  if (!entranceCodePattern.test(id)) return null
  const [code] = await db.select().from(entranceCodes).where(eq(entranceCodes.id, id))
  return code ?? null
}

// one more check-in on this code, unless it already made `cap`; returns the new count, or null at the cap
export async function countEntranceCheckin(tx: Tx, { id, cap }: { id: string; cap: number }) {
  const [row] = await tx
    .update(entranceCodes)
    .set({ checkins: sql`${entranceCodes.checkins} + 1` })
    .where(and(eq(entranceCodes.id, id), lt(entranceCodes.checkins, cap)))
    .returning({ checkins: entranceCodes.checkins })
  return row?.checkins ?? null
}

// codes expired before `before`: nothing personal in them, kept only while their check-ins can still arrive
export async function purgeEntranceCodes(tx: Tx, before: number) {
  const gone = await tx
    .delete(entranceCodes)
    .where(lt(entranceCodes.expiresAt, before))
    .returning({ id: entranceCodes.id })
  return gone.length
}
