// Visitors (random ids, optional phone kept as keyed hash + mask + ciphertext) and their visits.
import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core'
import { offices, stations } from './offices.ts'
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
