// The renewal timer: renews a third of the life before the end, by itself, once at a time, and keeps serving the old
// certificate when a renewal fails.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { renewalDueAt, startRenewal } from '../../../server/tls/renewal.ts'
import { waitUntil } from '../../helpers/runtime.ts'

const day = 24 * 3600_000

test('due a third of the life before the end: 30 days for a 90-day certificate, ~2.3 days for a 7-day one', () => {
  assert.equal(renewalDueAt({ notBefore: 0, notAfter: 90 * day }), 60 * day)
  assert.equal(renewalDueAt({ notBefore: 0, notAfter: 7 * day }), (14 / 3) * day)
})

test('the timer renews by itself once due, and schedules the next renewal from the new certificate', async () => {
  let due = Date.now() + 30
  let renewals = 0
  const renewal = startRenewal({
    what: 'test',
    dueAt: () => due,
    renew: async () => {
      renewals++
      due = Date.now() + 10 * day
    },
  })
  try {
    await waitUntil(async () => renewals === 1, { what: 'the timer to renew' })
    assert.equal(await renewal.check(), false, 'not due again right after')
  } finally {
    renewal.stop()
  }
})

test('concurrent checks run one renewal; a failed renewal rejects and leaves it due', async () => {
  let release!: () => void
  let renewals = 0
  let fail = false
  let due = 0
  const renewal = startRenewal({
    what: 'test',
    dueAt: () => due,
    now: () => 1,
    renew: () => {
      renewals++
      if (fail) return Promise.reject(new Error('CA unreachable'))
      return new Promise<void>((resolve) => (release = resolve)).then(() => void (due = 10 * day))
    },
  })
  try {
    const both = Promise.all([renewal.check(), renewal.check()])
    await waitUntil(async () => !!release, { what: 'the renewal to start' })
    release()
    assert.deepEqual(await both, [true, true])
    assert.equal(renewals, 1)
    fail = true
    due = 0
    await assert.rejects(renewal.check(), /CA unreachable/)
    assert.equal(renewals, 2)
  } finally {
    renewal.stop()
  }
})
