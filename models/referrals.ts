// Broker pre-registrations (报备) and what became of each: the faceless evidence for channel attribution.
import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core'
import { getOffice, offices } from './offices.ts'
import { brokers } from './staff.ts'
import { visits, visitors } from './visits.ts'
import { and, count, desc, eq, gt, gte, inArray, ne } from 'drizzle-orm'
import { z } from 'zod'
import type { Db, Tx } from './db.ts'
import { newId } from './ids.ts'
import type { ProtectedPhone } from './phone.ts'
import { currentRules } from './channel-rules.ts'
import { developerOffices } from './developers.ts'
import { ruleRegistration, protectionLength, type RegistrationFacts } from './rulings.ts'
import { endOfLocalDay, localHour, localMinute } from './time.ts'

export const referralStatuses = ['pending', 'arrived', 'expired', 'disputed', 'invalid'] as const
export type ReferralStatus = (typeof referralStatuses)[number]

export const referrals = sqliteTable(
  'referrals',
  {
    id: text().primaryKey(),
    officeId: text()
      .notNull()
      .references(() => offices.id),
    brokerId: text()
      .notNull()
      .references(() => brokers.id),
    // optional client phone, hash + mask only (never the number)
    phoneHash: text(),
    phoneMasked: text(),
    // broker's own label for the client (e.g. "王先生"); personal data, purged with the referral
    clientLabel: text().notNull().default(''),
    createdAt: integer().notNull(),
    expiresAt: integer().notNull(),
    status: text({ enum: referralStatuses }).notNull().default('pending'),
    // machine-readable rule behind the status; rendered in words to broker and staff
    reason: text().notNull().default('registered'),
    // date of the earlier walk-in that disputes this referral (evidence without a face)
    evidenceAt: integer(),
    visitId: text().references(() => visits.id, { onDelete: 'set null' }),
    arrivedAt: integer(),
    // version of the office's channel rules this referral was ruled under (0 = defaults)
    ruleVersion: integer().notNull().default(0),
    // registrations made in a pre-registration window count from the next local day
    validFrom: integer(),
    // 带看: the broker confirmed "I am here with this client" (到访确认), or the sales desk confirmed it
    brokerPresentAt: integer(),
    deskConfirmedAt: integer(),
    deskConfirmedBy: text(),
    // the other referral this one lost to (or beat) under "first valid wins"; shown with its broker and date
    conflictReferralId: text(),
    // set when a manager overturned the ruling on appeal
    overturnedAt: integer(),
  },
  (t) => [
    // serves: a broker's own referral list
    index('referrals_broker_idx').on(t.brokerId, t.createdAt),
    // serves: "earlier valid referral for this phone wins"
    index('referrals_phone_idx').on(t.officeId, t.phoneHash),
  ],
)

export const newReferralInput = z.object({
  officeId: z.string().min(1),
  brokerId: z.string().min(1),
  clientLabel: z.string().trim().max(40).default(''),
})

// 报备: registers a client for a broker under the office's current rules; the ruling and its rule version are kept
export async function createReferral({
  tx,
  input,
  phone,
  now,
}: {
  tx: Tx
  input: z.input<typeof newReferralInput>
  phone: ProtectedPhone | null
  now: number
}) {
  const valid = newReferralInput.parse(input)
  const office = await getOffice(tx, valid.officeId)
  if (!office) throw new Error('unknown office')
  const rules = await currentRules(tx, office.id)
  const endOfDay = (at: number) => endOfLocalDay(at, office.timeZone)
  const startOfDay = endOfDay(now) - 86400_000
  const [today] = await tx
    .select({ n: count() })
    .from(referrals)
    .where(and(eq(referrals.brokerId, valid.brokerId), gte(referrals.createdAt, startOfDay)))
  let earlierRegistration: RegistrationFacts['earlierRegistration'] = null
  let earlierWalkInAt: number | null = null
  if (phone) {
    // a valid registration at any office of the same developer protects the client here too
    const siblings = await developerOffices(tx, office.id)
    const [other] = await tx
      .select({ id: referrals.id, createdAt: referrals.createdAt, officeId: referrals.officeId })
      .from(referrals)
      .where(
        and(
          inArray(
            referrals.officeId,
            siblings.map((o) => o.id),
          ),
          eq(referrals.phoneHash, phone.phoneHash),
          ne(referrals.brokerId, valid.brokerId),
          inArray(referrals.status, ['pending', 'arrived']),
          gt(referrals.expiresAt, now),
        ),
      )
      .orderBy(referrals.createdAt)
      .limit(1)
    earlierRegistration = other
      ? { referralId: other.id, createdAt: other.createdAt, officeId: other.officeId }
      : null
    const [walkIn] = await tx
      .select({ checkedInAt: visits.checkedInAt })
      .from(visits)
      .innerJoin(visitors, eq(visits.visitorId, visitors.id))
      .where(
        and(
          eq(visitors.officeId, office.id),
          eq(visitors.phoneHash, phone.phoneHash),
          eq(visits.channel, 'walk-in'),
          gte(visits.checkedInAt, now - protectionLength(rules.body, now, endOfDay)),
        ),
      )
      .orderBy(visits.checkedInAt)
      .limit(1)
    earlierWalkInAt = walkIn?.checkedInAt ?? null
  }
  const ruling = ruleRegistration({
    now,
    rules: rules.body,
    localMinutes: localHour(now, office.timeZone) * 60 + localMinute(now, office.timeZone),
    startOfNextDay: endOfDay(now),
    endOfDay,
    brokerRegistrationsToday: today?.n ?? 0,
    earlierRegistration,
    earlierWalkInAt,
  })
  const id = newId()
  await tx.insert(referrals).values({
    id,
    officeId: valid.officeId,
    brokerId: valid.brokerId,
    clientLabel: valid.clientLabel,
    phoneHash: phone?.phoneHash ?? null,
    phoneMasked: phone?.phoneMasked ?? null,
    createdAt: now,
    expiresAt: ruling.expiresAt,
    validFrom: ruling.validFrom,
    status: ruling.status,
    reason: ruling.reason,
    evidenceAt: ruling.evidenceAt,
    conflictReferralId: ruling.conflictReferralId,
    ruleVersion: rules.version,
  })
  return { id, ...ruling, ruleVersion: rules.version }
}

// what a broker or manager sees of a referral: a pending one past its protection period reads as expired,
// and a registration that lost to another names that broker and the office where it was made
export async function withRulingDetails(db: Db, rows: (typeof referrals.$inferSelect)[], now: number) {
  const conflictIds = [...new Set(rows.map((r) => r.conflictReferralId).filter((id): id is string => !!id))]
  const conflicts = conflictIds.length
    ? await db
        .select({
          id: referrals.id,
          broker: brokers.displayName,
          office: { name: offices.name, nameEn: offices.nameEn },
        })
        .from(referrals)
        .innerJoin(brokers, eq(referrals.brokerId, brokers.id))
        .innerJoin(offices, eq(referrals.officeId, offices.id))
        .where(inArray(referrals.id, conflictIds))
    : []
  const conflictOf = new Map(conflicts.map((c) => [c.id, c]))
  return rows.map((r) => {
    const conflict = r.conflictReferralId ? conflictOf.get(r.conflictReferralId) : undefined
    return {
      ...(r.status === 'pending' && r.expiresAt <= now
        ? { ...r, status: 'expired' as const, reason: 'referral-expired' }
        : r),
      conflictBroker: conflict?.broker ?? null,
      conflictOffice: conflict?.office ?? null,
    }
  })
}

export async function listBrokerReferrals(db: Db, brokerId: string, now: number) {
  const rows = await db
    .select()
    .from(referrals)
    .where(eq(referrals.brokerId, brokerId))
    .orderBy(desc(referrals.createdAt))
    .limit(200)
  return withRulingDetails(db, rows, now)
}

export async function getReferral(db: Db, id: string) {
  const [referral] = await db.select().from(referrals).where(eq(referrals.id, id))
  return referral ?? null
}
