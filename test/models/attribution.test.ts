// Attribution rules, one table: each row is a situation a sales office meets, and the channel it must get.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { attribute, type AttributionInput, type ReferralFacts } from '../../models/attribution.ts'

const day = 86400_000
const now = Date.parse('2026-11-23T06:00:00Z')
const protectionMs = 30 * day
const ref = (over: Partial<ReferralFacts> = {}): ReferralFacts => ({
  id: 'r1',
  brokerId: 'b1',
  createdAt: now - 2 * day,
  expiresAt: now + 28 * day,
  phoneHash: 'h1',
  boundToOtherVisitor: false,
  ...over,
})
// a referral registered at another office of the same developer, with that office's rules
const sibling = (over: Partial<NonNullable<ReferralFacts['otherOffice']>> = {}) => ({
  officeId: 'office-a',
  protectionMs: 30 * day,
  minAdvanceMs: 0,
  ...over,
})
const base: AttributionInput = {
  now,
  protectionMs,
  referral: null,
  visitorPhoneHash: null,
  earlierVisits: [],
  competingReferrals: [],
}

const cases: {
  name: string
  input: Partial<AttributionInput>
  channel: 'walk-in' | 'broker'
  broker?: string | null
  reason: string
  firstVisit?: boolean
  rulings?: [string, string][]
  evidenceAt?: number
}[] = [
  {
    name: 'no referral, no phone: walk-in, first visit',
    input: {},
    channel: 'walk-in',
    reason: 'no-referral',
    firstVisit: true,
  },
  {
    name: 'opened a valid referral link: the broker gets the visit',
    input: { referral: ref() },
    channel: 'broker',
    broker: 'b1',
    reason: 'referral',
    rulings: [['r1', 'arrived']],
  },
  {
    name: 'referral link expired: walk-in, referral marked expired',
    input: { referral: ref({ expiresAt: now - 1 }) },
    channel: 'walk-in',
    reason: 'referral-expired',
    rulings: [['r1', 'expired']],
  },
  {
    name: 'referral expiring exactly now is no longer valid',
    input: { referral: ref({ expiresAt: now }) },
    channel: 'walk-in',
    reason: 'referral-expired',
    rulings: [['r1', 'expired']],
  },
  {
    name: 'referral already used by another client: refused, nothing changes for it',
    input: { referral: ref({ boundToOtherVisitor: true }) },
    channel: 'walk-in',
    reason: 'referral-used',
    rulings: [],
  },
  {
    name: 'phone matches a pending referral without opening the link: the broker is protected',
    input: { visitorPhoneHash: 'h1', competingReferrals: [ref()] },
    channel: 'broker',
    broker: 'b1',
    reason: 'referral',
  },
  {
    name: 'a pending referral for another phone does not apply',
    input: { visitorPhoneHash: 'h2', competingReferrals: [ref()] },
    channel: 'walk-in',
    reason: 'no-referral',
  },
  {
    name: 'two brokers, one client: the earlier valid referral wins, the later is invalid',
    input: {
      visitorPhoneHash: 'h1',
      referral: ref({ id: 'late', brokerId: 'b2', createdAt: now - day }),
      competingReferrals: [ref({ id: 'early', brokerId: 'b1', createdAt: now - 3 * day })],
    },
    channel: 'broker',
    broker: 'b1',
    reason: 'earlier-referral-wins',
    rulings: [
      ['early', 'arrived'],
      ['late', 'invalid'],
    ],
  },
  {
    name: 'two brokers, the one opened is earlier: it wins, the other is told why',
    input: {
      visitorPhoneHash: 'h1',
      referral: ref({ id: 'early', createdAt: now - 3 * day }),
      competingReferrals: [ref({ id: 'late', brokerId: 'b2', createdAt: now - day })],
    },
    channel: 'broker',
    broker: 'b1',
    reason: 'referral',
    rulings: [
      ['early', 'arrived'],
      ['late', 'invalid'],
    ],
  },
  {
    name: 'an expired earlier referral does not beat a valid later one',
    input: {
      visitorPhoneHash: 'h1',
      referral: ref({ id: 'late', brokerId: 'b2', createdAt: now - day }),
      competingReferrals: [ref({ id: 'old', createdAt: now - 40 * day, expiresAt: now - 10 * day })],
    },
    channel: 'broker',
    broker: 'b2',
    reason: 'referral',
  },
  {
    name: 'client walked in on their own before the broker registered them: disputed, with the date',
    input: {
      referral: ref({ createdAt: now - 2 * day }),
      earlierVisits: [{ checkedInAt: now - 5 * day, channel: 'walk-in' }],
    },
    channel: 'walk-in',
    reason: 'walk-in-before-referral',
    firstVisit: false,
    rulings: [['r1', 'disputed']],
    evidenceAt: now - 5 * day,
  },
  {
    name: 'a walk-in older than the protection window does not dispute a new referral',
    input: {
      referral: ref({ createdAt: now - 2 * day }),
      earlierVisits: [{ checkedInAt: now - 2 * day - protectionMs - 1, channel: 'walk-in' }],
    },
    channel: 'broker',
    broker: 'b1',
    reason: 'referral',
    firstVisit: false,
  },
  {
    name: 'a walk-in exactly at the edge of the protection window still disputes',
    input: {
      referral: ref({ createdAt: now - 2 * day }),
      earlierVisits: [{ checkedInAt: now - 2 * day - protectionMs, channel: 'walk-in' }],
    },
    channel: 'walk-in',
    reason: 'walk-in-before-referral',
  },
  {
    name: 'a walk-in after the referral was made does not dispute it (return visit with the broker)',
    input: {
      referral: ref({ createdAt: now - 5 * day }),
      earlierVisits: [{ checkedInAt: now - 2 * day, channel: 'walk-in' }],
    },
    channel: 'broker',
    broker: 'b1',
    reason: 'referral',
    firstVisit: false,
  },
  {
    name: 'an earlier broker-brought visit is a return, not a dispute',
    input: {
      referral: ref({ createdAt: now - 2 * day }),
      earlierVisits: [{ checkedInAt: now - 5 * day, channel: 'broker' }],
    },
    channel: 'broker',
    broker: 'b1',
    reason: 'referral',
    firstVisit: false,
  },
  {
    name: 'registered at another office of the same developer: that broker, and the reason says so',
    input: {
      visitorPhoneHash: 'h1',
      competingReferrals: [ref({ id: 'ra', brokerId: 'bA', otherOffice: sibling() })],
    },
    channel: 'broker',
    broker: 'bA',
    reason: 'referral-other-office',
    rulings: [['ra', 'arrived']],
  },
  {
    name: 'a sibling office referral earlier than the one the client opened here wins',
    input: {
      referral: ref({ id: 'rb', brokerId: 'bB', createdAt: now - day }),
      visitorPhoneHash: 'h1',
      competingReferrals: [
        ref({ id: 'ra', brokerId: 'bA', createdAt: now - 3 * day, otherOffice: sibling() }),
      ],
    },
    channel: 'broker',
    broker: 'bA',
    reason: 'referral-other-office',
    rulings: [
      ['ra', 'arrived'],
      ['rb', 'invalid'],
    ],
  },
  {
    name: 'a sibling referral is held to its own office’s minimum advance (2 h), not this office’s (none)',
    input: {
      minAdvanceMs: 0,
      visitorPhoneHash: 'h1',
      competingReferrals: [
        ref({ createdAt: now - 3600_000, otherOffice: sibling({ minAdvanceMs: 2 * 3600_000 }) }),
      ],
    },
    channel: 'walk-in',
    reason: 'no-referral',
  },
  {
    name: 'this office’s minimum advance (2 h) does not reach a sibling referral whose office has none',
    input: {
      minAdvanceMs: 2 * 3600_000,
      visitorPhoneHash: 'h1',
      competingReferrals: [ref({ createdAt: now - 3600_000, otherOffice: sibling({ minAdvanceMs: 0 }) })],
    },
    channel: 'broker',
    broker: 'b1',
    reason: 'referral-other-office',
  },
  {
    name: 'an earlier walk-in here disputes a sibling referral within that office’s protection window',
    input: {
      protectionMs: day,
      visitorPhoneHash: 'h1',
      earlierVisits: [{ checkedInAt: now - 5 * day, channel: 'walk-in' }],
      competingReferrals: [
        ref({ createdAt: now - 2 * day, otherOffice: sibling({ protectionMs: 7 * day }) }),
      ],
    },
    channel: 'walk-in',
    reason: 'walk-in-before-referral',
    rulings: [['r1', 'disputed']],
  },
  {
    name: 'an earlier walk-in outside the sibling office’s protection window does not dispute its referral',
    input: {
      protectionMs: 30 * day,
      visitorPhoneHash: 'h1',
      earlierVisits: [{ checkedInAt: now - 5 * day, channel: 'walk-in' }],
      competingReferrals: [ref({ createdAt: now - 2 * day, otherOffice: sibling({ protectionMs: day }) })],
    },
    channel: 'broker',
    broker: 'b1',
    reason: 'referral-other-office',
    firstVisit: false,
  },
  {
    name: 'return visit without any referral: walk-in, not first',
    input: { earlierVisits: [{ checkedInAt: now - 9 * day, channel: 'walk-in' }] },
    channel: 'walk-in',
    reason: 'no-referral',
    firstVisit: false,
  },
]

for (const c of cases) {
  test(`attribution: ${c.name}`, () => {
    const result = attribute({ ...base, ...c.input })
    assert.equal(result.channel, c.channel)
    assert.equal(result.reason, c.reason)
    if (c.broker !== undefined) assert.equal(result.brokerId, c.broker)
    if (c.channel === 'walk-in') assert.equal(result.brokerId, null)
    if (c.firstVisit !== undefined) assert.equal(result.firstVisit, c.firstVisit)
    if (c.rulings)
      assert.deepEqual(
        result.rulings.map((r) => [r.referralId, r.status]),
        c.rulings,
      )
    if (c.evidenceAt !== undefined) assert.equal(result.evidenceAt, c.evidenceAt)
    const winner = [c.input.referral, ...(c.input.competingReferrals ?? [])].find(
      (r) => r?.id === result.referralId,
    )
    assert.equal(result.referralOfficeId, winner?.otherOffice?.officeId ?? null)
  })
}
