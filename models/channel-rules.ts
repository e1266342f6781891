// 报备 rules per office (versioned; every ruling records the version it applied) and broker appeals (申诉).
import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { and, desc, eq } from 'drizzle-orm'
import { z } from 'zod'
import { forgetInTx, memoInTx } from './tx-memo.ts'
import { offices } from './offices.ts'
import { brokers } from './staff.ts'
import { referrals } from './referrals.ts'
import type { Db, Tx } from './db.ts'
import { newId } from './ids.ts'

export const protectionKinds = ['same-day', '1-day', '7-days', '30-days'] as const
export const arrivalProofs = ['client-scan', 'broker-present'] as const
export const appealDecisions = ['upheld', 'overturned'] as const
// 客户归属: how long a consultant keeps a client (days; null = no ownership), and who serves an owned client
// whose owner is off duty: nobody else (wait for the owner) or the rotation on the owner's behalf (代接)
export const ownershipDayChoices = [30, 60, 90, 180, 365] as const
export const ownerAwayRules = ['wait', 'cover'] as const
export const ownershipRules = z.object({
  days: z.number().int().min(1).max(365).nullable(),
  ownerAway: z.enum(ownerAwayRules),
  // serving one's own returning client counts as one's turn in the rotation
  countsAsTurn: z.boolean(),
})
export type OwnershipRules = z.infer<typeof ownershipRules>
export const defaultOwnership: OwnershipRules = { days: 90, ownerAway: 'cover', countsAsTurn: false }

export const channelRules = sqliteTable(
  'channel_rules',
  {
    id: text().primaryKey(),
    officeId: text()
      .notNull()
      .references(() => offices.id),
    version: integer().notNull(),
    // JSON of ChannelRuleBody
    body: text().notNull(),
    createdAt: integer().notNull(),
    createdBy: text(),
  },
  (t) => [
    // serves: the current rules of an office (highest version) and a ruling's rule version
    uniqueIndex('channel_rules_office_version_idx').on(t.officeId, t.version),
  ],
)

export const appeals = sqliteTable(
  'appeals',
  {
    id: text().primaryKey(),
    officeId: text()
      .notNull()
      .references(() => offices.id),
    referralId: text()
      .notNull()
      .references(() => referrals.id, { onDelete: 'cascade' }),
    brokerId: text()
      .notNull()
      .references(() => brokers.id),
    reason: text().notNull(),
    createdAt: integer().notNull(),
    decision: text({ enum: appealDecisions }),
    decisionReason: text(),
    decidedAt: integer(),
    decidedBy: text(),
  },
  (t) => [
    // serves: open appeals of an office for the manager; a broker's appeals on their referral page
    index('appeals_office_idx').on(t.officeId, t.decidedAt),
    index('appeals_referral_idx').on(t.referralId),
  ],
)

export const ruleBody = z
  .object({
    // a registration must be made at least this long before the client arrives (0 = any time before)
    minAdvanceMinutes: z
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 60),
    // optional registration window (local time, HH:MM) on the day before the visit, e.g. 18:00–21:00
    windowFrom: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/)
      .nullable(),
    windowTo: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/)
      .nullable(),
    protection: z.enum(protectionKinds),
    // registrations a broker may make per local day (null = no cap)
    dailyCap: z.number().int().min(1).max(1000).nullable(),
    // what proves the broker's client arrived: the client's own scans, or the broker present too (带看)
    arrivalProof: z.enum(arrivalProofs),
    // rules saved before ownership existed read as the defaults
    ownership: ownershipRules.default(defaultOwnership),
  })
  .refine(
    (b) => (b.windowFrom === null) === (b.windowTo === null) && (!b.windowFrom || b.windowFrom < b.windowTo!),
    {
      message: 'a registration window needs a start before its end',
    },
  )
export type ChannelRuleBody = z.infer<typeof ruleBody>

export const defaultRules: ChannelRuleBody = {
  minAdvanceMinutes: 0,
  windowFrom: null,
  windowTo: null,
  protection: '30-days',
  dailyCap: null,
  arrivalProof: 'client-scan',
  ownership: defaultOwnership,
}

export type CurrentRules = { version: number; body: ChannelRuleBody }

// version 0 = the defaults, before a manager saved any rules
export function currentRules(db: Db | Tx, officeId: string): Promise<CurrentRules> {
  return memoInTx(db, `rules:${officeId}`, async () => {
    const [row] = await db
      .select()
      .from(channelRules)
      .where(eq(channelRules.officeId, officeId))
      .orderBy(desc(channelRules.version))
      .limit(1)
    return row
      ? { version: row.version, body: ruleBody.parse(JSON.parse(row.body)) }
      : { version: 0, body: defaultRules }
  })
}

export async function saveRules({
  tx,
  input,
  now,
}: {
  tx: Tx
  input: { officeId: string; body: z.input<typeof ruleBody>; createdBy: string }
  now: number
}) {
  const body = ruleBody.parse(input.body)
  const { version } = await currentRules(tx, input.officeId)
  await tx.insert(channelRules).values({
    id: newId(),
    officeId: input.officeId,
    version: version + 1,
    body: JSON.stringify(body),
    createdAt: now,
    createdBy: input.createdBy,
  })
  forgetInTx(tx, `rules:${input.officeId}`)
  return version + 1
}

export async function rulesVersion(db: Db | Tx, officeId: string, version: number): Promise<ChannelRuleBody> {
  if (version === 0) return defaultRules
  const [row] = await db
    .select()
    .from(channelRules)
    .where(and(eq(channelRules.officeId, officeId), eq(channelRules.version, version)))
  return row ? ruleBody.parse(JSON.parse(row.body)) : defaultRules
}
