// 判客 rulings, table-driven: every rule combination and the edge minutes around each boundary (≥ 40 cases).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ruleRegistration, type RegistrationFacts } from '../../models/rulings.ts'
import { attribute, type AttributionInput, type ReferralFacts } from '../../models/attribution.ts'
import { defaultRules, type ChannelRuleBody } from '../../models/channel-rules.ts'
import { endOfLocalDay, localHour, localMinute } from '../../models/time.ts'

const tz = 'Asia/Shanghai'
const min = 60_000
const day = 86400_000
// 2026-11-23 in Shanghai; local HH:MM → epoch ms
const at = (hhmm: string, dayOffset = 0) => Date.parse(`2026-11-23T${hhmm}:00+08:00`) + dayOffset * day

function registration(now: number, rules: Partial<ChannelRuleBody>, facts: Partial<RegistrationFacts> = {}) {
  const endOfDay = (t: number) => endOfLocalDay(t, tz)
  return ruleRegistration({
    now,
    rules: { ...defaultRules, ...rules },
    localMinutes: localHour(now, tz) * 60 + localMinute(now, tz),
    startOfNextDay: endOfDay(now),
    endOfDay,
    brokerRegistrationsToday: 0,
    earlierRegistration: null,
    earlierWalkInAt: null,
    ...facts,
  })
}

type RegCase = [
  name: string,
  now: number,
  rules: Partial<ChannelRuleBody>,
  facts: Partial<RegistrationFacts>,
  status: string,
  reason: string,
]
const window = { windowFrom: '18:00', windowTo: '21:00' }
const registrationCases: RegCase[] = [
  ['no rules: registered', at('10:00'), {}, {}, 'pending', 'registered'],
  ['window 18–21: 17:59 is outside', at('17:59'), window, {}, 'invalid', 'outside-registration-window'],
  ['window 18–21: 18:00 is inside', at('18:00'), window, {}, 'pending', 'registered'],
  ['window 18–21: 20:59 is inside', at('20:59'), window, {}, 'pending', 'registered'],
  ['window 18–21: 21:00 is outside', at('21:00'), window, {}, 'invalid', 'outside-registration-window'],
  ['window 18–21: 00:30 is outside', at('00:30'), window, {}, 'invalid', 'outside-registration-window'],
  [
    'cap 3: the 3rd registration today is allowed',
    at('10:00'),
    { dailyCap: 3 },
    { brokerRegistrationsToday: 2 },
    'pending',
    'registered',
  ],
  [
    'cap 3: the 4th registration today is refused',
    at('10:00'),
    { dailyCap: 3 },
    { brokerRegistrationsToday: 3 },
    'invalid',
    'daily-cap-reached',
  ],
  [
    'cap 1: the first is allowed',
    at('10:00'),
    { dailyCap: 1 },
    { brokerRegistrationsToday: 0 },
    'pending',
    'registered',
  ],
  [
    'no cap: the 100th is allowed',
    at('10:00'),
    { dailyCap: null },
    { brokerRegistrationsToday: 99 },
    'pending',
    'registered',
  ],
  [
    'duplicate: another broker registered the phone first',
    at('10:00'),
    {},
    { earlierRegistration: { referralId: 'a', createdAt: at('09:00') } },
    'invalid',
    'already-registered',
  ],
  [
    'duplicate at another office of the same developer: invalid too',
    at('10:00'),
    {},
    { earlierRegistration: { referralId: 'a', createdAt: at('09:00', -2), officeId: 'office-a' } },
    'invalid',
    'already-registered',
  ],
  [
    'a sibling office duplicate beats a walk-in dispute here',
    at('10:00'),
    {},
    {
      earlierRegistration: { referralId: 'a', createdAt: at('09:00'), officeId: 'office-a' },
      earlierWalkInAt: at('08:00'),
    },
    'invalid',
    'already-registered',
  ],
  [
    'earlier walk-in of the same phone: disputed',
    at('10:00'),
    {},
    { earlierWalkInAt: at('09:00', -3) },
    'disputed',
    'walk-in-before-referral',
  ],
  [
    'cap beats duplicate (first rule that fails is the reason)',
    at('10:00'),
    { dailyCap: 1 },
    { brokerRegistrationsToday: 1, earlierRegistration: { referralId: 'a', createdAt: at('09:00') } },
    'invalid',
    'daily-cap-reached',
  ],
  [
    'window beats duplicate',
    at('12:00'),
    window,
    { earlierRegistration: { referralId: 'a', createdAt: at('09:00') } },
    'invalid',
    'outside-registration-window',
  ],
  [
    'duplicate beats dispute',
    at('10:00'),
    {},
    { earlierRegistration: { referralId: 'a', createdAt: at('09:00') }, earlierWalkInAt: at('08:00') },
    'invalid',
    'already-registered',
  ],
]

for (const [name, now, rules, facts, status, reason] of registrationCases) {
  test(`registration: ${name}`, () => {
    const ruling = registration(now, rules, facts)
    assert.equal(ruling.status, status)
    assert.equal(ruling.reason, reason)
  })
}

type ProtectionCase = [name: string, protection: ChannelRuleBody['protection'], now: number, expires: number]
const protectionCases: ProtectionCase[] = [
  ['same-day protection ends at local midnight', 'same-day', at('10:00'), at('00:00', 1)],
  ['same-day registered at 23:59 lasts one minute', 'same-day', at('23:59'), at('00:00', 1)],
  ['1-day protection is 24 h', '1-day', at('10:00'), at('10:00', 1)],
  ['7-day protection', '7-days', at('10:00'), at('10:00', 7)],
  ['30-day protection', '30-days', at('10:00'), at('10:00', 30)],
]
for (const [name, protection, now, expires] of protectionCases) {
  test(`protection: ${name}`, () => {
    assert.equal(registration(now, { protection }).expiresAt, expires)
  })
}

test('a duplicate names the registration it lost to and the office where that was made', () => {
  const elsewhere = registration(
    at('10:00'),
    {},
    {
      earlierRegistration: { referralId: 'a', createdAt: at('09:00'), officeId: 'office-a' },
    },
  )
  assert.equal(elsewhere.conflictReferralId, 'a')
  assert.equal(elsewhere.conflictOfficeId, 'office-a')
  assert.equal(elsewhere.evidenceAt, at('09:00'))
  const here = registration(
    at('10:00'),
    {},
    { earlierRegistration: { referralId: 'b', createdAt: at('09:00') } },
  )
  assert.equal(here.conflictOfficeId, null)
  assert.equal(registration(at('10:00'), {}).conflictOfficeId, null)
})

test('window registration counts from the next local day, with its protection from then', () => {
  const ruling = registration(at('19:00'), { ...window, protection: 'same-day' })
  assert.equal(ruling.validFrom, at('00:00', 1))
  assert.equal(ruling.expiresAt, at('00:00', 2))
})

// arrival: attribute() with the rule-derived facts
const ref = (over: Partial<ReferralFacts> = {}): ReferralFacts => ({
  id: 'r1',
  brokerId: 'b1',
  createdAt: at('09:00'),
  expiresAt: at('09:00', 30),
  phoneHash: 'h',
  boundToOtherVisitor: false,
  ...over,
})
const arrive = (now: number, over: Partial<AttributionInput>) =>
  attribute({
    now,
    protectionMs: 30 * day,
    referral: null,
    visitorPhoneHash: null,
    earlierVisits: [],
    competingReferrals: [],
    ...over,
  })

type ArrivalCase = [
  name: string,
  now: number,
  input: Partial<AttributionInput>,
  channel: string,
  reason: string,
]
const advance30 = 30 * min
const arrivalCases: ArrivalCase[] = [
  [
    'advance 30 min: arrival 29 min after registration is too late',
    at('09:29'),
    { referral: ref(), minAdvanceMs: advance30 },
    'walk-in',
    'registered-too-late',
  ],
  [
    'advance 30 min: arrival 29:59 after is too late',
    at('09:30') - 1000,
    { referral: ref(), minAdvanceMs: advance30 },
    'walk-in',
    'registered-too-late',
  ],
  [
    'advance 30 min: arrival exactly 30 min after is fine',
    at('09:30'),
    { referral: ref(), minAdvanceMs: advance30 },
    'broker',
    'referral',
  ],
  [
    'advance 30 min: arrival 31 min after is fine',
    at('09:31'),
    { referral: ref(), minAdvanceMs: advance30 },
    'broker',
    'referral',
  ],
  [
    'no advance rule: arrival one second after is fine',
    at('09:00') + 1000,
    { referral: ref(), minAdvanceMs: 0 },
    'broker',
    'referral',
  ],
  [
    'advance 2 h: arrival 1 h 59 after is too late',
    at('10:59'),
    { referral: ref(), minAdvanceMs: 120 * min },
    'walk-in',
    'registered-too-late',
  ],
  [
    'advance 2 h: arrival 2 h after is fine',
    at('11:00'),
    { referral: ref(), minAdvanceMs: 120 * min },
    'broker',
    'referral',
  ],
  [
    'pre-registration: arrival 23:59 the same day is not yet valid',
    at('23:59'),
    { referral: ref({ validFrom: at('00:00', 1) }) },
    'walk-in',
    'not-yet-valid',
  ],
  [
    'pre-registration: arrival 00:00 next day is valid',
    at('00:00', 1),
    { referral: ref({ validFrom: at('00:00', 1) }) },
    'broker',
    'referral',
  ],
  [
    'pre-registration: arrival next afternoon is valid',
    at('15:00', 1),
    { referral: ref({ validFrom: at('00:00', 1) }) },
    'broker',
    'referral',
  ],
  [
    'same-day protection: arrival 23:59 is valid',
    at('23:59'),
    { referral: ref({ expiresAt: at('00:00', 1) }) },
    'broker',
    'referral',
  ],
  [
    'same-day protection: arrival 00:00 next day has expired',
    at('00:00', 1),
    { referral: ref({ expiresAt: at('00:00', 1) }) },
    'walk-in',
    'referral-expired',
  ],
  [
    '1-day protection: one minute before the end is valid',
    at('08:59', 1),
    { referral: ref({ expiresAt: at('09:00', 1) }) },
    'broker',
    'referral',
  ],
  [
    '1-day protection: at the end has expired',
    at('09:00', 1),
    { referral: ref({ expiresAt: at('09:00', 1) }) },
    'walk-in',
    'referral-expired',
  ],
  [
    '7-day protection: day 6 is valid',
    at('09:00', 6),
    { referral: ref({ expiresAt: at('09:00', 7) }) },
    'broker',
    'referral',
  ],
  [
    '7-day protection: day 8 has expired',
    at('09:00', 8),
    { referral: ref({ expiresAt: at('09:00', 7) }) },
    'walk-in',
    'referral-expired',
  ],
  [
    'ruled invalid at registration stays invalid on arrival',
    at('12:00'),
    { referral: ref({ ruledInvalid: true }) },
    'walk-in',
    'referral-invalid',
  ],
  [
    'ruled invalid, but the phone matches an earlier valid one: that broker gets the client',
    at('12:00'),
    {
      referral: ref({ id: 'late', brokerId: 'b2', ruledInvalid: true }),
      visitorPhoneHash: 'h',
      competingReferrals: [ref({ id: 'early', createdAt: at('08:00') })],
    },
    'broker',
    'earlier-referral-wins',
  ],
  [
    'return visit with a valid referral: broker, not first visit',
    at('12:00'),
    { referral: ref(), earlierVisits: [{ checkedInAt: at('12:00', -40), channel: 'walk-in' }] },
    'broker',
    'referral',
  ],
  [
    'return visit after an earlier walk-in inside protection: disputed',
    at('12:00'),
    { referral: ref(), earlierVisits: [{ checkedInAt: at('08:00', -1), channel: 'walk-in' }] },
    'walk-in',
    'walk-in-before-referral',
  ],
  [
    'too-late referral with an earlier valid competing one for the same phone: the valid one wins',
    at('09:10'),
    {
      referral: ref({ id: 'late', brokerId: 'b2' }),
      minAdvanceMs: advance30,
      visitorPhoneHash: 'h',
      competingReferrals: [ref({ id: 'early', createdAt: at('08:00') })],
    },
    'broker',
    'earlier-referral-wins',
  ],
  ['no referral at all: walk-in', at('12:00'), {}, 'walk-in', 'no-referral'],
]

for (const [name, now, input, channel, reason] of arrivalCases) {
  test(`arrival: ${name}`, () => {
    const result = arrive(now, input)
    assert.equal(result.channel, channel)
    assert.equal(result.reason, reason)
  })
}

test('the table is at least 40 cases', () => {
  assert.ok(registrationCases.length + protectionCases.length + arrivalCases.length + 1 >= 40)
})

test('every ruling reason has words in both languages', async () => {
  const { reasonText } = await import('../../views/attribution-text.ts')
  const codes = [
    'no-referral',
    'referral',
    'referral-other-office',
    'registered',
    'referral-expired',
    'referral-used',
    'walk-in-before-referral',
    'earlier-referral-wins',
    'already-registered',
    'daily-cap-reached',
    'outside-registration-window',
    'registered-too-late',
    'not-yet-valid',
    'referral-invalid',
    'appeal-overturned',
    'lost-on-appeal',
    'appeal-upheld',
  ]
  for (const lang of ['zh-CN', 'en'] as const) {
    for (const code of codes) assert.notEqual(reasonText(lang, code), code, `${lang} ${code}`)
  }
  // the office a registration was made at is named in both languages
  const officeA = { name: '甲案场', nameEn: 'Office A' }
  assert.match(reasonText('zh-CN', 'already-registered', { broker: '陈', office: officeA }), /甲案场/)
  assert.match(reasonText('en', 'already-registered', { broker: 'Chen', office: officeA }), /at “Office A”/)
  assert.match(reasonText('en', 'referral-other-office', { office: officeA }), /Office A/)
  assert.match(reasonText('zh-CN', 'referral-other-office'), /另一案场/)
})
