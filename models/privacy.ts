// Retention policies, purge runs, data-subject requests and archived impact assessments.
import { sqliteTable, text, integer, index, primaryKey } from 'drizzle-orm/sqlite-core'
import { eq, inArray } from 'drizzle-orm'
import { offices } from './offices.ts'
import type { Tx } from './db.ts'
import { newId } from './ids.ts'
import { visitors, visits, visitNotes } from './visits.ts'
import { cameraSessions, consents } from './consents.ts'

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
    // JSON: { [kind]: rowsDeleted }
    deleted: text().notNull(),
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

// the one deletion path for a visitor's personal data (/me delete, officer acting on a request):
// camera numbers and staff notes go, consents lose their link, the visitor row goes; visits stay as anonymous counts
export async function deleteVisitorData({ tx, visitorId }: { tx: Tx; visitorId: string }) {
  const [visitor] = await tx.select({ id: visitors.id }).from(visitors).where(eq(visitors.id, visitorId))
  if (!visitor) return null
  const visitIds = (
    await tx.select({ id: visits.id }).from(visits).where(eq(visits.visitorId, visitorId))
  ).map((v) => v.id)
  let sessions = 0
  let notes = 0
  if (visitIds.length) {
    sessions = (
      await tx
        .delete(cameraSessions)
        .where(inArray(cameraSessions.visitId, visitIds))
        .returning({ id: cameraSessions.id })
    ).length
    notes = (
      await tx
        .delete(visitNotes)
        .where(inArray(visitNotes.visitId, visitIds))
        .returning({ id: visitNotes.id })
    ).length
    await tx.update(consents).set({ visitId: null }).where(inArray(consents.visitId, visitIds))
    await tx
      .update(visits)
      .set({ visitorId: null })
      .where(inArray(visits.visitorId, [visitorId]))
  }
  await tx.delete(visitors).where(eq(visitors.id, visitorId))
  return { visits: visitIds.length, sessions, notes }
}

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
