// Attribution and referral reasons in plain words, for staff, brokers and visitors alike.
import type { Language } from '../models/consents.ts'

const reasons = {
  'zh-CN': {
    'no-referral': '自然来访：没有有效的渠道报备。',
    referral: '渠道来访：客户持有效报备到访，归属报备经纪人。',
    registered: '已报备，等待客户到访。',
    'referral-expired': '报备已过保护期，按自然来访处理。',
    'referral-used': '该报备二维码已被另一位客户使用，不能重复使用。',
    'walk-in-before-referral': '有争议：该手机号在报备之前已自行到访（见日期），按自然来访处理。',
    'earlier-referral-wins': '同一客户有更早的有效报备，归属更早报备的经纪人。',
  },
  en: {
    'no-referral': 'Walk-in: no valid broker registration.',
    referral: 'Broker visit: the client arrived on a valid registration and belongs to that broker.',
    registered: 'Registered; waiting for the client to arrive.',
    'referral-expired': 'The registration is past its protection period; counted as a walk-in.',
    'referral-used': 'This registration QR was already used by another client and cannot be used again.',
    'walk-in-before-referral':
      'Disputed: this phone number had already visited on its own before the registration (see date); counted as a walk-in.',
    'earlier-referral-wins':
      'The same client has an earlier valid registration; the earlier broker gets the client.',
  },
} as const

export type ReasonCode = keyof (typeof reasons)['en']

export function reasonText(lang: Language, code: string): string {
  return (reasons[lang] as Record<string, string>)[code] ?? code
}

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

export function formatTime(lang: Language, at: number, timeZone: string): string {
  return new Intl.DateTimeFormat(lang, { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(at)
}
