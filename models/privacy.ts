// Retention policies, purge runs, data-subject requests and archived impact assessments.
import { sqliteTable, text, integer, index, primaryKey } from 'drizzle-orm/sqlite-core'
import { offices } from './offices.ts'

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
