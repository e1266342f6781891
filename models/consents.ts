// Privacy notices (versioned, hashed), camera consents with receipts, and camera sessions (numbers only).
import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { and, desc, eq, isNull, max } from 'drizzle-orm'
import { z } from 'zod'
import { offices, stations } from './offices.ts'
import type { Db, Tx } from './db.ts'
import { newId } from './ids.ts'
import { noticeElements, type NoticeBody } from './notice-defaults.ts'
import { visits } from './visits.ts'

export const languages = ['zh-CN', 'en'] as const
export type Language = (typeof languages)[number]
export const consentScopes = ['camera'] as const
export const sessionEndReasons = ['gone', 'withdrawn', 'timeout', 'station', 'closed'] as const

export const notices = sqliteTable(
  'notices',
  {
    id: text().primaryKey(),
    officeId: text()
      .notNull()
      .references(() => offices.id),
    lang: text({ enum: languages }).notNull(),
    version: integer().notNull(),
    // sha256 (hex) of the canonical JSON of `body`: what consents point at
    sha256: text().notNull(),
    // JSON: purpose, method, dataKinds, retention, processorName, processorContact, rights, short
    body: text().notNull(),
    publishedAt: integer().notNull(),
    publishedBy: text(),
  },
  (t) => [
    // serves: "current notice of this office in this language" (highest version)
    uniqueIndex('notices_office_lang_version_idx').on(t.officeId, t.lang, t.version),
  ],
)

export const consents = sqliteTable(
  'consents',
  {
    id: text().primaryKey(),
    officeId: text()
      .notNull()
      .references(() => offices.id),
    // null for a consent given at a kiosk by someone who did not check in
    visitId: text().references(() => visits.id, { onDelete: 'set null' }),
    noticeId: text()
      .notNull()
      .references(() => notices.id),
    noticeSha256: text().notNull(),
    scope: text({ enum: consentScopes }).notNull().default('camera'),
    // where it was given: 'phone' or a kiosk station id
    givenAt: text().notNull().default('phone'),
    grantedAt: integer().notNull(),
    withdrawnAt: integer(),
  },
  (t) => [
    // serves: active consent of a visit; consent ledger by day
    index('consents_visit_idx').on(t.visitId),
    index('consents_office_granted_idx').on(t.officeId, t.grantedAt),
  ],
)

export const cameraSessions = sqliteTable(
  'camera_sessions',
  {
    id: text().primaryKey(),
    officeId: text()
      .notNull()
      .references(() => offices.id),
    stationId: text()
      .notNull()
      .references(() => stations.id),
    consentId: text()
      .notNull()
      .references(() => consents.id, { onDelete: 'cascade' }),
    visitId: text().references(() => visits.id, { onDelete: 'cascade' }),
    startedAt: integer().notNull(),
    endedAt: integer(),
    endReason: text({ enum: sessionEndReasons }),
    dwellMs: integer().notNull().default(0),
    attentionMs: integer().notNull().default(0),
    framesAnalysed: integer().notNull().default(0),
    framesDropped: integer().notNull().default(0),
    lastEventAt: integer().notNull(),
  },
  (t) => [
    // serves: sessions of a consent (withdraw deletes them), of a visit (timeline)
    index('camera_sessions_consent_idx').on(t.consentId),
    index('camera_sessions_visit_idx').on(t.visitId),
    // serves: engagement by station/zone per period
    index('camera_sessions_station_idx').on(t.stationId, t.startedAt),
  ],
)

// idempotency: station event ids already applied, so a resent event is not counted twice
export const stationEvents = sqliteTable(
  'station_events',
  {
    id: text().primaryKey(),
    stationId: text().notNull(),
    receivedAt: integer().notNull(),
  },
  (t) => [
    // serves: purge of old idempotency keys
    index('station_events_received_idx').on(t.receivedAt),
  ],
)

// the hash a consent points at: sha256 over the canonical JSON of exactly what was shown
export async function noticeHash(body: NoticeBody): Promise<string> {
  const canonical = JSON.stringify(
    Object.fromEntries(Object.entries(body).sort(([a], [b]) => a.localeCompare(b))),
  )
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonical))
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('')
}

export const noticeBodyInput = z.object(
  Object.fromEntries(
    [...noticeElements, 'short'].map((key) => [
      key,
      z.string().trim().min(1, `${key} is required`).max(4000),
    ]),
  ) as Record<keyof NoticeBody, z.ZodString>,
)

export async function publishNotice({
  tx,
  input,
  now,
}: {
  tx: Tx
  input: { officeId: string; lang: Language; body: NoticeBody; publishedBy?: string | null }
  now: number
}) {
  const body = noticeBodyInput.parse(input.body) as NoticeBody
  const [latest] = await tx
    .select({ version: max(notices.version) })
    .from(notices)
    .where(and(eq(notices.officeId, input.officeId), eq(notices.lang, input.lang)))
  const version = (latest?.version ?? 0) + 1
  const id = newId()
  const sha256 = await noticeHash(body)
  await tx.insert(notices).values({
    id,
    officeId: input.officeId,
    lang: input.lang,
    version,
    sha256,
    body: JSON.stringify(body),
    publishedAt: now,
    publishedBy: input.publishedBy ?? null,
  })
  return { id, version, sha256 }
}

export async function currentNotice(db: Db | Tx, officeId: string, lang: Language) {
  const [notice] = await db
    .select()
    .from(notices)
    .where(and(eq(notices.officeId, officeId), eq(notices.lang, lang)))
    .orderBy(desc(notices.version))
    .limit(1)
  return notice ? { ...notice, body: JSON.parse(notice.body) as NoticeBody } : null
}

export type ConsentGrant = {
  officeId: string
  // the visit this consent belongs to (phone flow); null at a kiosk for someone who did not check in
  visitId: string | null
  noticeId: string
  // 'phone' or the id of the kiosk where Agree was tapped
  givenAt: string
}

// separate, explicit consent tied to the exact notice version shown (its sha256 is copied, not looked up later)
export async function grantConsent({ tx, input, now }: { tx: Tx; input: ConsentGrant; now: number }) {
  const [notice] = await tx.select().from(notices).where(eq(notices.id, input.noticeId))
  if (!notice || notice.officeId !== input.officeId) throw new Error('unknown notice')
  const id = newId()
  await tx.insert(consents).values({
    id,
    officeId: input.officeId,
    visitId: input.visitId,
    noticeId: notice.id,
    noticeSha256: notice.sha256,
    scope: 'camera',
    givenAt: input.givenAt,
    grantedAt: now,
  })
  return { id, noticeSha256: notice.sha256, grantedAt: now }
}

// withdrawal: marks the consent withdrawn and deletes every camera session recorded under it (rows gone)
export async function withdrawConsent({ tx, consentId, now }: { tx: Tx; consentId: string; now: number }) {
  const [consent] = await tx.select().from(consents).where(eq(consents.id, consentId))
  if (!consent) return null
  if (!consent.withdrawnAt) {
    await tx.update(consents).set({ withdrawnAt: now }).where(eq(consents.id, consentId))
  }
  const deleted = await tx
    .delete(cameraSessions)
    .where(eq(cameraSessions.consentId, consentId))
    .returning({ id: cameraSessions.id })
  return {
    consent: { ...consent, withdrawnAt: consent.withdrawnAt ?? now },
    alreadyWithdrawn: consent.withdrawnAt !== null,
    sessionsDeleted: deleted.length,
  }
}

export async function getConsent(db: Db, id: string) {
  const [consent] = await db.select().from(consents).where(eq(consents.id, id))
  return consent ?? null
}

// the consent that lets camera analytics run for a visit now, if any
export async function activeConsentForVisit(db: Db, visitId: string) {
  const [consent] = await db
    .select()
    .from(consents)
    .where(and(eq(consents.visitId, visitId), isNull(consents.withdrawnAt)))
    .orderBy(desc(consents.grantedAt))
    .limit(1)
  return consent ?? null
}
