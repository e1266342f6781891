// Commission report for finance: per broker and period, attributed visits and the rulings behind them.
import { and, eq, gte, lt } from 'drizzle-orm'
import type { Db } from './db.ts'
import { referrals } from './referrals.ts'
import { brokers } from './staff.ts'
import { rulesVersion } from './channel-rules.ts'

export type CommissionRow = {
  brokerId: string
  broker: string
  company: string
  registered: number
  valid: number
  disputed: number
  invalid: number
  overturned: number
  brokerPresent: number
  // arrived under the rules' proof of arrival (with the broker present where the rules ask for it)
  payable: number
}

export async function commissionReport(
  db: Db,
  { officeId, from, to }: { officeId: string; from: number; to: number },
) {
  const rows = await db
    .select({ referral: referrals, broker: brokers.displayName, company: brokers.company })
    .from(referrals)
    .innerJoin(brokers, eq(referrals.brokerId, brokers.id))
    .where(and(eq(referrals.officeId, officeId), gte(referrals.createdAt, from), lt(referrals.createdAt, to)))
  const byBroker = new Map<string, CommissionRow>()
  const proofByVersion = new Map<number, string>()
  for (const { referral: r, broker, company } of rows) {
    let row = byBroker.get(r.brokerId)
    if (!row) {
      row = {
        brokerId: r.brokerId,
        broker,
        company,
        registered: 0,
        valid: 0,
        disputed: 0,
        invalid: 0,
        overturned: 0,
        brokerPresent: 0,
        payable: 0,
      }
      byBroker.set(r.brokerId, row)
    }
    row.registered++
    if (r.status === 'arrived') row.valid++
    if (r.status === 'disputed') row.disputed++
    if (r.status === 'invalid') row.invalid++
    if (r.overturnedAt) row.overturned++
    const present = r.brokerPresentAt !== null || r.deskConfirmedAt !== null
    if (present) row.brokerPresent++
    if (!proofByVersion.has(r.ruleVersion)) {
      proofByVersion.set(r.ruleVersion, (await rulesVersion(db, officeId, r.ruleVersion)).arrivalProof)
    }
    if (r.status === 'arrived' && (proofByVersion.get(r.ruleVersion) === 'client-scan' || present))
      row.payable++
  }
  return [...byBroker.values()].sort((a, b) => b.payable - a.payable || a.broker.localeCompare(b.broker))
}
