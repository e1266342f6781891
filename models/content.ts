// Signage content: items (files stored by SHA-256), playlist entries with validity windows, plays and attention.
import { sqliteTable, text, integer, index, primaryKey } from 'drizzle-orm/sqlite-core'
import { and, asc, eq, isNull, max } from 'drizzle-orm'
import { z } from 'zod'
import type { Db, Tx } from './db.ts'
import { newId } from './ids.ts'
import { offices, stations } from './offices.ts'
import { cameraSessions } from './consents.ts'

// page: one self-contained HTML page of the office's own site, served sandboxed (server/content/page.ts)
export const contentKinds = ['image', 'video', 'page'] as const
export type ContentKind = (typeof contentKinds)[number]
export const contentMediaTypes = ['image/jpeg', 'image/png', 'image/webp', 'video/mp4', 'text/html'] as const
export type ContentMediaType = (typeof contentMediaTypes)[number]
// every weekday (bit 0 = Monday … bit 6 = Sunday)
export const allWeekdays = 0b1111111
// a playlist entry with the item's own duration, valid every day at every hour
export const alwaysValid = {
  durationS: null,
  fromDay: null,
  toDay: null,
  weekdays: allWeekdays,
  fromMinute: 0,
  toMinute: 1440,
} as const

export const contentItems = sqliteTable(
  'content_items',
  {
    id: text().primaryKey(),
    officeId: text()
      .notNull()
      .references(() => offices.id),
    name: text().notNull(),
    kind: text({ enum: contentKinds }).notNull(),
    mediaType: text({ enum: contentMediaTypes }).notNull(),
    // the stored file: DATA_DIR/content/<sha256>; several items (or versions) may share one
    sha256: text().notNull(),
    bytes: integer().notNull(),
    // goes up when the file is replaced; plays and attention are kept per version
    version: integer().notNull().default(1),
    durationMs: integer().notNull(),
    createdAt: integer().notNull(),
    updatedAt: integer().notNull(),
    // deleted items stay as rows (their plays keep a name) but leave every playlist and the disk
    deletedAt: integer(),
  },
  (t) => [
    // serves: the office's library; is this file still used by a live item (before deleting it from disk)
    index('content_items_office_idx').on(t.officeId, t.deletedAt),
    index('content_items_sha_idx').on(t.sha256),
  ],
)

export const playlistEntries = sqliteTable(
  'playlist_entries',
  {
    id: text().primaryKey(),
    officeId: text()
      .notNull()
      .references(() => offices.id),
    // null: the office default playlist, for display stations without one of their own
    stationId: text().references(() => stations.id),
    itemId: text()
      .notNull()
      .references(() => contentItems.id),
    position: integer().notNull(),
    // null: the item's own duration
    durationMs: integer(),
    // validity window: office-local dates (YYYY-MM-DD, inclusive), weekdays bitmask, minutes of the day [from, to)
    fromDay: text(),
    toDay: text(),
    weekdays: integer().notNull().default(allWeekdays),
    fromMinute: integer().notNull().default(0),
    toMinute: integer().notNull().default(1440),
    createdAt: integer().notNull(),
  },
  (t) => [
    // serves: the playlist of a station (or the office default) in order
    index('playlist_entries_station_idx').on(t.officeId, t.stationId, t.position),
    // serves: dropping a deleted item from every playlist
    index('playlist_entries_item_idx').on(t.itemId),
  ],
)

// proof of play: one row per play a display reported; name and version are copied so deletion orphans nothing
export const contentPlays = sqliteTable(
  'content_plays',
  {
    // the station's event id (exactly once)
    id: text().primaryKey(),
    officeId: text()
      .notNull()
      .references(() => offices.id),
    stationId: text()
      .notNull()
      .references(() => stations.id),
    itemId: text().notNull(),
    itemName: text().notNull(),
    itemVersion: integer().notNull(),
    startedAt: integer().notNull(),
    endedAt: integer().notNull(),
    receivedAt: integer().notNull(),
  },
  (t) => [
    // serves: the content report by period (per office, then item and station)
    index('content_plays_office_started_idx').on(t.officeId, t.startedAt),
  ],
)

// per consented camera session and item: how long the visitor was in front of it and looking (numbers only);
// deleted with the session (withdrawal, retention)
export const contentAttention = sqliteTable(
  'content_attention',
  {
    sessionId: text()
      .notNull()
      .references(() => cameraSessions.id, { onDelete: 'cascade' }),
    itemId: text().notNull(),
    itemVersion: integer().notNull(),
    officeId: text().notNull(),
    stationId: text().notNull(),
    startedAt: integer().notNull(),
    dwellMs: integer().notNull().default(0),
    attentionMs: integer().notNull().default(0),
    lastEventAt: integer().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.sessionId, t.itemId, t.itemVersion] }),
    // serves: the content report by period
    index('content_attention_office_started_idx').on(t.officeId, t.startedAt),
  ],
)

export type ContentItem = typeof contentItems.$inferSelect
export type PlaylistEntry = typeof playlistEntries.$inferSelect

export const itemName = z.string().trim().min(1, 'name: required').max(120, 'name: at most 120 characters')
export const itemDurationS = z.coerce
  .number()
  .int('duration: whole seconds')
  .min(1, 'duration: at least 1 s')
  .max(3600, 'duration: at most 3600 s')

export const newItemInput = z.object({
  officeId: z.string().min(1),
  name: itemName,
  kind: z.enum(contentKinds),
  mediaType: z.enum(contentMediaTypes),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().positive(),
  durationMs: z.number().int().min(1000).max(3600_000),
})

export async function addContentItem({
  tx,
  input,
  now,
}: {
  tx: Tx
  input: z.input<typeof newItemInput>
  now: number
}): Promise<ContentItem> {
  const valid = newItemInput.parse(input)
  const [item] = await tx
    .insert(contentItems)
    .values({ id: newId(), ...valid, createdAt: now, updatedAt: now })
    .returning()
  return item!
}

// a new file for an existing item: the version goes up; plays already made keep the old version
export async function replaceContentFile({
  tx,
  input,
  now,
}: {
  tx: Tx
  input: { officeId: string; itemId: string } & Omit<z.input<typeof newItemInput>, 'officeId' | 'name'>
  now: number
}): Promise<{ item: ContentItem; previousSha: string } | null> {
  const valid = newItemInput.omit({ officeId: true, name: true }).parse(input)
  const old = await liveItem(tx, input.officeId, input.itemId)
  if (!old) return null
  const [item] = await tx
    .update(contentItems)
    .set({ ...valid, version: old.version + 1, updatedAt: now })
    .where(eq(contentItems.id, old.id))
    .returning()
  return { item: item!, previousSha: old.sha256 }
}

export const itemEdit = z.object({ name: itemName, durationS: itemDurationS })

export async function editContentItem({
  tx,
  input,
  now,
}: {
  tx: Tx
  input: { officeId: string; itemId: string; name: unknown; durationS: unknown }
  now: number
}) {
  const valid = itemEdit.parse(input)
  const old = await liveItem(tx, input.officeId, input.itemId)
  if (!old) return null
  await tx
    .update(contentItems)
    .set({ name: valid.name, durationMs: valid.durationS * 1000, updatedAt: now })
    .where(eq(contentItems.id, old.id))
  return old.id
}

// soft delete: out of every playlist at once; the row stays for the plays; the caller removes the file from
// disk when no live item uses it any more (returned as orphanSha)
export async function deleteContentItem({
  tx,
  input,
  now,
}: {
  tx: Tx
  input: { officeId: string; itemId: string }
  now: number
}): Promise<{ item: ContentItem; orphanSha: string | null } | null> {
  const item = await liveItem(tx, input.officeId, input.itemId)
  if (!item) return null
  await tx.update(contentItems).set({ deletedAt: now }).where(eq(contentItems.id, item.id))
  await tx.delete(playlistEntries).where(eq(playlistEntries.itemId, item.id))
  const stillUsed = await shaInUse(tx, item.sha256)
  return { item, orphanSha: stillUsed ? null : item.sha256 }
}

export async function shaInUse(db: Db | Tx, sha256: string): Promise<boolean> {
  const [row] = await db
    .select({ id: contentItems.id })
    .from(contentItems)
    .where(and(eq(contentItems.sha256, sha256), isNull(contentItems.deletedAt)))
    .limit(1)
  return !!row
}

// the media type of a stored file while a live item uses it (what /media may serve)
export async function liveMediaType(db: Db | Tx, sha256: string) {
  const [item] = await db
    .select({ mediaType: contentItems.mediaType, kind: contentItems.kind })
    .from(contentItems)
    .where(and(eq(contentItems.sha256, sha256), isNull(contentItems.deletedAt)))
    .limit(1)
  return item ?? null
}

export async function liveItem(db: Db | Tx, officeId: string, itemId: string) {
  const [item] = await db
    .select()
    .from(contentItems)
    .where(
      and(eq(contentItems.id, itemId), eq(contentItems.officeId, officeId), isNull(contentItems.deletedAt)),
    )
  return item ?? null
}

// any item (deleted or not) of the office: plays arriving late still find their name
export async function anyItem(db: Db | Tx, officeId: string, itemId: string) {
  const [item] = await db
    .select()
    .from(contentItems)
    .where(and(eq(contentItems.id, itemId), eq(contentItems.officeId, officeId)))
  return item ?? null
}

export async function listContentItems(db: Db, officeId: string) {
  return db
    .select()
    .from(contentItems)
    .where(and(eq(contentItems.officeId, officeId), isNull(contentItems.deletedAt)))
    .orderBy(asc(contentItems.createdAt))
}

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'date: YYYY-MM-DD')
  .nullable()
// an entry's duration and validity window (the dates and hours must not end before they start)
const entryFields = z.object({
  durationS: itemDurationS.nullable(),
  fromDay: day,
  toDay: day,
  weekdays: z.number().int().min(1, 'weekdays: pick at least one').max(allWeekdays),
  fromMinute: z.number().int().min(0).max(1439),
  toMinute: z.number().int().min(1).max(1440),
})
const orderedWindow = <T extends z.ZodType<z.output<typeof entryFields>>>(schema: T) =>
  schema
    .refine((e) => !e.fromDay || !e.toDay || e.fromDay <= e.toDay, 'dates: the end is before the start')
    .refine((e) => e.fromMinute < e.toMinute, 'hours: the end is not after the start')
export const entryEdit = orderedWindow(entryFields)
export const entryInput = orderedWindow(entryFields.extend({ itemId: z.string().min(1) }))

export async function addPlaylistEntry({
  tx,
  input,
  now,
}: {
  tx: Tx
  input: { officeId: string; stationId: string | null } & z.input<typeof entryInput>
  now: number
}) {
  const valid = entryInput.parse(input)
  if (!(await liveItem(tx, input.officeId, valid.itemId))) return null
  if (input.stationId) {
    const [station] = await tx.select().from(stations).where(eq(stations.id, input.stationId))
    if (!station || station.officeId !== input.officeId || station.kind !== 'display') return null
  }
  const [last] = await tx
    .select({ n: max(playlistEntries.position) })
    .from(playlistEntries)
    .where(scopeWhere(input.officeId, input.stationId))
  const id = newId()
  const { durationS, ...rest } = valid
  await tx.insert(playlistEntries).values({
    id,
    officeId: input.officeId,
    stationId: input.stationId,
    ...rest,
    durationMs: durationS === null ? null : durationS * 1000,
    position: (last?.n ?? -1) + 1,
    createdAt: now,
  })
  return id
}

// an entry's duration and validity window changed in place (its item and position stay)
export async function editPlaylistEntry({
  tx,
  input,
}: {
  tx: Tx
  input: { officeId: string; id: string } & z.input<typeof entryEdit>
}) {
  const { officeId, id, ...fields } = input
  const { durationS, ...rest } = entryEdit.parse(fields)
  const [entry] = await tx
    .select()
    .from(playlistEntries)
    .where(and(eq(playlistEntries.id, id), eq(playlistEntries.officeId, officeId)))
  if (!entry) return null
  const [edited] = await tx
    .update(playlistEntries)
    .set({ ...rest, durationMs: durationS === null ? null : durationS * 1000 })
    .where(eq(playlistEntries.id, entry.id))
    .returning()
  return edited ?? null
}

export async function removePlaylistEntry({
  tx,
  input,
}: {
  tx: Tx
  input: { officeId: string; id: string }
}) {
  const removed = await tx
    .delete(playlistEntries)
    .where(and(eq(playlistEntries.id, input.id), eq(playlistEntries.officeId, input.officeId)))
    .returning()
  return removed[0] ?? null
}

// one step earlier (-1) or later (+1) in its playlist
export async function movePlaylistEntry({
  tx,
  input,
}: {
  tx: Tx
  input: { officeId: string; id: string; by: -1 | 1 }
}) {
  const [entry] = await tx
    .select()
    .from(playlistEntries)
    .where(and(eq(playlistEntries.id, input.id), eq(playlistEntries.officeId, input.officeId)))
  if (!entry) return null
  const list = await playlistOf(tx, entry.officeId, entry.stationId)
  const i = list.findIndex((e) => e.id === entry.id)
  const j = i + input.by
  if (j < 0 || j >= list.length) return entry
  const other = list[j]!
  await tx.update(playlistEntries).set({ position: other.position }).where(eq(playlistEntries.id, entry.id))
  await tx.update(playlistEntries).set({ position: entry.position }).where(eq(playlistEntries.id, other.id))
  return entry
}

const scopeWhere = (officeId: string, stationId: string | null) =>
  and(
    eq(playlistEntries.officeId, officeId),
    stationId ? eq(playlistEntries.stationId, stationId) : isNull(playlistEntries.stationId),
  )

// a playlist with its items (only live ones: a deleted item has no entries left)
export async function playlistOf(db: Db | Tx, officeId: string, stationId: string | null) {
  return db
    .select({
      id: playlistEntries.id,
      position: playlistEntries.position,
      stationId: playlistEntries.stationId,
      officeId: playlistEntries.officeId,
      durationMs: playlistEntries.durationMs,
      fromDay: playlistEntries.fromDay,
      toDay: playlistEntries.toDay,
      weekdays: playlistEntries.weekdays,
      fromMinute: playlistEntries.fromMinute,
      toMinute: playlistEntries.toMinute,
      item: contentItems,
    })
    .from(playlistEntries)
    .innerJoin(contentItems, eq(contentItems.id, playlistEntries.itemId))
    .where(and(scopeWhere(officeId, stationId), isNull(contentItems.deletedAt)))
    .orderBy(asc(playlistEntries.position))
}

// what a display plays: its own playlist, else the office default
export async function effectivePlaylist(db: Db | Tx, officeId: string, stationId: string) {
  const own = await playlistOf(db, officeId, stationId)
  return own.length
    ? { source: 'station' as const, entries: own }
    : {
        source: 'office' as const,
        entries: await playlistOf(db, officeId, null),
      }
}

export async function displayStations(db: Db | Tx, officeId: string) {
  return db
    .select()
    .from(stations)
    .where(and(eq(stations.officeId, officeId), eq(stations.kind, 'display')))
}

// a station says an item it played: stored once (the event id is the key), with the name the item has now
export async function recordPlay({
  tx,
  input,
  now,
}: {
  tx: Tx
  input: {
    id: string
    officeId: string
    stationId: string
    itemId: string
    version: number
    startedAt: number
    endedAt: number
  }
  now: number
}): Promise<'stored' | 'unknown-item' | 'duplicate'> {
  const item = await anyItem(tx, input.officeId, input.itemId)
  if (!item) return 'unknown-item'
  // the event id is the key: a play resent after its idempotency key was purged is still stored once
  const stored = await tx
    .insert(contentPlays)
    .values({
      id: input.id,
      officeId: input.officeId,
      stationId: input.stationId,
      itemId: item.id,
      itemName: item.name,
      itemVersion: input.version,
      startedAt: input.startedAt,
      endedAt: input.endedAt,
      receivedAt: now,
    })
    .onConflictDoNothing()
    .returning({ id: contentPlays.id })
  return stored.length ? 'stored' : 'duplicate'
}

// running totals of one session in front of one item version replace the stored ones
export async function recordItemAttention({
  tx,
  input,
}: {
  tx: Tx
  input: {
    sessionId: string
    itemId: string
    version: number
    officeId: string
    stationId: string
    startedAt: number
    at: number
    dwellMs: number
    attentionMs: number
  }
}): Promise<'ok' | 'stale'> {
  const [row] = await tx
    .select()
    .from(contentAttention)
    .where(
      and(
        eq(contentAttention.sessionId, input.sessionId),
        eq(contentAttention.itemId, input.itemId),
        eq(contentAttention.itemVersion, input.version),
      ),
    )
  if (row && row.lastEventAt > input.at) return 'stale'
  const totals = { dwellMs: input.dwellMs, attentionMs: input.attentionMs, lastEventAt: input.at }
  if (row) {
    await tx
      .update(contentAttention)
      .set(totals)
      .where(
        and(
          eq(contentAttention.sessionId, input.sessionId),
          eq(contentAttention.itemId, input.itemId),
          eq(contentAttention.itemVersion, input.version),
        ),
      )
  } else {
    await tx.insert(contentAttention).values({
      sessionId: input.sessionId,
      itemId: input.itemId,
      itemVersion: input.version,
      officeId: input.officeId,
      stationId: input.stationId,
      startedAt: input.startedAt,
      ...totals,
    })
  }
  return 'ok'
}
