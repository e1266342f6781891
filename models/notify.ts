// Notifications to consultants' phones: channels an admin configures per office, and the durable outbox.
import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core'
import { and, asc, desc, eq, isNotNull, isNull, lte, or, sql } from 'drizzle-orm'
import { z } from 'zod'
import type { Database, Db, Tx } from './db.ts'
import { seal, unseal } from './seal.ts'
import { newId } from './ids.ts'
import { offices } from './offices.ts'
import { staff } from './staff.ts'
import { forgetInTx, memoInTx } from './tx-memo.ts'

// WeCom (企业微信) and DingTalk group robots by their webhook formats; a signed generic webhook (Standard Webhooks)
export const channelKinds = ['wecom', 'dingtalk', 'webhook'] as const
export type ChannelKind = (typeof channelKinds)[number]
export const notifyEvents = ['client.returned', 'visit.assigned', 'ownership.conflict'] as const
export type NotifyEvent = (typeof notifyEvents)[number]

export const notifyChannels = sqliteTable(
  'notify_channels',
  {
    id: text().primaryKey(),
    officeId: text()
      .notNull()
      .references(() => offices.id),
    kind: text({ enum: channelKinds }).notNull(),
    // the robot's or receiver's URL (its access token is part of it), sealed under the data key
    url: text().notNull(),
    // DingTalk 加签 secret (SEC…) or the webhook's whsec_ secret, sealed; never shown again after saving
    secret: text(),
    // null: every consultant's notifications; else only this consultant's (a personal robot or receiver)
    consultantId: text().references(() => staff.id),
    // the consultant's WeCom userid / DingTalk userId to @-mention in a group (never a phone number)
    mention: text(),
    createdAt: integer().notNull(),
  },
  (t) => [
    // serves: the channels a notification fans out to
    index('notify_channels_office_idx').on(t.officeId),
  ],
)

export const notifyOutbox = sqliteTable(
  'notify_outbox',
  {
    // also the Standard Webhooks `webhook-id`: the same across retries, so a receiver can de-duplicate
    id: text().primaryKey(),
    officeId: text()
      .notNull()
      .references(() => offices.id),
    channelId: text()
      .notNull()
      .references(() => notifyChannels.id, { onDelete: 'cascade' }),
    event: text({ enum: notifyEvents }).notNull(),
    consultantId: text()
      .notNull()
      .references(() => staff.id),
    // when it happened (the message says the local time); nothing else about the client is kept
    at: integer().notNull(),
    createdAt: integer().notNull(),
    attempts: integer().notNull().default(0),
    nextAttemptAt: integer().notNull(),
    lastError: text(),
    deliveredAt: integer(),
    // gave up after the last retry: on the admin's dead-letter list
    deadAt: integer(),
  },
  (t) => [
    // serves: the sender's scan for due messages
    index('notify_outbox_due_idx').on(t.deliveredAt, t.deadAt, t.nextAttemptAt),
    // serves: the dead-letter list of an office
    index('notify_outbox_office_idx').on(t.officeId, t.deadAt),
  ],
)

// waits after each failed attempt; after the last one the message goes to the dead-letter list
export const retryDelaysMs = [1_000, 5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 7_200_000]
// a claimed message is not picked up again for this long (a second process sharing the database)
export const claimLeaseMs = 60_000

// the office's channels; every assignment and check-in asks, so they are read once per transaction
export function officeChannels(tx: Tx, officeId: string) {
  return memoInTx(tx, `notify-channels:${officeId}`, () =>
    tx
      .select({ id: notifyChannels.id, consultantId: notifyChannels.consultantId })
      .from(notifyChannels)
      .where(eq(notifyChannels.officeId, officeId)),
  )
}

// one outbox row per channel that takes this consultant's notifications
export async function enqueueNotification(
  tx: Tx,
  n: { officeId: string; consultantId: string; event: NotifyEvent; at: number },
): Promise<number> {
  const channels = (await officeChannels(tx, n.officeId)).filter(
    (c) => c.consultantId === null || c.consultantId === n.consultantId,
  )
  for (const channel of channels) {
    await tx.insert(notifyOutbox).values({
      id: `msg_${newId()}`,
      officeId: n.officeId,
      channelId: channel.id,
      event: n.event,
      consultantId: n.consultantId,
      at: n.at,
      createdAt: n.at,
      nextAttemptAt: n.at,
    })
  }
  return channels.length
}

export type DueMessage = Awaited<ReturnType<typeof claimDue>>[number]
// messages claimed in one round of the sender; a full round means more may be due
export const claimBatch = 20

// due messages with what formatting them needs, each claimed (its next attempt pushed past a lease)
export async function claimDue(
  database: { write: <T>(w: (tx: Tx) => Promise<T>) => Promise<T> },
  now: number,
  limit = claimBatch,
) {
  return database.write(async (tx) => {
    const rows = await tx
      .select({
        message: notifyOutbox,
        channel: notifyChannels,
        timeZone: offices.timeZone,
      })
      .from(notifyOutbox)
      .innerJoin(notifyChannels, eq(notifyChannels.id, notifyOutbox.channelId))
      .innerJoin(offices, eq(offices.id, notifyOutbox.officeId))
      .where(
        and(
          isNull(notifyOutbox.deliveredAt),
          isNull(notifyOutbox.deadAt),
          lte(notifyOutbox.nextAttemptAt, now),
        ),
      )
      .orderBy(asc(notifyOutbox.nextAttemptAt))
      .limit(limit)
    for (const row of rows)
      await tx
        .update(notifyOutbox)
        .set({ nextAttemptAt: now + claimLeaseMs })
        .where(eq(notifyOutbox.id, row.message.id))
    return rows
  })
}

export async function markDelivered(tx: Tx, id: string, now: number) {
  await tx
    .update(notifyOutbox)
    .set({ deliveredAt: now, attempts: sql`${notifyOutbox.attempts} + 1`, lastError: null })
    .where(eq(notifyOutbox.id, id))
}

// a failed attempt: retry after the next delay, or give up onto the dead-letter list
export async function markFailed(tx: Tx, id: string, error: string, now: number) {
  const [row] = await tx
    .select({ attempts: notifyOutbox.attempts })
    .from(notifyOutbox)
    .where(eq(notifyOutbox.id, id))
  if (!row) return
  const attempts = row.attempts + 1
  const delay = retryDelaysMs[attempts - 1]
  await tx
    .update(notifyOutbox)
    .set({
      attempts,
      lastError: error.slice(0, 300),
      ...(delay === undefined ? { deadAt: now } : { nextAttemptAt: now + delay }),
    })
    .where(eq(notifyOutbox.id, id))
}

// the earliest next attempt still pending (the sender sleeps until then)
export async function nextDueAt(db: Db): Promise<number | null> {
  const [row] = await db
    .select({ at: sql<number | null>`min(${notifyOutbox.nextAttemptAt})` })
    .from(notifyOutbox)
    .where(and(isNull(notifyOutbox.deliveredAt), isNull(notifyOutbox.deadAt)))
  return row?.at ?? null
}

export async function deadLetters(db: Db, officeId: string) {
  return db
    .select()
    .from(notifyOutbox)
    .where(and(eq(notifyOutbox.officeId, officeId), isNotNull(notifyOutbox.deadAt)))
    .orderBy(desc(notifyOutbox.deadAt))
    .limit(200)
}

// the admin sends a dead letter again: a fresh round of retries
export async function retryDeadLetter(
  tx: Tx,
  { officeId, id, now }: { officeId: string; id: string; now: number },
) {
  const updated = await tx
    .update(notifyOutbox)
    .set({ deadAt: null, attempts: 0, nextAttemptAt: now, lastError: null })
    .where(and(eq(notifyOutbox.id, id), eq(notifyOutbox.officeId, officeId), isNotNull(notifyOutbox.deadAt)))
    .returning({ id: notifyOutbox.id })
  return updated.length === 1
}

// delivered messages are kept a week (the admin can see that delivery works), dead letters a month, then deleted
export const deliveredKeepMs = 7 * 86_400_000
export const deadKeepMs = 30 * 86_400_000
export async function purgeDelivered(tx: Tx, now: number) {
  await tx
    .delete(notifyOutbox)
    .where(
      or(lte(notifyOutbox.deliveredAt, now - deliveredKeepMs), lte(notifyOutbox.deadAt, now - deadKeepMs)),
    )
}

const url = z
  .string()
  .trim()
  .max(1000)
  .refine((u) => /^https?:\/\//.test(u) && URL.canParse(u), 'url: an http(s) address')
export const channelInput = z
  .object({
    kind: z.enum(channelKinds),
    url,
    secret: z
      .string()
      .trim()
      .max(200)
      .optional()
      .transform((v) => v || null),
    consultantId: z
      .string()
      .trim()
      .max(64)
      .optional()
      .transform((v) => v || null),
    mention: z
      .string()
      .trim()
      .max(64)
      .regex(/^[A-Za-z0-9_.@-]*$/, 'mention: a WeCom/DingTalk user id (letters, digits, _ . @ -)')
      .refine((v) => !/^\+?\d{7,}$/.test(v), 'mention: a user id, not a phone number')
      .optional()
      .transform((v) => v || null),
  })
  .refine((c) => c.kind !== 'webhook' || /^whsec_[A-Za-z0-9+/=]{16,}$/.test(c.secret ?? ''), {
    message: 'secret: a generic webhook needs a whsec_ secret (base64 after the prefix)',
    path: ['secret'],
  })

// a credential as stored: sealed under the data key (a channel saved before sealing was kept in the clear)
const sealedPrefix = 'sealed:'
const sealCredential = async (dataKey: CryptoKey, value: string) =>
  sealedPrefix + (await seal(dataKey, value))
export const openCredential = (dataKey: CryptoKey, stored: string) =>
  stored.startsWith(sealedPrefix)
    ? unseal(dataKey, stored.slice(sealedPrefix.length))
    : Promise.resolve(stored)

export async function addChannel(
  tx: Tx,
  { officeId, input, now, dataKey }: { officeId: string; input: unknown; now: number; dataKey: CryptoKey },
) {
  const valid = channelInput.parse(input)
  if (valid.consultantId) {
    const [member] = await tx
      .select({ id: staff.id })
      .from(staff)
      .where(and(eq(staff.id, valid.consultantId), eq(staff.officeId, officeId)))
    if (!member) return null
  }
  const id = newId()
  await tx.insert(notifyChannels).values({
    id,
    officeId,
    ...valid,
    url: await sealCredential(dataKey, valid.url),
    secret: valid.secret === null ? null : await sealCredential(dataKey, valid.secret),
    createdAt: now,
  })
  forgetInTx(tx, `notify-channels:${officeId}`)
  return id
}

export async function removeChannel(tx: Tx, { officeId, id }: { officeId: string; id: string }) {
  const removed = await tx
    .delete(notifyChannels)
    .where(and(eq(notifyChannels.id, id), eq(notifyChannels.officeId, officeId)))
    .returning({ id: notifyChannels.id })
  forgetInTx(tx, `notify-channels:${officeId}`)
  return removed.length === 1
}

// the office's channels with their URLs opened for the admin page (which shows them without the query)
export async function listChannels(db: Db, officeId: string, dataKey: CryptoKey) {
  const rows = await db
    .select({
      id: notifyChannels.id,
      kind: notifyChannels.kind,
      url: notifyChannels.url,
      hasSecret: sql<number>`${notifyChannels.secret} IS NOT NULL`,
      consultantId: notifyChannels.consultantId,
      consultantName: staff.displayName,
      mention: notifyChannels.mention,
    })
    .from(notifyChannels)
    .leftJoin(staff, eq(staff.id, notifyChannels.consultantId))
    .where(eq(notifyChannels.officeId, officeId))
    .orderBy(asc(notifyChannels.createdAt))
  return Promise.all(rows.map(async (row) => ({ ...row, url: await openCredential(dataKey, row.url) })))
}

// channels saved before credentials were sealed: sealed at start (once; a second start finds none). The count.
export async function sealChannelCredentials(database: Database, dataKey: CryptoKey): Promise<number> {
  const clear = await database.db
    .select({ id: notifyChannels.id, url: notifyChannels.url, secret: notifyChannels.secret })
    .from(notifyChannels)
    .where(
      or(
        sql`${notifyChannels.url} NOT LIKE ${sealedPrefix + '%'}`,
        sql`${notifyChannels.secret} NOT LIKE ${sealedPrefix + '%'}`,
      ),
    )
  for (const row of clear) {
    const url = row.url.startsWith(sealedPrefix) ? row.url : await sealCredential(dataKey, row.url)
    const secret =
      row.secret === null || row.secret.startsWith(sealedPrefix)
        ? row.secret
        : await sealCredential(dataKey, row.secret)
    await database.write((tx) =>
      tx.update(notifyChannels).set({ url, secret }).where(eq(notifyChannels.id, row.id)),
    )
  }
  return clear.length
}
