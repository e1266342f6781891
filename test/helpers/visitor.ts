// Visitor-journey helpers for route tests: entrance tokens, a checked-in phone, a broker's referral link.
import { eq } from 'drizzle-orm'
import { stations } from '../../models/offices.ts'
import { signToken } from '../../server/tokens.ts'
import { Client, type TestApp } from './app.ts'

export async function entranceStation(t: TestApp) {
  const [station] = await t.database.db.select().from(stations).where(eq(stations.kind, 'entrance'))
  return station!
}

export async function entranceToken(t: TestApp, { ttlMs = 60_000 } = {}) {
  const station = await entranceStation(t)
  const now = t.clock.now()
  const { token } = await signToken(
    t.keys,
    'entrance',
    { office: station.officeId, station: station.id },
    { now, expiresAt: now + ttlMs },
  )
  return token
}

// a phone that scans the entrance QR and checks in (optionally giving its number)
export async function checkIn(
  t: TestApp,
  { phone = '', client = new Client(t.app) }: { phone?: string; client?: Client } = {},
) {
  const token = await entranceToken(t)
  const page = await client.get(`/checkin?t=${token}`)
  if (page.status !== 200 && page.status !== 303) throw new Error(`check-in page: ${page.status}`)
  const res = await client.post('/checkin', { t: token, phone })
  if (res.status !== 303) throw new Error(`check-in: ${res.status} ${await res.text()}`)
  return client
}

// a broker signs in, registers a client, and returns the /r/ link path
export async function registerReferral(t: TestApp, broker: string, fields: Record<string, string> = {}) {
  const client = new Client(t.app)
  await client.login(broker, t.passwordOf(broker))
  const res = await client.post('/agent/referrals', fields)
  if (res.status !== 303) throw new Error(`referral: ${res.status} ${await res.text()}`)
  const share = await (await client.get(res.headers.get('location')!)).text()
  const link = /id="referral-link">(http[^<]+)</.exec(share)![1]!
  return {
    broker: client,
    referralPath: new URL(link).pathname,
    referralId: res.headers.get('location')!.split('/').pop()!,
  }
}
