// Structured request logs: one JSON line per request with the route template, and never a token or a phone number.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { makeTestApp, Client } from '../helpers/app.ts'
import { setLogSink, redact } from '../../server/log.ts'
import { signToken } from '../../server/tokens.ts'
import { entranceToken } from '../helpers/visitor.ts'

const phone = '13812345678'

async function captureLogs<T>(work: () => Promise<T>): Promise<{ lines: string[]; result: T }> {
  const lines: string[] = []
  const previous = setLogSink((line) => lines.push(line))
  try {
    return { lines, result: await work() }
  } finally {
    setLogSink(previous)
  }
}

test('request logs carry method, route template, status and ms, and no token or phone number', async () => {
  const t = await makeTestApp()
  const now = t.clock.now()
  const { token } = await signToken(
    t.keys,
    'entrance',
    { office: 'o', station: 's' },
    { now, expiresAt: now + 60_000 },
  )
  const { token: pairing } = await signToken(
    t.keys,
    'pairing',
    { station: 'nope' },
    { now, expiresAt: now + 60_000 },
  )
  // the short code of an entrance screen's QR
  const real = await entranceToken(t)
  const client = new Client(t.app)
  const { lines } = await captureLogs(async () => {
    // a real phone check-in, then the pages the visitor's phone opens next
    await client.get(`/checkin?t=${real}`)
    assert.equal((await client.post('/checkin', { t: real, phone })).status, 303)
    await client.get('/pass')
    await client.get('/me')
    await client.get(`/login?next=${encodeURIComponent(`/checkin?t=${token}&phone=${phone}`)}`)
    await client.post('/login', { username: phone, password: token })
    await client.post('/login', { username: 'admin', password: `pw ${phone}` })
    await client.get(`/checkin?t=${token}&phone=${phone}`)
    await client.get(`/pair/${pairing}`)
    await client.post(`/pair/${pairing}`)
    await client.get(`/r/${token}`)
    await client.request(`/api/v1/checkins?phone=${phone}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ phone, token }),
    })
  })
  const all = lines.join('\n')
  assert.ok(lines.length >= 8, `one line per request, got ${lines.length}`)
  const pass = client.cookies.get('sr_visit')!
  assert.ok(pass, 'the check-in issued a visit pass')
  for (const secret of [phone, token, real, pass, pairing, token.split('.')[1]!, pairing.split('.')[2]!]) {
    assert.equal(all.includes(secret), false, `log output contains ${secret.slice(0, 12)}…`)
  }
  assert.doesNotMatch(all, /138\D?1234\D?5678/)
  const entries = lines.map((line) => JSON.parse(line))
  const login = entries.find((e) => e.method === 'POST' && e.route === '/login' && e.status === 401)
  assert.ok(login, 'the failed login is logged under its route with its status')
  assert.equal(login.msg, 'request')
  assert.equal(typeof login.ms, 'number')
  assert.ok(entries.some((e) => e.route === '/pair/:token' && e.status === 400))
  assert.ok(entries.some((e) => e.method === 'POST' && e.route === '/checkin' && e.status === 303))
  assert.ok(entries.every((e) => typeof e.at === 'string' && e.level))
})

test('redact masks token-shaped and phone-shaped text passed to the logger by mistake', () => {
  const text = redact(`saw eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln and +86 138-1234-5678 and 13912345678`)
  assert.doesNotMatch(text, /eyJ|1234|5678/)
  assert.match(text, /\[token\].*\[phone\].*\[phone\]/)
  assert.equal(redact('GET /login 200 12.5'), 'GET /login 200 12.5')
})
