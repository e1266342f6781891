// Item 8: TRUST_PROXY picks the forwarded hop to believe; sign-in backoff is per username + address, never a lock on the name.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import { makeTestApp, Client } from '../helpers/app.ts'
import { configFromEnv } from '../../server/config.ts'
import { auditLog } from '../../models/audit.ts'
import { lockout } from '../../server/routes/auth.tsx'

const proxy = '10.0.0.1'

// one browser behind the proxy: every request arrives from the proxy, with the client in X-Forwarded-For
function behindProxy(t: Awaited<ReturnType<typeof makeTestApp>>, forwardedFor: string) {
  const client = new Client(t.app)
  const request = client.request.bind(client)
  client.request = (path, init = {}) => {
    const headers = new Headers(init.headers)
    headers.set('x-forwarded-for', forwardedFor)
    return request(path, { ...init, headers })
  }
  return client
}

async function floodLogins(client: Client, n: number) {
  const statuses: number[] = []
  for (let i = 0; i < n; i++)
    statuses.push((await client.post('/login', { username: `nobody-${i}`, password: 'x' })).status)
  return statuses
}

test('item 8: TRUST_PROXY is a hop count; anything else stops the start with a clear error', () => {
  assert.equal(configFromEnv({}).trustProxy, 0)
  assert.equal(configFromEnv({ TRUST_PROXY: '' }).trustProxy, 0)
  assert.equal(configFromEnv({ TRUST_PROXY: '1' }).trustProxy, 1)
  assert.equal(configFromEnv({ TRUST_PROXY: '2' }).trustProxy, 2)
  for (const bad of ['yes', '-1', '1.5', '99', '10.0.0.1'])
    assert.throws(() => configFromEnv({ TRUST_PROXY: bad }), /TRUST_PROXY/, bad)
})

test('item 8: behind one trusted proxy, each client has its own rate-limit bucket', async () => {
  const t = await makeTestApp({ config: { trustProxy: 1 } })
  t.deps.clientAddress = () => proxy
  const flooder = behindProxy(t, '198.51.100.10')
  assert.ok((await floodLogins(flooder, 25)).includes(429), 'the flooding client is limited')
  const neighbour = behindProxy(t, '198.51.100.20')
  assert.equal((await neighbour.post('/login', { username: 'nobody', password: 'x' })).status, 401)
})

test('item 8: with TRUST_PROXY=2 the second hop from the right is the client; without it the header is ignored', async () => {
  const two = await makeTestApp({ config: { trustProxy: 2 } })
  two.deps.clientAddress = () => proxy
  // the client forged a first entry; the outer proxy appended what it saw (the client), then the inner one
  const flooder = behindProxy(two, '203.0.113.99, 198.51.100.10, 10.0.0.2')
  assert.ok((await floodLogins(flooder, 25)).includes(429))
  // another forged first entry does not buy the same client a new bucket
  const forged = behindProxy(two, '203.0.113.100, 198.51.100.10, 10.0.0.2')
  assert.equal((await forged.post('/login', { username: 'nobody', password: 'x' })).status, 429)
  const other = behindProxy(two, '203.0.113.99, 198.51.100.20, 10.0.0.2')
  assert.equal((await other.post('/login', { username: 'nobody', password: 'x' })).status, 401)

  // not behind a proxy: X-Forwarded-For is whatever the client wrote, so it is not believed
  const direct = await makeTestApp()
  const statuses: number[] = []
  for (let i = 0; i < 25; i++)
    statuses.push(
      (await behindProxy(direct, `198.51.100.${i}`).post('/login', { username: `n${i}`, password: 'x' }))
        .status,
    )
  assert.ok(statuses.includes(429), 'a new forged address per request does not escape the limit')
})

test('item 8: guesses from one address do not lock the right password out from another', async () => {
  const t = await makeTestApp()
  let address = '198.51.100.66'
  t.deps.clientAddress = () => address
  const attacker = new Client(t.app)
  for (let i = 0; i < lockout.failures + 2; i++)
    await attacker.post('/login', { username: 'sales', password: `guess-${i}` })
  // the attacker's address is slowed down even with the right password
  const slowed = await attacker.post('/login', { username: 'sales', password: t.passwordOf('sales') })
  assert.equal(slowed.status, 429)
  assert.ok(Number(slowed.headers.get('retry-after')) > 0)
  assert.equal(attacker.cookies.has('sr_session'), false)

  address = '203.0.113.5'
  const owner = new Client(t.app)
  assert.equal(
    (await owner.post('/login', { username: 'sales', password: t.passwordOf('sales') })).status,
    303,
  )

  // the failures are kept with a keyed hash of the address, never the address itself
  const failures = await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'login.failure'))
  assert.ok(failures.length >= lockout.failures)
  for (const row of failures) assert.doesNotMatch(row.detail, /198\.51\.100/)
})

test('item 8: the backoff grows with each further failure and lets the address try again after it', async () => {
  const t = await makeTestApp()
  const client = new Client(t.app)
  for (let i = 0; i < lockout.failures; i++)
    assert.equal((await client.post('/login', { username: 'sales', password: `guess-${i}` })).status, 401)
  const waits: number[] = []
  for (let round = 0; round < 3; round++) {
    const refused = await client.post('/login', { username: 'sales', password: 'guess' })
    assert.equal(refused.status, 429)
    const wait = Number(refused.headers.get('retry-after'))
    waits.push(wait)
    t.clock.advance(wait * 1000)
    assert.equal((await client.post('/login', { username: 'sales', password: 'guess' })).status, 401)
  }
  assert.ok(waits[0]! < waits[1]! && waits[1]! < waits[2]!, `waits grow: ${waits.join(', ')}`)
  // after the last wait, the right password gets in
  const refused = await client.post('/login', { username: 'sales', password: t.passwordOf('sales') })
  t.clock.advance(Number(refused.headers.get('retry-after')) * 1000)
  assert.equal(
    (await client.post('/login', { username: 'sales', password: t.passwordOf('sales') })).status,
    303,
  )
})
