// Retention: how long each kind of data is kept (defaults, legal floors), and the purge that really deletes it.
import { and, desc, eq, inArray, isNull, lt, lte, ne, or, sql, type SQL } from 'drizzle-orm'
import { z } from 'zod'
import type { Database, Db, Tx } from './db.ts'
import { offices } from './offices.ts'
import { visitors, visits, visitNotes, usedTokens } from './visits.ts'
import { purgeEntranceCodes } from './entrance-codes.ts'
import { referrals } from './referrals.ts'
import { appeals } from './channel-rules.ts'
import { consents, cameraSessions, stationEvents } from './consents.ts'
import { auditLog, auditGuard, appendAudit } from './audit.ts'
import {
  retentionPolicies,
  purgeRuns,
  dataRequests,
  retentionKinds,
  deleteVisitorRows,
  type RetentionKind,
} from './privacy.ts'
import { newId } from './ids.ts'

const day = 86400_000
export const maxRetentionDays = 3650

// what the system keeps when the officer has set nothing
export const retentionDefaults: Record<RetentionKind, number> = {
  'visitor-personal': 365,
  'camera-sessions': 30,
  referrals: 180,
  consents: 1095,
  'audit-log': 1095,
}

// the shortest period allowed, and why: a broker's claim must be checkable for its whole protection period
// (保护期); consent proof must outlive the camera data it covers; network logs ≥ 6 months (网络安全法 art. 21)
export function retentionFloor(kind: RetentionKind, office: { protectionDays: number }): number {
  switch (kind) {
    case 'visitor-personal':
    case 'referrals':
      return office.protectionDays
    case 'camera-sessions':
      return 1
    case 'consents':
      return 180
    case 'audit-log':
      return 180
  }
}

export type RetentionPolicy = { kind: RetentionKind; days: number; floor: number; isDefault: boolean }

export async function retentionPolicy(db: Db | Tx, officeId: string): Promise<RetentionPolicy[]> {
  const [office] = await db.select().from(offices).where(eq(offices.id, officeId))
  if (!office) throw new Error('unknown office')
  const rows = await db.select().from(retentionPolicies).where(eq(retentionPolicies.officeId, officeId))
  return retentionKinds.map((kind) => {
    const row = rows.find((r) => r.kind === kind)
    const floor = retentionFloor(kind, office)
    // a floor raised later (longer protection period) wins over an older, shorter setting
    const days = Math.max(row?.days ?? retentionDefaults[kind], floor)
    return { kind, days, floor, isDefault: !row }
  })
}

// the longest period any office keeps any kind of data: nothing (a backup included) may be kept longer
export async function longestRetentionDays(db: Db | Tx): Promise<number> {
  const all = await db.select({ id: offices.id }).from(offices)
  if (!all.length) return Math.max(...Object.values(retentionDefaults))
  let longest = 0
  for (const office of all) {
    for (const p of await retentionPolicy(db, office.id)) longest = Math.max(longest, p.days)
  }
  return longest
}

export const retentionInput = z.object({
  officeId: z.string().min(1),
  kind: z.enum(retentionKinds),
  days: z.coerce.number().int().min(1).max(maxRetentionDays),
  updatedBy: z.string().nullable().default(null),
})

export class BelowFloor extends Error {
  constructor(readonly floor: number) {
    super(`days: at least ${floor}`)
  }
}

export async function setRetention({
  tx,
  input,
  now,
}: {
  tx: Tx
  input: z.input<typeof retentionInput>
  now: number
}) {
  const valid = retentionInput.parse(input)
  const [office] = await tx.select().from(offices).where(eq(offices.id, valid.officeId))
  if (!office) throw new Error('unknown office')
  const floor = retentionFloor(valid.kind, office)
  if (valid.days < floor) throw new BelowFloor(floor)
  await tx
    .insert(retentionPolicies)
    .values({ ...valid, updatedAt: now })
    .onConflictDoUpdate({
      target: [retentionPolicies.officeId, retentionPolicies.kind],
      set: { days: valid.days, updatedAt: now, updatedBy: valid.updatedBy },
    })
  return { floor, days: valid.days }
}

export type PurgeCounts = Record<string, number>

// deletes one office's expired rows of every kind; runs inside the caller's write transaction
async function purgeOffice(
  tx: Tx,
  officeId: string,
  now: number,
  counts: PurgeCounts,
  own: PurgeCounts,
): Promise<number> {
  const policy = Object.fromEntries((await retentionPolicy(tx, officeId)).map((p) => [p.kind, p.days]))
  const cutoff = (kind: RetentionKind) => now - policy[kind]! * day
  const add = (kind: string, n: number) => {
    counts[kind] = (counts[kind] ?? 0) + n
    own[kind] = (own[kind] ?? 0) + n
  }

  const sessions = await tx
    .delete(cameraSessions)
    .where(
      and(eq(cameraSessions.officeId, officeId), lt(cameraSessions.startedAt, cutoff('camera-sessions'))),
    )
    .returning({ id: cameraSessions.id })
  add('camera-sessions', sessions.length)

  // a visitor is personal data from their last visit on: the phone stays only while a return visit or a
  // broker's claim may still need comparing; the visits stay behind as anonymous counts
  const visitorCutoff = cutoff('visitor-personal')
  const expired = await tx
    .select({ id: visitors.id })
    .from(visitors)
    .leftJoin(visits, eq(visits.visitorId, visitors.id))
    .where(and(eq(visitors.officeId, officeId), lt(visitors.createdAt, visitorCutoff)))
    .groupBy(visitors.id)
    .having(sql`coalesce(max(${visits.checkedInAt}), 0) < ${visitorCutoff}`)
  const removed = await deleteVisitorRows(
    tx,
    expired.map((v) => v.id),
    now,
  )
  add('visitor-personal', removed.visitors)
  // staff notes on a visit are free text about a person: same period as the visitor's own fields
  const notes = await tx
    .delete(visitNotes)
    .where(
      and(
        lt(visitNotes.createdAt, visitorCutoff),
        inArray(
          visitNotes.visitId,
          tx.select({ id: visits.id }).from(visits).where(eq(visits.officeId, officeId)),
        ),
      ),
    )
    .returning({ id: visitNotes.id })
  add('visit-notes', notes.length)

  // a referral is never deleted while it still protects a broker's claim; its appeals go with it
  const expiredReferrals = and(
    eq(referrals.officeId, officeId),
    lt(referrals.createdAt, cutoff('referrals')),
    lte(referrals.expiresAt, now),
  )
  await tx
    .delete(appeals)
    .where(
      inArray(appeals.referralId, tx.select({ id: referrals.id }).from(referrals).where(expiredReferrals)),
    )
  const gone = await tx.delete(referrals).where(expiredReferrals).returning({ id: referrals.id })
  add('referrals', gone.length)

  const oldConsents = tx
    .select({ id: consents.id })
    .from(consents)
    .where(and(eq(consents.officeId, officeId), lt(consents.grantedAt, cutoff('consents'))))
  await tx.delete(cameraSessions).where(inArray(cameraSessions.consentId, oldConsents))
  const consentRows = await tx
    .delete(consents)
    .where(and(eq(consents.officeId, officeId), lt(consents.grantedAt, cutoff('consents'))))
    .returning({ id: consents.id })
  add('consents', consentRows.length)

  add('audit-log', await deleteAuditBefore(tx, eq(auditLog.officeId, officeId), cutoff('audit-log')))
  // a closed request is evidence of how it was handled, kept as long as the audit trail that records it
  const requests = await tx
    .delete(dataRequests)
    .where(
      and(
        eq(dataRequests.officeId, officeId),
        ne(dataRequests.status, 'open'),
        lt(dataRequests.completedAt, cutoff('audit-log')),
      ),
    )
    .returning({ id: dataRequests.id })
  add('data-requests', requests.length)
  return policy['audit-log']!
}

// with the demo removal (models/demo/remove.ts), the only code that deletes audit rows: the trigger lets it
// through while the guard is up in this tx (test/server/console-audit.test.ts names both files)
async function deleteAuditBefore(tx: Tx, which: SQL, before: number) {
  await tx.update(auditGuard).set({ purging: 1 }).where(eq(auditGuard.id, 1))
  const gone = await tx
    .delete(auditLog)
    .where(and(which, lt(auditLog.at, before)))
    .returning({ id: auditLog.id })
  await tx.update(auditGuard).set({ purging: 0 }).where(eq(auditGuard.id, 1))
  return gone.length
}

const housekeepingDays = 2

// spent single-use token ids and station-event idempotency keys: no personal data, only clutter
async function purgeHousekeeping(tx: Tx, now: number, counts: PurgeCounts) {
  const tokens = await tx
    .delete(usedTokens)
    .where(lt(usedTokens.expiresAt, now))
    .returning({ jti: usedTokens.jti })
  counts['used-tokens'] = tokens.length
  const events = await tx
    .delete(stationEvents)
    .where(lt(stationEvents.receivedAt, now - housekeepingDays * day))
    .returning({ id: stationEvents.id })
  counts['station-events'] = events.length
  counts['entrance-codes'] = await purgeEntranceCodes(tx, now - housekeepingDays * day)
}

export type PurgeTrigger = 'start' | 'schedule' | 'manual'

// the scheduled purge: deletes, records the run, then hands freed pages back so deleted bytes leave the file
export async function purgeExpired({
  database,
  now,
  trigger,
  clock = () => now,
  officeId = null,
}: {
  database: Database
  now: number
  trigger: PurgeTrigger
  // measures the run's duration (the test clock does not move by itself)
  clock?: () => number
  // a privacy officer's manual run purges their own office only; null = every office and the housekeeping
  officeId?: string | null
}) {
  const startedAt = clock()
  const counts: PurgeCounts = {}
  const byOffice: Record<string, PurgeCounts> = {}
  const id = newId()
  let error: string | null = null
  try {
    await database.write(async (tx) => {
      const targets = officeId ? [{ id: officeId }] : await tx.select({ id: offices.id }).from(offices)
      // rows of no office (system runs, anonymous refusals) are kept as long as the longest office period
      let longestAuditDays = retentionDefaults['audit-log']
      for (const office of targets) {
        const own = (byOffice[office.id] = {})
        longestAuditDays = Math.max(longestAuditDays, await purgeOffice(tx, office.id, now, counts, own))
      }
      if (officeId) return
      counts['audit-log'] =
        (counts['audit-log'] ?? 0) +
        (await deleteAuditBefore(tx, isNull(auditLog.officeId), now - longestAuditDays * day))
      await purgeHousekeeping(tx, now, counts)
    })
    // deleted bytes leave the file now; a failure here is the run's failure, shown in the purge list
    await reclaimFreedSpace(database)
  } catch (failure) {
    error = String(failure)
  }
  const durationMs = Math.max(0, Math.round(clock() - startedAt))
  await database.write(async (tx) => {
    await tx.insert(purgeRuns).values({
      id,
      startedAt: now,
      durationMs,
      trigger,
      deleted: JSON.stringify(counts),
      officeCounts: JSON.stringify(byOffice),
      officeId,
      error,
    })
    // one row per office, in that office's audit log; the totals in a row of no office (the operator's)
    const action = error ? 'retention.purge-failed' : 'retention.purged'
    for (const [office, deleted] of Object.entries(byOffice))
      await appendAudit(tx, {
        at: now,
        officeId: office,
        actorType: 'system',
        action,
        target: id,
        detail: { trigger, deleted },
      })
    if (!officeId)
      await appendAudit(tx, {
        at: now,
        actorType: 'system',
        action,
        target: id,
        detail: { trigger, deleted: counts },
      })
  })
  return { id, deleted: counts, error, durationMs }
}

// incremental vacuum drops freed pages from the file; a truncating checkpoint empties the WAL of old page images.
// executeMultiple steps the pragma to completion (stepping it as a row query fails with SQLITE_LOCKED on many pages)
export async function reclaimFreedSpace(database: Database) {
  if (!database.url.startsWith('file:')) return
  await database.client.executeMultiple('PRAGMA incremental_vacuum;')
  await database.client.execute('PRAGMA wal_checkpoint(TRUNCATE)')
}

// after a deletion outside the purge: reclaim now if the file is free, else the next purge does (never throws)
export async function reclaimFreedSpaceSoon(database: Database): Promise<string | null> {
  return reclaimFreedSpace(database).then(
    () => null,
    (error) => String(error),
  )
}

// with an office: the runs that covered it (every scheduled run, its own manual ones), showing its own counts
// only; without: every run with the totals (operator, tests)
export async function listPurgeRuns(
  db: Db,
  { officeId, limit = 50 }: { officeId?: string; limit?: number } = {},
) {
  const rows = await db
    .select()
    .from(purgeRuns)
    .where(officeId ? or(isNull(purgeRuns.officeId), eq(purgeRuns.officeId, officeId)) : undefined)
    .orderBy(desc(purgeRuns.startedAt))
    .limit(limit)
  return rows.map((r) => ({
    ...r,
    deleted: officeId
      ? ((JSON.parse(r.officeCounts) as Record<string, PurgeCounts>)[officeId] ?? {})
      : (JSON.parse(r.deleted) as PurgeCounts),
  }))
}
