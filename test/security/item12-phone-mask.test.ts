// Item 12 of the security review: a phone mask never shows more than 4 digits of the subscriber's number.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { makeTestApp, Client } from '../helpers/app.ts'
import { maskPhone, normalisePhone } from '../../models/phone.ts'
import { referrals } from '../../models/referrals.ts'

const digits = (s: string) => s.replace(/\D/g, '')

test('item 12: masks of international numbers of every length show at most 4 digits, never half the number', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 7, max: 15 }),
      fc.integer({ min: 1, max: 9 }),
      fc.nat(),
      (length, lead, rest) => {
        const number = normalisePhone(
          `+${lead}${String(rest)
            .padStart(length - 1, '0')
            .slice(-(length - 1))}`,
        )!
        assert.ok(number, 'a valid E.164 number')
        const shown = digits(maskPhone(number))
        assert.ok(shown.length <= 4, `${number} → ${maskPhone(number)}`)
        assert.ok(shown.length <= Math.floor(digits(number).length / 2), `${number} → ${maskPhone(number)}`)
        assert.ok(number.endsWith(shown), 'what is shown is the end of the number')
      },
    ),
  )
  assert.equal(maskPhone('+1234567'), '+****567')
})

test('item 12: a mainland mobile keeps the 138****1234 form: 4 subscriber digits after the network prefix', () => {
  assert.equal(maskPhone('13812345678'), '138****5678')
})

test('item 12: a broker registering a short international number sees a mask with at most 4 digits', async () => {
  const t = await makeTestApp()
  const broker = new Client(t.app)
  await broker.login('broker1', t.passwordOf('broker1'))
  assert.equal((await broker.post('/agent/referrals', { phone: '+1234567' })).status, 303)
  const [row] = await t.database.db.select().from(referrals)
  assert.ok(digits(row!.phoneMasked!).length <= 4, row!.phoneMasked!)
  const page = await (await broker.get('/agent')).text()
  assert.doesNotMatch(page, /\+12\*+4567|234567/)
})
