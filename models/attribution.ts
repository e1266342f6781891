// Channel attribution (判客) without faces: a pure decision from signed referrals, phone hashes and visit history.
// Every outcome carries a reason code that staff and brokers see in plain words (views/attribution-text.ts).

export type ReferralFacts = {
  id: string
  brokerId: string
  createdAt: number
  expiresAt: number
  // registrations made in a pre-registration window count only from this time (null = at once)
  validFrom?: number | null
  phoneHash: string | null
  // another visitor already arrived on this referral
  boundToOtherVisitor: boolean
  // ruled invalid when it was registered (daily cap, outside the window, already registered by another broker)
  ruledInvalid?: boolean
  // registered at another office of the same developer: judged by that office's rules, in the version it was
  // registered under (its protection window and minimum advance time), not by the rules of the arrival office
  otherOffice?: { officeId: string; protectionMs: number; minAdvanceMs: number } | null
}

export type AttributionInput = {
  now: number
  protectionMs: number
  // a registration must be at least this old when the client arrives (rules: minimum advance time)
  minAdvanceMs?: number
  // the referral this visitor opened (/r/:token), if any
  referral: ReferralFacts | null
  visitorPhoneHash: string | null
  // earlier visits of this visitor (by visit pass or phone hash): their times and channels
  earlierVisits: { checkedInAt: number; channel: 'walk-in' | 'broker' }[]
  // other referrals still pending for the same phone hash at this office or another office of its developer
  competingReferrals: ReferralFacts[]
}

export type AttributionReason =
  | 'no-referral'
  | 'referral'
  | 'referral-other-office'
  | 'referral-expired'
  | 'referral-used'
  | 'walk-in-before-referral'
  | 'earlier-referral-wins'
  | 'registered-too-late'
  | 'not-yet-valid'
  | 'referral-invalid'

export type ReferralRuling = {
  referralId: string
  status: 'arrived' | 'expired' | 'disputed' | 'invalid'
  reason: AttributionReason
  evidenceAt?: number
}

export type Attribution = {
  channel: 'walk-in' | 'broker'
  brokerId: string | null
  referralId: string | null
  // the other office of the developer where the winning referral was registered (null: this office)
  referralOfficeId: string | null
  reason: AttributionReason
  firstVisit: boolean
  // what happens to each referral involved, with the reason the broker is shown
  rulings: ReferralRuling[]
  evidenceAt?: number
}

export function attribute(input: AttributionInput): Attribution {
  const firstVisit = input.earlierVisits.length === 0
  const walkIn = (
    reason: AttributionReason,
    rulings: ReferralRuling[] = [],
    evidenceAt?: number,
  ): Attribution => ({
    channel: 'walk-in',
    brokerId: null,
    referralId: null,
    referralOfficeId: null,
    reason,
    firstVisit,
    rulings,
    evidenceAt,
  })
  const minAdvance = input.minAdvanceMs ?? 0
  const tooLate = (r: ReferralFacts) => input.now - r.createdAt < (r.otherOffice?.minAdvanceMs ?? minAdvance)
  const notYet = (r: ReferralFacts) => r.validFrom != null && input.now < r.validFrom
  const live = (r: ReferralFacts) =>
    r.expiresAt > input.now && !r.boundToOtherVisitor && !r.ruledInvalid && !tooLate(r) && !notYet(r)
  const opened = input.referral

  // candidates: the referral the visitor opened plus pending referrals for the same phone; earliest valid wins
  const candidates = [
    ...(opened ? [opened] : []),
    ...input.competingReferrals.filter((r) => r.id !== opened?.id),
  ]
  const samePhone = (r: ReferralFacts) =>
    r.id === opened?.id || (input.visitorPhoneHash !== null && r.phoneHash === input.visitorPhoneHash)
  const valid = candidates.filter((r) => live(r) && samePhone(r)).sort((a, b) => a.createdAt - b.createdAt)

  if (!opened && valid.length === 0) return walkIn('no-referral')
  if (opened && valid.length === 0) {
    if (opened.boundToOtherVisitor) return walkIn('referral-used')
    if (opened.ruledInvalid) return walkIn('referral-invalid')
    if (opened.expiresAt > input.now && tooLate(opened)) {
      return walkIn('registered-too-late', [
        { referralId: opened.id, status: 'invalid', reason: 'registered-too-late' },
      ])
    }
    if (opened.expiresAt > input.now && notYet(opened)) {
      return walkIn('not-yet-valid', [{ referralId: opened.id, status: 'invalid', reason: 'not-yet-valid' }])
    }
    return walkIn('referral-expired', [
      { referralId: opened.id, status: 'expired', reason: 'referral-expired' },
    ])
  }

  const winner = valid[0]!
  const protectionMs = winner.otherOffice?.protectionMs ?? input.protectionMs
  // the client had already come on their own, within the protection window, before the broker registered them
  const earlierWalkIn = input.earlierVisits
    .filter(
      (v) =>
        v.channel === 'walk-in' &&
        v.checkedInAt < winner.createdAt &&
        winner.createdAt - v.checkedInAt <= protectionMs,
    )
    .sort((a, b) => a.checkedInAt - b.checkedInAt)[0]
  if (earlierWalkIn) {
    return walkIn(
      'walk-in-before-referral',
      valid.map((r) => ({
        referralId: r.id,
        status: 'disputed',
        reason: 'walk-in-before-referral',
        evidenceAt: earlierWalkIn.checkedInAt,
      })),
      earlierWalkIn.checkedInAt,
    )
  }
  const losers: ReferralRuling[] = valid.slice(1).map((r) => ({
    referralId: r.id,
    status: 'invalid',
    reason: 'earlier-referral-wins',
    evidenceAt: winner.createdAt,
  }))
  // a registration at a sibling office says so (staff and the broker see where it was made)
  const reason: AttributionReason = winner.otherOffice
    ? 'referral-other-office'
    : opened && winner.id !== opened.id
      ? 'earlier-referral-wins'
      : 'referral'
  return {
    channel: 'broker',
    brokerId: winner.brokerId,
    referralId: winner.id,
    referralOfficeId: winner.otherOffice?.officeId ?? null,
    reason,
    firstVisit,
    rulings: [{ referralId: winner.id, status: 'arrived', reason: 'referral' }, ...losers],
  }
}
