// Attribution and referral reasons in plain words, for staff, brokers and visitors alike.
import type { Language } from '../models/consents.ts'

const reasons = {
  'zh-CN': {
    'no-referral': '自然来访：没有有效的渠道报备。',
    referral: '渠道来访：客户持有效报备到访，归属报备经纪人。',
    'referral-other-office':
      '渠道来访：客户持在同一开发商旗下「{office}」的有效报备到访，按该案场的报备规则归属报备经纪人。',
    registered: '已报备，等待客户到访。',
    'referral-expired': '报备已过保护期，按自然来访处理。',
    'referral-used': '该报备二维码已被另一位客户使用，不能重复使用。',
    'walk-in-before-referral': '有争议：该手机号在报备之前已自行到访（见日期），按自然来访处理。',
    'earlier-referral-wins': '同一客户有更早的有效报备，归属更早报备的经纪人。',
    'already-registered': '无效：该客户已由 {broker} 于 {date} 在「{office}」报备（先报备有效者优先）。',
    'daily-cap-reached': '无效：已达到每位经纪人每日报备上限。',
    'outside-registration-window': '无效：不在规定的报备时段内。',
    'registered-too-late': '无效：报备距到访时间过短，未满足提前报备要求。',
    'not-yet-valid': '无效：预报备自次日起生效，客户在生效前到访。',
    'referral-invalid': '该报备无效，按自然来访处理。',
    'appeal-overturned': '申诉成立：经理已改判，归属此报备。',
    'lost-on-appeal': '因另一经纪人申诉成立，此报备被改判无效。',
    'appeal-upheld': '申诉驳回：维持原判。',
  },
  en: {
    'no-referral': 'Walk-in: no valid broker registration.',
    referral: 'Broker visit: the client arrived on a valid registration and belongs to that broker.',
    'referral-other-office':
      'Broker visit: the client arrived on a valid registration made at “{office}”, another office of the same developer, and belongs to that broker under that office’s rules.',
    registered: 'Registered; waiting for the client to arrive.',
    'referral-expired': 'The registration is past its protection period; counted as a walk-in.',
    'referral-used': 'This registration QR was already used by another client and cannot be used again.',
    'walk-in-before-referral':
      'Disputed: this phone number had already visited on its own before the registration (see date); counted as a walk-in.',
    'earlier-referral-wins':
      'The same client has an earlier valid registration; the earlier broker gets the client.',
    'already-registered':
      'invalid: already registered by {broker} on {date} at “{office}” (the first valid registration wins).',
    'daily-cap-reached': 'invalid: the daily registration limit per broker is reached.',
    'outside-registration-window': 'invalid: made outside the registration window.',
    'registered-too-late': 'invalid: registered too short a time before the visit (minimum advance not met).',
    'not-yet-valid': 'invalid: a pre-registration counts from the next day; the client came before that.',
    'referral-invalid': 'This registration is not valid; counted as a walk-in.',
    'appeal-overturned': 'Appeal granted: the manager overturned the ruling in favour of this registration.',
    'lost-on-appeal': 'Overturned after another broker’s successful appeal.',
    'appeal-upheld': 'Appeal rejected: the ruling stands.',
  },
} as const

export type ReasonCode = keyof (typeof reasons)['en']

const someOffice = { 'zh-CN': '另一案场', en: 'another office' }

export type OfficeNames = { name: string; nameEn: string }

export function officeLabel(lang: Language, office: OfficeNames | null | undefined): string {
  if (!office) return someOffice[lang]
  return lang === 'en' ? office.nameEn || office.name : office.name
}

export function reasonText(
  lang: Language,
  code: string,
  fill: { broker?: string; date?: string; office?: OfficeNames | null } = {},
): string {
  const template = (reasons[lang] as Record<string, string>)[code] ?? code
  return template
    .replace('{broker}', fill.broker ?? '—')
    .replace('{date}', fill.date ?? '—')
    .replace('{office}', officeLabel(lang, fill.office))
}

// a referral's ruling in words, with its evidence: the earlier walk-in's date or the competing registration
// (its broker and the office where it was made, which may be another office of the same developer)
export function rulingText(
  lang: Language,
  r: {
    reason: string
    evidenceAt: number | null
    conflictBroker?: string | null
    conflictOffice?: OfficeNames | null
  },
  timeZone: string,
): string {
  // the day, never the minute: a broker learns only what the ruling needs (DESIGN.md invariant 10)
  const date = r.evidenceAt ? formatDay(lang, r.evidenceAt, timeZone) : undefined
  const text = reasonText(lang, r.reason, {
    broker: r.conflictBroker ?? undefined,
    date,
    office: r.conflictOffice,
  })
  if (r.reason === 'walk-in-before-referral' && date) return `${text} ${evidenceLabel[lang]} ${date}`
  return text
}

const evidenceLabel = { 'zh-CN': '证据：该号码自行到访于', en: 'Evidence: this number visited on its own on' }

export const referralStatusText = {
  'zh-CN': { pending: '待到访', arrived: '已到访', expired: '已过期', disputed: '有争议', invalid: '无效' },
  en: {
    pending: 'pending',
    arrived: 'arrived',
    expired: 'expired',
    disputed: 'disputed',
    invalid: 'invalid',
  },
} as const

export function formatDay(lang: Language, at: number, timeZone: string): string {
  return new Intl.DateTimeFormat(lang, { timeZone, dateStyle: 'medium' }).format(at)
}

export function formatTime(lang: Language, at: number, timeZone: string): string {
  return new Intl.DateTimeFormat(lang, { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(at)
}
