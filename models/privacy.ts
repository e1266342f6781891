// Retention policies, purge runs, data-subject requests and archived impact assessments.
import { sqliteTable, text, integer, index, primaryKey } from 'drizzle-orm/sqlite-core'
import { and, desc, eq, gt, inArray, isNull, or, sql, type SQL, type SQLWrapper } from 'drizzle-orm'
import { z } from 'zod'
import { offices } from './offices.ts'
import { visitors, visits, visitNotes } from './visits.ts'
import { consents, cameraSessions } from './consents.ts'
import { referrals } from './referrals.ts'
import type { Db, Tx } from './db.ts'
import { newId } from './ids.ts'

export const retentionKinds = [
  'visitor-personal',
  'camera-sessions',
  'referrals',
  'consents',
  'audit-log',
] as const
export type RetentionKind = (typeof retentionKinds)[number]
export const requestKinds = ['access', 'delete'] as const
export const requestStatuses = ['open', 'done', 'rejected'] as const

export const retentionPolicies = sqliteTable(
  'retention_policies',
  {
    officeId: text()
      .notNull()
      .references(() => offices.id),
    kind: text({ enum: retentionKinds }).notNull(),
    days: integer().notNull(),
    updatedAt: integer().notNull(),
    updatedBy: text(),
  },
  (t) => [primaryKey({ columns: [t.officeId, t.kind] })],
)

export const purgeRuns = sqliteTable(
  'purge_runs',
  {
    id: text().primaryKey(),
    startedAt: integer().notNull(),
    durationMs: integer().notNull(),
    trigger: text({ enum: ['start', 'schedule', 'manual'] }).notNull(),
    // JSON: { [kind]: rowsDeleted }, all offices together (the operator's view)
    deleted: text().notNull(),
    // JSON: { [officeId]: { [kind]: rowsDeleted } }: what each office's privacy officer is shown
    officeCounts: text().notNull().default('{}'),
    // the one office a manual run was asked for; null = every office (start, schedule)
    officeId: text(),
    error: text(),
  },
  (t) => [
    // serves: the purge run list, newest first
    index('purge_runs_started_idx').on(t.startedAt),
  ],
)

export const dataRequests = sqliteTable(
  'data_requests',
  {
    id: text().primaryKey(),
    officeId: text()
      .notNull()
      .references(() => offices.id),
    // no foreign key: the visitor row may be gone once the request is done
    visitorId: text(),
    kind: text({ enum: requestKinds }).notNull(),
    via: text({ enum: ['self', 'officer'] }).notNull(),
    status: text({ enum: requestStatuses }).notNull().default('open'),
    createdAt: integer().notNull(),
    completedAt: integer(),
    handledBy: text(),
  },
  (t) => [
    // serves: the request list of an office by status
    index('data_requests_office_idx').on(t.officeId, t.status, t.createdAt),
  ],
)

export const assessments = sqliteTable(
  'assessments',
  {
    id: text().primaryKey(),
    officeId: text()
      .notNull()
      .references(() => offices.id),
    generatedAt: integer().notNull(),
    generatedBy: text(),
    // JSON snapshot of the live configuration it was generated from
    body: text().notNull(),
  },
  (t) => [
    // serves: archive of assessments of an office, newest first
    index('assessments_office_idx').on(t.officeId, t.generatedAt),
  ],
)

// zero deleted cells in place; a per-connection setting, so each deleting transaction turns it on for itself
export async function secureDelete(tx: Tx) {
  await tx.run(sql`PRAGMA secure_delete = ON`)
}

const chunkSize = 400

// camera sessions, staff notes, consent links and a broker's registration bound to these visits: what a visit
// holds about a person (`alsoReferrals` widens the registrations cleared, e.g. to the same number)
async function scrubVisits(tx: Tx, ofVisits: SQLWrapper, now: number, alsoReferrals?: SQL) {
  const ofConsents = tx.select({ id: consents.id }).from(consents).where(inArray(consents.visitId, ofVisits))
  const sessions = (
    await tx
      .delete(cameraSessions)
      .where(or(inArray(cameraSessions.visitId, ofVisits), inArray(cameraSessions.consentId, ofConsents)))
      .returning({ id: cameraSessions.id })
  ).length
  const notes = (
    await tx.delete(visitNotes).where(inArray(visitNotes.visitId, ofVisits)).returning({ id: visitNotes.id })
  ).length
  // deleting your data ends the camera consent too; the record stays as proof of how it was asked, for nobody
  await tx
    .update(consents)
    .set({ withdrawnAt: now })
    .where(and(inArray(consents.visitId, ofVisits), isNull(consents.withdrawnAt)))
  await tx.update(consents).set({ visitId: null }).where(inArray(consents.visitId, ofVisits))
  await tx
    .update(referrals)
    .set({ phoneHash: null, phoneMasked: null, clientLabel: '' })
    .where(or(inArray(referrals.visitId, ofVisits), alsoReferrals))
  return { sessions, notes }
}

// removes visitor rows and every link to them, set-wise (the purge may remove thousands at once);
// callers decide which visitors and audit why
export async function deleteVisitorRows(tx: Tx, visitorIds: string[], now: number) {
  const total = { visitors: 0, visits: 0, sessions: 0, notes: 0 }
  for (let i = 0; i < visitorIds.length; i += chunkSize) {
    const ids = visitorIds.slice(i, i + chunkSize)
    const ofVisitors = tx.select({ id: visits.id }).from(visits).where(inArray(visits.visitorId, ids))
    // same number, same office (the outer row is named explicitly: drizzle leaves columns unqualified here)
    const sameNumber = sql`exists (select 1 from ${visitors} where ${inArray(visitors.id, ids)} and ${visitors.phoneHash} = "referrals"."phone_hash" and ${visitors.officeId} = "referrals"."office_id")`
    const scrubbed = await scrubVisits(tx, ofVisitors, now, sameNumber)
    total.sessions += scrubbed.sessions
    total.notes += scrubbed.notes
    total.visits += (
      await tx
        .update(visits)
        .set({ visitorId: null })
        .where(inArray(visits.visitorId, ids))
        .returning({ id: visits.id })
    ).length
    total.visitors += (
      await tx.delete(visitors).where(inArray(visitors.id, ids)).returning({ id: visitors.id })
    ).length
  }
  return total
}

// a visitor's own deletion from /me: the one visit their pass is for. Its personal data goes and the visit
// stays as an anonymous count; the visitor record goes too when it holds no other visit. Earlier visits
// linked to the same number are not this browser's to delete (the privacy officer's request flow is).
export async function deleteVisitData({ tx, visitId, now }: { tx: Tx; visitId: string; now: number }) {
  const [visit] = await tx
    .select({ officeId: visits.officeId, visitorId: visits.visitorId })
    .from(visits)
    .where(eq(visits.id, z.string().min(1).parse(visitId)))
  if (!visit?.visitorId) return null
  await secureDelete(tx)
  const { sessions, notes } = await scrubVisits(
    tx,
    tx.select({ id: visits.id }).from(visits).where(eq(visits.id, visitId)),
    now,
  )
  await tx.update(visits).set({ visitorId: null }).where(eq(visits.id, visitId))
  const [other] = await tx
    .select({ id: visits.id })
    .from(visits)
    .where(eq(visits.visitorId, visit.visitorId))
    .limit(1)
  if (!other) await deleteVisitorRows(tx, [visit.visitorId], now)
  return { officeId: visit.officeId, visits: 1, sessions, notes }
}

// the single deletion path for a visitor (their own /me request or the officer's): personal fields, camera
// sessions and consent links go; each visit stays only as an anonymous count. Call reclaimFreedSpace after commit.
export async function deleteVisitorData({ tx, visitorId, now }: { tx: Tx; visitorId: string; now: number }) {
  const [visitor] = await tx
    .select({ officeId: visitors.officeId })
    .from(visitors)
    .where(eq(visitors.id, z.string().min(1).parse(visitorId)))
  if (!visitor) return null
  await secureDelete(tx)
  const { visits, sessions, notes } = await deleteVisitorRows(tx, [visitorId], now)
  return { officeId: visitor.officeId, visits, sessions, notes }
}

export async function saveAssessment({
  tx,
  input,
  now,
}: {
  tx: Tx
  input: { officeId: string; generatedBy: string | null; body: unknown }
  now: number
}) {
  const id = newId()
  await tx.insert(assessments).values({
    id,
    officeId: input.officeId,
    generatedAt: now,
    generatedBy: input.generatedBy,
    body: JSON.stringify(input.body),
  })
  return id
}

export async function listAssessments(db: Db, officeId: string) {
  return db
    .select({
      id: assessments.id,
      generatedAt: assessments.generatedAt,
      generatedBy: assessments.generatedBy,
    })
    .from(assessments)
    .where(eq(assessments.officeId, officeId))
    .orderBy(desc(assessments.generatedAt))
}

export async function getAssessment(db: Db, officeId: string, id: string) {
  const [row] = await db
    .select()
    .from(assessments)
    .where(and(eq(assessments.id, id), eq(assessments.officeId, officeId)))
  return row ? { ...row, body: JSON.parse(row.body) as unknown } : null
}

// how long repeated downloads by the same visitor count as one access request in the officer's queue
export const selfAccessMergeMs = 24 * 3600_000

// a visitor's own download from /me: one request per visitor and day in the queue, however often they click
export async function recordSelfAccess({
  tx,
  input,
  now,
}: {
  tx: Tx
  input: { officeId: string; visitorId: string }
  now: number
}) {
  const [recent] = await tx
    .select({ id: dataRequests.id })
    .from(dataRequests)
    .where(
      and(
        eq(dataRequests.officeId, input.officeId),
        eq(dataRequests.visitorId, input.visitorId),
        eq(dataRequests.kind, 'access'),
        eq(dataRequests.via, 'self'),
        gt(dataRequests.createdAt, now - selfAccessMergeMs),
      ),
    )
    .limit(1)
  if (recent) return recent.id
  return recordDataRequest({ tx, input: { ...input, kind: 'access', via: 'self', done: true }, now })
}

// a request answered on the spot (the visitor's own /me download or deletion), recorded for the officer's list
export async function recordDataRequest({
  tx,
  input,
  now,
}: {
  tx: Tx
  input: {
    officeId: string
    visitorId: string | null
    kind: 'access' | 'delete'
    via: 'self' | 'officer'
    done: boolean
    handledBy?: string
  }
  now: number
}) {
  const id = newId()
  await tx.insert(dataRequests).values({
    id,
    officeId: input.officeId,
    visitorId: input.visitorId,
    kind: input.kind,
    via: input.via,
    status: input.done ? 'done' : 'open',
    createdAt: now,
    completedAt: input.done ? now : null,
    handledBy: input.handledBy ?? null,
  })
  return id
}
