// Broker pre-registrations (报备) and what became of each: the faceless evidence for channel attribution.
import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core'
import { offices } from './offices.ts'
import { brokers } from './staff.ts'
import { visits, visitors } from './visits.ts'
import { and, desc, eq, gte } from 'drizzle-orm'
import { z } from 'zod'
import type { Db, Tx } from './db.ts'
import { newId } from './ids.ts'
import type { ProtectedPhone } from './phone.ts'

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

// 报备: registers a client for a broker; disputed at once if that phone already came on their own recently
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
  const [office] = await tx.select().from(offices).where(eq(offices.id, valid.officeId))
  if (!office) throw new Error('unknown office')
  const protectionMs = office.protectionDays * 86400_000
  let status: ReferralStatus = 'pending'
  let reason = 'registered'
  let evidenceAt: number | null = null
  if (phone) {
    const [earlier] = await tx
      .select({ checkedInAt: visits.checkedInAt })
      .from(visits)
      .innerJoin(visitors, eq(visits.visitorId, visitors.id))
      .where(
        and(
          eq(visitors.officeId, valid.officeId),
          eq(visitors.phoneHash, phone.phoneHash),
          eq(visits.channel, 'walk-in'),
          gte(visits.checkedInAt, now - protectionMs),
        ),
      )
      .orderBy(visits.checkedInAt)
      .limit(1)
    if (earlier) {
      status = 'disputed'
      reason = 'walk-in-before-referral'
      evidenceAt = earlier.checkedInAt
    }
  }
  const id = newId()
  const expiresAt = now + protectionMs
  await tx.insert(referrals).values({
    id,
    officeId: valid.officeId,
    brokerId: valid.brokerId,
    clientLabel: valid.clientLabel,
    phoneHash: phone?.phoneHash ?? null,
    phoneMasked: phone?.phoneMasked ?? null,
    createdAt: now,
    expiresAt,
    status,
    reason,
    evidenceAt,
  })
  return { id, expiresAt, status, reason, evidenceAt }
}

// a broker's referrals, newest first; a pending one past its protection period reads as expired
export async function listBrokerReferrals(db: Db, brokerId: string, now: number) {
  const rows = await db
    .select()
    .from(referrals)
    .where(eq(referrals.brokerId, brokerId))
    .orderBy(desc(referrals.createdAt))
    .limit(200)
  return rows.map((r) =>
    r.status === 'pending' && r.expiresAt <= now
      ? { ...r, status: 'expired' as const, reason: 'referral-expired' }
      : r,
  )
}

export async function getReferral(db: Db, id: string) {
  const [referral] = await db.select().from(referrals).where(eq(referrals.id, id))
  return referral ?? null
}
