// Read-side queries of the privacy console: consent ledger, audit search, and the impact-assessment snapshot.
import { and, count, desc, eq, gte, inArray, isNotNull, like, lt, sql } from 'drizzle-orm'
import type { Db } from './db.ts'
import { offices, stations } from './offices.ts'
import { consents, cameraSessions, notices, languages, type Language } from './consents.ts'
import { visits } from './visits.ts'
import { auditLog } from './audit.ts'
import { staff } from './staff.ts'
import { dataRequests } from './privacy.ts'
import { retentionPolicy } from './retention.ts'
import { localDay } from './time.ts'

const day = 86400_000

export async function consentLedger(
  db: Db,
  officeId: string,
  { now, days = 30 }: { now: number; days?: number },
) {
  const [office] = await db.select().from(offices).where(eq(offices.id, officeId))
  const timeZone = office?.timeZone ?? 'Asia/Shanghai'
  const byVersion = await db
    .select({
      noticeId: notices.id,
      lang: notices.lang,
      version: notices.version,
      sha256: notices.sha256,
      publishedAt: notices.publishedAt,
      granted: count(consents.id),
      withdrawn: sql<number>`count(${consents.withdrawnAt})`,
    })
    .from(notices)
    .leftJoin(consents, eq(consents.noticeId, notices.id))
    .where(eq(notices.officeId, officeId))
    .groupBy(notices.id)
    .orderBy(notices.lang, desc(notices.version))
  const recent = await db
    .select({ grantedAt: consents.grantedAt, withdrawnAt: consents.withdrawnAt, scope: consents.scope })
    .from(consents)
    .where(and(eq(consents.officeId, officeId), gte(consents.grantedAt, now - days * day)))
  const buckets = new Map<string, { day: string; scope: string; granted: number; withdrawn: number }>()
  for (const row of recent) {
    const key = `${localDay(row.grantedAt, timeZone)}|${row.scope}`
    const bucket = buckets.get(key) ?? {
      day: localDay(row.grantedAt, timeZone),
      scope: row.scope,
      granted: 0,
      withdrawn: 0,
    }
    bucket.granted++
    if (row.withdrawnAt) bucket.withdrawn++
    buckets.set(key, bucket)
  }
  // withdrawal deletes the camera sessions in the same transaction: this must read 0
  const [lingering] = await db
    .select({ n: count() })
    .from(cameraSessions)
    .innerJoin(consents, eq(cameraSessions.consentId, consents.id))
    .where(and(eq(consents.officeId, officeId), isNotNull(consents.withdrawnAt)))
  const [withdrawals] = await db
    .select({ n: count() })
    .from(consents)
    .where(and(eq(consents.officeId, officeId), isNotNull(consents.withdrawnAt)))
  return {
    byVersion,
    byDay: [...buckets.values()].sort((a, b) => b.day.localeCompare(a.day) || a.scope.localeCompare(b.scope)),
    withdrawals: withdrawals?.n ?? 0,
    sessionsAfterWithdrawal: lingering?.n ?? 0,
  }
}

export async function findReceipt(db: Db, officeId: string, consentId: string) {
  const [row] = await db
    .select({
      id: consents.id,
      scope: consents.scope,
      givenAt: consents.givenAt,
      grantedAt: consents.grantedAt,
      withdrawnAt: consents.withdrawnAt,
      noticeSha256: consents.noticeSha256,
      linkedToVisit: sql<number>`${consents.visitId} is not null`,
      lang: notices.lang,
      version: notices.version,
    })
    .from(consents)
    .innerJoin(notices, eq(notices.id, consents.noticeId))
    .where(and(eq(consents.id, consentId), eq(consents.officeId, officeId)))
  return row ?? null
}

export type AuditFilter = { actor?: string; action?: string; from?: number; to?: number }

// rows of no office (sign-in attempts on unknown names, rate-limit floods, rejected tokens) belong to whoever
// runs the installation: shown when every office in the database is one company's, never across companies
export async function officeLessRowsVisible(db: Db): Promise<boolean> {
  const [row] = await db
    .select({
      companies: sql<number>`count(distinct coalesce(${offices.developerId}, 'office:' || ${offices.id}))`,
    })
    .from(offices)
  return (row?.companies ?? 0) <= 1
}

export async function searchAudit(db: Db, officeId: string, filter: AuditFilter, limit = 500) {
  const conditions = [
    (await officeLessRowsVisible(db))
      ? sql`(${auditLog.officeId} = ${officeId} or ${auditLog.officeId} is null)`
      : eq(auditLog.officeId, officeId),
  ]
  if (filter.actor) {
    const ids = db.select({ id: staff.id }).from(staff).where(eq(staff.username, filter.actor))
    conditions.push(sql`(${auditLog.actorId} = ${filter.actor} or ${inArray(auditLog.actorId, ids)})`)
  }
  if (filter.action) conditions.push(like(auditLog.action, `${filter.action.replace(/[%_]/g, '')}%`))
  if (filter.from !== undefined) conditions.push(gte(auditLog.at, filter.from))
  if (filter.to !== undefined) conditions.push(lt(auditLog.at, filter.to))
  return db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      actorType: auditLog.actorType,
      actorId: auditLog.actorId,
      actorName: staff.username,
      action: auditLog.action,
      target: auditLog.target,
      detail: auditLog.detail,
    })
    .from(auditLog)
    .leftJoin(staff, eq(staff.id, auditLog.actorId))
    .where(and(...conditions))
    .orderBy(desc(auditLog.id))
    .limit(limit)
}

export const securityMeasures = [
  'camera frames analysed on the screen itself; no image, face box or template leaves it or is stored',
  'phone numbers kept as keyed hash, mask and AES-GCM ciphertext; plain number only by an audited reveal',
  'staff access by an explicit permission table per role; every read of personal data audited',
  'append-only audit log (database triggers refuse edits)',
  'retention enforced by an hourly purge with secure delete and incremental vacuum',
  'signed, expiring tokens (jose) for check-in, referrals, receipts, stations and sessions',
  'served on the local network by default; nothing loaded from the internet',
  'exports aggregate only, k-anonymity threshold on small cells',
]

// a PIPL art. 55–56 assessment built from what the system is configured to do right now
export async function assessmentSnapshot(db: Db, officeId: string, now: number) {
  const [office] = await db.select().from(offices).where(eq(offices.id, officeId))
  if (!office) throw new Error('unknown office')
  const stationRows = await db.select().from(stations).where(eq(stations.officeId, officeId))
  const current = []
  for (const lang of languages) {
    const [notice] = await db
      .select({ lang: notices.lang, version: notices.version, sha256: notices.sha256 })
      .from(notices)
      .where(and(eq(notices.officeId, officeId), eq(notices.lang, lang)))
      .orderBy(desc(notices.version))
      .limit(1)
    if (notice) current.push(notice)
  }
  const since = now - 30 * day
  const [visitCount] = await db
    .select({ n: count() })
    .from(visits)
    .where(and(eq(visits.officeId, officeId), gte(visits.checkedInAt, since)))
  const [consentCount] = await db
    .select({ n: count(), withdrawn: sql<number>`count(${consents.withdrawnAt})` })
    .from(consents)
    .where(and(eq(consents.officeId, officeId), gte(consents.grantedAt, since)))
  const [open] = await db
    .select({ n: count() })
    .from(dataRequests)
    .where(and(eq(dataRequests.officeId, officeId), eq(dataRequests.status, 'open')))
  const visitsN = visitCount?.n ?? 0
  const consentsN = consentCount?.n ?? 0
  return {
    generatedAt: now,
    office: {
      name: office.name,
      nameEn: office.nameEn,
      processorName: office.processorName,
      privacyContact: office.privacyContact,
      protectionDays: office.protectionDays,
      kAnonymity: office.kAnonymity,
    },
    notices: current,
    stations: stationRows.map((s) => ({
      name: s.name,
      kind: s.kind,
      zone: s.zone,
      // entrance screens only show a QR code; kiosks and displays run the on-device detector after opt-in
      camera: s.kind !== 'entrance',
      paired: Boolean(s.deviceTokenId),
      revoked: Boolean(s.revokedAt),
    })),
    consentRate: {
      days: 30,
      visits: visitsN,
      consents: consentsN,
      withdrawn: Number(consentCount?.withdrawn ?? 0),
      rate: visitsN ? Math.round((consentsN / visitsN) * 1000) / 10 : null,
    },
    retention: await retentionPolicy(db, officeId),
    securityMeasures,
    recipients: [] as string[],
    openRequests: open?.n ?? 0,
  }
}

export type AssessmentBody = Awaited<ReturnType<typeof assessmentSnapshot>>

export async function listNoticeVersions(db: Db, officeId: string, lang: Language) {
  return db
    .select({
      id: notices.id,
      version: notices.version,
      sha256: notices.sha256,
      publishedAt: notices.publishedAt,
      publishedBy: notices.publishedBy,
    })
    .from(notices)
    .where(and(eq(notices.officeId, officeId), eq(notices.lang, lang)))
    .orderBy(desc(notices.version))
}
