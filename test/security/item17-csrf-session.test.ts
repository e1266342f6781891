// Item 17: a signed-in browser's CSRF token is the HMAC of its session id; a token planted or taken from elsewhere is refused.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { makeTestApp, Client, adminPassword, type TestApp } from '../helpers/app.ts'

function sessionId(client: Client): string {
  const token = client.cookies.get('sr_session')!
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).jti
}

async function hmacOf(t: TestApp, jti: string) {
  const mac = await crypto.subtle.sign('HMAC', t.keys.macKey, new TextEncoder().encode(`csrf:${jti}`))
  return Buffer.from(mac).toString('base64url')
}

test('item 17: the signed-in token is the HMAC of the session id, and changes with the session', async () => {
  const t = await makeTestApp()
  const client = new Client(t.app)
  await client.login('admin', adminPassword)
  assert.equal(client.csrf, await hmacOf(t, sessionId(client)))
  const page = await (await client.get('/dashboard')).text()
  assert.ok(page.includes(client.csrf), 'the page carries the same token')
  const first = client.csrf
  await client.login('sales', t.passwordOf('sales'))
  assert.notEqual(client.csrf, first)
  assert.equal(client.csrf, await hmacOf(t, sessionId(client)))
})

test('item 17: a token planted as a cookie (or taken from another session) does not pass for the victim’s session', async () => {
  const t = await makeTestApp()
  const attacker = new Client(t.app)
  await attacker.login('sales', t.passwordOf('sales'))
  const victim = new Client(t.app)
  await victim.login('admin', adminPassword)
  for (const planted of [attacker.csrf, 'attacker-chosen-value-0001']) {
    // a sibling host or a plain-http response can set the cookie; the form then echoes the same value
    victim.cookies.set('sr_csrf', planted)
    const forged = await victim.request('/logout', {
      method: 'POST',
      body: new URLSearchParams({ _csrf: planted }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    assert.equal(forged.status, 403, `planted ${planted.slice(0, 12)}…`)
    assert.equal((await victim.get('/dashboard')).status, 200, 'the victim is still signed in')
  }
  // the victim's own token still works (the cookie is put right on the next page)
  assert.equal(victim.csrf, await hmacOf(t, sessionId(victim)))
  assert.equal((await victim.post('/logout')).status, 303)
})

test('item 17: a password change that signs out the other sessions hands this browser the new session’s token', async () => {
  const t = await makeTestApp()
  const client = new Client(t.app)
  await client.login('sales', t.passwordOf('sales'))
  const before = client.csrf
  const changed = await client.post('/account/password', {
    current: t.passwordOf('sales'),
    next: 'another-password-123',
    repeat: 'another-password-123',
    signOutOthers: 'on',
  })
  assert.equal(changed.status, 200)
  assert.notEqual(client.csrf, before)
  assert.equal(client.csrf, await hmacOf(t, sessionId(client)))
  assert.ok((await changed.text()).includes(client.csrf), 'the answer page carries the new token')
  assert.equal((await client.post('/logout')).status, 303)
})
