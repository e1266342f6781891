// Visitor-journey helpers for route tests: entrance tokens, a checked-in phone, a broker's referral link.
import { and, eq } from 'drizzle-orm'
import { stations } from '../../models/offices.ts'
import { issueEntranceCode } from '../../models/entrance-codes.ts'
import { Client, type TestApp } from './app.ts'

export async function entranceStation(t: TestApp, officeId?: string) {
  const [station] = await t.database.db
    .select()
    .from(stations)
    .where(
      officeId
        ? and(eq(stations.kind, 'entrance'), eq(stations.officeId, officeId))
        : eq(stations.kind, 'entrance'),
    )
  return station!
}

// the short code an entrance screen shows in its QR, as the station socket issues it
export async function entranceToken(
  t: TestApp,
  { ttlMs = 60_000, officeId }: { ttlMs?: number; officeId?: string } = {},
) {
  const station = await entranceStation(t, officeId)
  const code = await t.database.write((tx) =>
    issueEntranceCode(tx, {
      officeId: station.officeId,
      stationId: station.id,
      now: t.clock.now(),
      lifetimeMs: ttlMs,
    }),
  )
  return code.id
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
