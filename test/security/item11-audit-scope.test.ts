// Item 11: a privacy officer sees the audit rows and purge runs of their own office, not another developer's.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { makeTestApp, Client, type TestApp } from '../helpers/app.ts'
import { addVisitor } from '../helpers/privacy-fixtures.ts'
import { createDeveloper } from '../../models/developers.ts'
import { createOffice } from '../../models/offices.ts'
import { createStaff } from '../../models/staff.ts'

const officerPassword = 'officer-password-for-tests'
const day = 86400_000

// another company (developer) sharing the database: its own office and privacy officer
async function otherDeveloper(t: TestApp) {
  const officeId = await t.database.write(async (tx) => {
    const developerId = await createDeveloper({ tx, input: { name: '别家集团' }, now: t.clock.now() })
    const officeId = await createOffice({
      tx,
      input: { developerId, name: '别家案场', processorName: 'Other Ltd', privacyContact: 'p@other.example' },
      now: t.clock.now(),
    })
    await createStaff({
      tx,
      input: {
        officeId,
        username: 'other-privacy',
        displayName: 'Other officer',
        role: 'privacy',
        password: officerPassword,
      },
      now: t.clock.now(),
    })
    return officeId
  })
  const officer = new Client(t.app)
  await officer.login('other-privacy', officerPassword)
  return { officeId, officer }
}

async function auditText(client: Client) {
  const page = await client.get('/privacy/audit')
  assert.equal(page.status, 200)
  const csv = await client.get('/privacy/audit/export.csv')
  assert.equal(csv.status, 200)
  return (await page.text()) + (await csv.text())
}

test('item 11: sign-in attempts naming another company’s user, or no user, are not shown to this company’s officer', async () => {
  const t = await makeTestApp()
  const { officer: other } = await otherDeveloper(t)
  const stranger = new Client(t.app)
  // a password typed into the name field by mistake, and a guess at the demo office's sales account
  await stranger.post('/login', { username: 'hunter2-typed-as-name', password: 'x' })
  await stranger.post('/login', { username: 'sales', password: 'wrong-guess' })

  const seen = await auditText(other)
  assert.doesNotMatch(seen, /hunter2-typed-as-name/, 'an office-less row leaked to another developer')
  assert.doesNotMatch(seen, /login\.failure[\s\S]{0,400}\bsales\b|\bsales\b[\s\S]{0,200}login\.failure/)

  // the demo office's own officer sees the attempt on its account
  const own = new Client(t.app)
  await own.login('privacy', t.passwordOf('privacy'))
  assert.match(await auditText(own), /login\.failure/)
})

test('item 11: with a single company in the database its officer still sees office-less rows', async () => {
  const t = await makeTestApp()
  const stranger = new Client(t.app)
  await stranger.post('/login', { username: 'nobody-we-know', password: 'x' })
  const own = new Client(t.app)
  await own.login('privacy', t.passwordOf('privacy'))
  assert.match(await auditText(own), /nobody-we-know/)
})

test('item 11: /privacy/purges shows only the officer’s own office, and a manual purge runs only for it', async () => {
  const t = await makeTestApp()
  const { officeId: otherOffice, officer: other } = await otherDeveloper(t)
  // one visitor past the default 365 days in each office
  for (const officeId of [t.seeded.officeId, otherOffice])
    await addVisitor(t.database, { officeId, keys: t.keys.phone, at: t.clock.now() - 400 * day })

  const own = new Client(t.app)
  await own.login('privacy', t.passwordOf('privacy'))
  assert.equal((await own.post('/privacy/purges')).status, 303)
  const ownPage = await (await own.get('/privacy/purges')).text()
  assert.match(ownPage, /visitor-personal 1(?!\d)/, 'the officer sees their own purge')

  // the other company's officer sees no run of this office, and its visitor was not purged by it
  const otherPage = await (await other.get('/privacy/purges')).text()
  assert.doesNotMatch(otherPage, /visitor-personal/, 'a purge of another company shows in this list')
  assert.equal((await other.post('/privacy/purges')).status, 303)
  const after = await (await other.get('/privacy/purges')).text()
  assert.match(after, /visitor-personal 1(?!\d)/, 'its own visitor was still there to purge')
})
