// Broker pre-registrations (报备) and what became of each: the faceless evidence for channel attribution.
import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core'
import { offices } from './offices.ts'
import { brokers } from './staff.ts'
import { visits } from './visits.ts'

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
