// Visitors (random ids, optional phone kept as keyed hash + mask + ciphertext) and their visits.
import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core'
import { and, desc, eq, inArray, sql } from 'drizzle-orm'
import { preparedInTx } from './tx-memo.ts'
import type { Db, Tx } from './db.ts'
import { newId } from './ids.ts'
import { localDay, endOfLocalDay } from './time.ts'
import { currentRules, rulesVersion } from './channel-rules.ts'
import { protectionLength } from './rulings.ts'
import type { ProtectedPhone } from './phone.ts'
import { attribute, type ReferralFacts } from './attribution.ts'
import { referrals } from './referrals.ts'
import { developerOffices, siblingRules } from './developers.ts'
import { getOffice, offices, stations } from './offices.ts'
import { staff, brokers } from './staff.ts'

export const channels = ['walk-in', 'broker'] as const
export type Channel = (typeof channels)[number]
export const visitStatuses = ['waiting', 'with-consultant', 'left'] as const
export type VisitStatus = (typeof visitStatuses)[number]

export const visitors = sqliteTable(
  'visitors',
  {
    id: text().primaryKey(),
    officeId: text()
      .notNull()
      .references(() => offices.id),
    // HMAC-SHA256 of the normalised number under the office's phone key; compare-only
    phoneHash: text(),
    // 138****1234: what staff see
    phoneMasked: text(),
    // AES-GCM ciphertext, opened only by an audited reveal
    phoneEncrypted: text(),
    createdAt: integer().notNull(),
  },
  (t) => [
    // serves: return-visit and referral-dispute lookups by phone hash
    index('visitors_phone_idx').on(t.officeId, t.phoneHash),
  ],
)

export const visits = sqliteTable(
  'visits',
  {
    id: text().primaryKey(),
    officeId: text()
      .notNull()
      .references(() => offices.id),
    // null once the visitor asked for deletion: the visit stays as an anonymous count
    visitorId: text().references(() => visitors.id, { onDelete: 'set null' }),
    // local calendar day of the office (YYYY-MM-DD)
    day: text().notNull(),
    checkedInAt: integer().notNull(),
    checkedOutAt: integer(),
    entranceStationId: text().references(() => stations.id),
    channel: text({ enum: channels }).notNull().default('walk-in'),
    brokerId: text().references(() => brokers.id),
    referralId: text(),
    // machine-readable rule that decided the channel; views render it in words
    attributionReason: text().notNull().default('no-referral'),
    firstVisit: integer({ mode: 'boolean' }).notNull(),
    // version of the channel rules the attribution applied
    ruleVersion: integer().notNull().default(0),
    status: text({ enum: visitStatuses }).notNull().default('waiting'),
    consultantId: text().references(() => staff.id),
    assignedAt: integer(),
    // optimistic concurrency for the reception queue
    revision: integer().notNull().default(0),
  },
  (t) => [
    // serves: today's arrivals on the dashboard, reports by day
    index('visits_office_day_idx').on(t.officeId, t.day, t.checkedInAt),
    // serves: "is this a return visit" and /me
    index('visits_visitor_idx').on(t.visitorId),
  ],
)

export const visitNotes = sqliteTable(
  'visit_notes',
  {
    id: text().primaryKey(),
    visitId: text()
      .notNull()
      .references(() => visits.id, { onDelete: 'cascade' }),
    staffId: text()
      .notNull()
      .references(() => staff.id),
    body: text().notNull(),
    createdAt: integer().notNull(),
  },
  (t) => [
    // serves: the notes on a visit detail page
    index('visit_notes_visit_idx').on(t.visitId),
  ],
)

// single-use tokens (referrals bound to one client, receipts withdrawn) by jti
export const usedTokens = sqliteTable(
  'used_tokens',
  {
    jti: text().primaryKey(),
    typ: text().notNull(),
    usedAt: integer().notNull(),
    // after this the token is expired anyway and the row can be purged
    expiresAt: integer().notNull(),
  },
  (t) => [
    // serves: purge of rows whose token has expired
    index('used_tokens_expiry_idx').on(t.expiresAt),
  ],
)

export type CheckInInput = {
  officeId: string
  stationId: string
  // the visit and visitor named by a visit pass already on this phone (what this browser created), if any
  passVisitId?: string | null
  passVisitorId: string | null
  phone: ProtectedPhone | null
  // the referral this visitor opened before arriving (/r/:token), if any
  referralId: string | null
}

// one check-in: this browser's own visit again for a second scan today; otherwise resolve the visitor,
// attribute, record. A phone number links the new visit to earlier ones (first visit or return, which
// referral wins) but never hands this browser an existing visit: knowing a number grants nothing.
export async function checkInVisit({ tx, input, now }: { tx: Tx; input: CheckInInput; now: number }) {
  const office = await getOffice(tx, input.officeId)
  if (!office) throw new Error('unknown office')
  const day = localDay(now, office.timeZone)

  if (input.passVisitId) {
    const [own] = await tx
      .select()
      .from(visits)
      .where(and(eq(visits.id, input.passVisitId), eq(visits.officeId, office.id), eq(visits.day, day)))
    if (own?.visitorId)
      return { visit: own, visitorId: own.visitorId, created: false as const, attribution: null }
  }
  let visitor = input.passVisitorId
    ? (
        await tx
          .select()
          .from(visitors)
          .where(and(eq(visitors.id, input.passVisitorId), eq(visitors.officeId, office.id)))
      )[0]
    : undefined
  if (!visitor && input.phone) {
    visitor = (
      await preparedInTx(tx, 'visits.visitor-by-phone', () =>
        tx
          .select()
          .from(visitors)
          .where(
            and(
              eq(visitors.officeId, sql.placeholder('officeId')),
              eq(visitors.phoneHash, sql.placeholder('phoneHash')),
            ),
          )
          .prepare(),
      ).all({ officeId: office.id, phoneHash: input.phone.phoneHash })
    )[0]
  }
  if (visitor) {
    if (input.phone && !visitor.phoneHash) {
      await tx.update(visitors).set(input.phone).where(eq(visitors.id, visitor.id))
      visitor = { ...visitor, ...input.phone }
    }
  } else {
    const id = newId()
    visitor = (
      await tx
        .insert(visitors)
        .values({ id, officeId: office.id, createdAt: now, ...(input.phone ?? {}) })
        .returning()
    )[0]!
  }

  const earlierVisits = await preparedInTx(tx, 'visits.earlier', () =>
    tx
      .select({ checkedInAt: visits.checkedInAt, channel: visits.channel })
      .from(visits)
      .where(eq(visits.visitorId, sql.placeholder('visitorId')))
      .prepare(),
  ).all({ visitorId: visitor.id })
  // a referral made at any office of the same developer protects the client here; other developers' never do
  const siblings = await developerOffices(tx, office.id)
  const siblingIds = siblings.map((o) => o.id)
  const facts = async (row: typeof referrals.$inferSelect): Promise<ReferralFacts> => {
    let boundToOtherVisitor = false
    if (row.visitId) {
      const [bound] = await tx
        .select({ visitorId: visits.visitorId })
        .from(visits)
        .where(eq(visits.id, row.visitId))
      boundToOtherVisitor = !!bound && bound.visitorId !== visitor!.id
    }
    return {
      id: row.id,
      brokerId: row.brokerId,
      createdAt: row.createdAt,
      // a registration in the pre-registration window counts from the next local day
      validFrom: row.validFrom,
      expiresAt: row.expiresAt,
      phoneHash: row.phoneHash,
      boundToOtherVisitor,
      ruledInvalid: row.status === 'invalid',
      otherOffice: row.officeId === office.id ? null : await siblingRules(tx, row, siblings, now),
    }
  }
  const [openedRow] = input.referralId
    ? await tx
        .select()
        .from(referrals)
        .where(and(eq(referrals.id, input.referralId), inArray(referrals.officeId, siblingIds)))
    : []
  const competingRows = visitor.phoneHash
    ? await tx
        .select()
        .from(referrals)
        .where(
          and(
            inArray(referrals.officeId, siblingIds),
            eq(referrals.phoneHash, visitor.phoneHash),
            eq(referrals.status, 'pending'),
          ),
        )
    : []
  // a referral is judged by the rules it was registered under; a visit without one by the current rules
  const ownRuleVersion =
    openedRow && openedRow.officeId === office.id
      ? openedRow.ruleVersion
      : (await currentRules(tx, office.id)).version
  const rules = await rulesVersion(tx, office.id, ownRuleVersion)
  const attribution = attribute({
    now,
    protectionMs: protectionLength(rules, now, (at) => endOfLocalDay(at, office.timeZone)),
    minAdvanceMs: rules.minAdvanceMinutes * 60_000,
    referral: openedRow ? await facts(openedRow) : null,
    visitorPhoneHash: visitor.phoneHash,
    earlierVisits,
    competingReferrals: await Promise.all(competingRows.map(facts)),
  })
  // won by a sibling office's referral: the visit records that referral's rule version (of its own office,
  // which visits.referralId → referrals.officeId names)
  const ruleVersion = attribution.referralOfficeId
    ? ([openedRow, ...competingRows].find((r) => r?.id === attribution.referralId)?.ruleVersion ??
      ownRuleVersion)
    : ownRuleVersion

  const visitId = newId()
  const [visit] = await tx
    .insert(visits)
    .values({
      id: visitId,
      officeId: office.id,
      visitorId: visitor.id,
      day,
      checkedInAt: now,
      entranceStationId: input.stationId,
      channel: attribution.channel,
      brokerId: attribution.brokerId,
      referralId: attribution.referralId,
      attributionReason: attribution.reason,
      firstVisit: attribution.firstVisit,
      ruleVersion,
    })
    .returning()
  for (const ruling of attribution.rulings) {
    await tx
      .update(referrals)
      .set({
        status: ruling.status,
        reason: ruling.reason,
        evidenceAt: ruling.evidenceAt ?? null,
        ...(ruling.status === 'arrived' || ruling.status === 'disputed' ? { visitId, arrivedAt: now } : {}),
      })
      .where(eq(referrals.id, ruling.referralId))
  }
  return { visit: visit!, visitorId: visitor.id, created: true as const, attribution }
}

export async function getVisit(db: Db, id: string) {
  const [visit] = await db.select().from(visits).where(eq(visits.id, id))
  return visit ?? null
}

export async function getVisitor(db: Db, id: string) {
  const [visitor] = await db.select().from(visitors).where(eq(visitors.id, id))
  return visitor ?? null
}
