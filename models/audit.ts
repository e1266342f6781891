// Append-only audit log: every staff read of personal data, export, login and change. Triggers refuse edits.
import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core'
import { and, eq, gte, count, max, sql } from 'drizzle-orm'
import type { Db, Tx } from './db.ts'
import { preparedInTx } from './tx-memo.ts'

export const actorTypes = ['staff', 'broker', 'visitor', 'station', 'system', 'anonymous'] as const
export type ActorType = (typeof actorTypes)[number]

export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    at: integer().notNull(),
    officeId: text(),
    actorType: text({ enum: actorTypes }).notNull(),
    actorId: text(),
    action: text().notNull(),
    // what was acted on (visit id, username, station id, …)
    target: text(),
    // JSON with the details that matter (reason of a reveal, filters of an export); never a phone number
    detail: text().notNull().default('{}'),
  },
  (t) => [
    // serves: audit page filters and login lockout (failures for a username in a window)
    index('audit_action_target_idx').on(t.action, t.target, t.at),
    index('audit_actor_idx').on(t.actorId, t.at),
    index('audit_at_idx').on(t.at),
  ],
)

// a one-row switch that only the retention purge flips, inside its own transaction, to delete expired rows
export const auditGuard = sqliteTable('audit_guard', {
  id: integer().primaryKey(),
  purging: integer().notNull().default(0),
})

export type AuditEntry = {
  at: number
  officeId?: string | null
  actorType: ActorType
  actorId?: string | null
  action: string
  target?: string | null
  detail?: Record<string, unknown>
}

// the only write path to the audit log: inserts, never updates
const insertAudit = (db: Db | Tx) =>
  preparedInTx(db, 'audit.insert', () =>
    db
      .insert(auditLog)
      .values({
        at: sql.placeholder('at'),
        officeId: sql.placeholder('officeId'),
        actorType: sql.placeholder('actorType'),
        actorId: sql.placeholder('actorId'),
        action: sql.placeholder('action'),
        target: sql.placeholder('target'),
        detail: sql.placeholder('detail'),
      })
      .prepare(),
  )

export async function appendAudit(db: Db | Tx, entry: AuditEntry): Promise<void> {
  await insertAudit(db).run({
    at: entry.at,
    officeId: entry.officeId ?? null,
    actorType: entry.actorType,
    actorId: entry.actorId ?? null,
    action: entry.action,
    target: entry.target ?? null,
    detail: JSON.stringify(entry.detail ?? {}),
  })
}

// failed attempts of one kind on one target from one source (detail.from) in a window: how many, and the last
export async function recentFailures(
  db: Db,
  { action, target, from, since }: { action: string; target: string; from: string; since: number },
): Promise<{ count: number; lastAt: number }> {
  const [row] = await db
    .select({ n: count(), last: max(auditLog.at) })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.action, action),
        eq(auditLog.target, target),
        gte(auditLog.at, since),
        sql`json_extract(${auditLog.detail}, '$.from') = ${from}`,
      ),
    )
  return { count: row?.n ?? 0, lastAt: row?.last ?? 0 }
}

export async function countAuditSince(
  db: Db,
  { action, target, since }: { action: string; target: string; since: number },
): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.target, target), gte(auditLog.at, since)))
  return row?.n ?? 0
}
