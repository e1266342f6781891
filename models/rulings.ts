// 判客 at registration time: a pure decision from the office's rules and faceless facts (times, counts, phone hashes).
import type { ChannelRuleBody } from './channel-rules.ts'

export type RegistrationFacts = {
  now: number
  rules: ChannelRuleBody
  // office-local minutes since midnight at `now`, and the office's day boundaries
  localMinutes: number
  startOfNextDay: number
  endOfDay: (at: number) => number
  // registrations this broker already made today (local day)
  brokerRegistrationsToday: number
  // another broker's earlier registration of the same phone that is still valid, at this office or another
  // office of the same developer (officeId says which; absent = this office)
  earlierRegistration: { referralId: string; createdAt: number; officeId?: string } | null
  // the same phone's own earlier visit (walk-in) within the protection window, if any
  earlierWalkInAt: number | null
}

export type RegistrationReason =
  | 'registered'
  | 'daily-cap-reached'
  | 'outside-registration-window'
  | 'already-registered'
  | 'walk-in-before-referral'

export type RegistrationRuling = {
  status: 'pending' | 'invalid' | 'disputed'
  reason: RegistrationReason
  validFrom: number | null
  expiresAt: number
  evidenceAt: number | null
  conflictReferralId: string | null
  // where the registration this one lost to was made (the broker is told the office)
  conflictOfficeId: string | null
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))

export function protectionLength(
  rules: ChannelRuleBody,
  from: number,
  endOfDay: (at: number) => number,
): number {
  switch (rules.protection) {
    case 'same-day':
      return endOfDay(from) - from
    case '1-day':
      return 86400_000
    case '7-days':
      return 7 * 86400_000
    case '30-days':
      return 30 * 86400_000
  }
}

export function ruleRegistration(f: RegistrationFacts): RegistrationRuling {
  const windowed = f.rules.windowFrom !== null && f.rules.windowTo !== null
  // a window registration counts for the next local day; otherwise from now
  const validFrom = windowed ? f.startOfNextDay : null
  const start = validFrom ?? f.now
  const expiresAt = start + protectionLength(f.rules, start, f.endOfDay)
  const ruling = (
    status: RegistrationRuling['status'],
    reason: RegistrationReason,
    extra: Partial<RegistrationRuling> = {},
  ): RegistrationRuling => ({
    status,
    reason,
    validFrom,
    expiresAt,
    evidenceAt: null,
    conflictReferralId: null,
    conflictOfficeId: null,
    ...extra,
  })

  if (f.rules.dailyCap !== null && f.brokerRegistrationsToday >= f.rules.dailyCap)
    return ruling('invalid', 'daily-cap-reached')
  if (windowed) {
    const from = minutesOf(f.rules.windowFrom!)
    const to = minutesOf(f.rules.windowTo!)
    // the window includes its first minute and ends before its last (18:00–21:00: 18:00 … 20:59)
    if (f.localMinutes < from || f.localMinutes >= to) return ruling('invalid', 'outside-registration-window')
  }
  if (f.earlierRegistration) {
    return ruling('invalid', 'already-registered', {
      evidenceAt: f.earlierRegistration.createdAt,
      conflictReferralId: f.earlierRegistration.referralId,
      conflictOfficeId: f.earlierRegistration.officeId ?? null,
    })
  }
  if (f.earlierWalkInAt !== null)
    return ruling('disputed', 'walk-in-before-referral', { evidenceAt: f.earlierWalkInAt })
  return ruling('pending', 'registered')
}
