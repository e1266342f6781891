// Station device credentials: pairing tokens, long-lived station tokens (one current per station), revocation.
import { and, eq, isNull } from 'drizzle-orm'
import { stations } from '../models/offices.ts'
import { usedTokens } from '../models/visits.ts'
import { appendAudit } from '../models/audit.ts'
import type { AppDeps } from './context.ts'
import { signToken, verifyToken } from './tokens.ts'
import { topics } from './live.ts'

export const stationTokenDays = 365
export const pairingMinutes = 15

// a pairing link is good for one pairing of the station as it is now: a later pairing or a revoke voids it
export async function issuePairingToken(deps: AppDeps, stationId: string, { minutes = pairingMinutes } = {}) {
  const now = deps.clock.now()
  const [station] = await deps.database.db
    .select({ generation: stations.pairingGeneration })
    .from(stations)
    .where(eq(stations.id, stationId))
  const { token } = await signToken(
    deps.keys,
    'pairing',
    { station: stationId, gen: station?.generation ?? 0 },
    { now, expiresAt: now + minutes * 60_000 },
  )
  return token
}

export type PairingResult =
  | { ok: true; stationToken: string; station: typeof stations.$inferSelect }
  | {
      ok: false
      failure: 'expired' | 'forged' | 'wrong-type' | 'malformed' | 'used' | 'unknown-station' | 'superseded'
    }

// exchanges a single-use pairing token for the station's device token; any earlier device token stops working,
// its socket is closed, and every other pairing link of the station is void
export async function pairStation(deps: AppDeps, pairingToken: string): Promise<PairingResult> {
  const now = deps.clock.now()
  const verified = await verifyToken(deps.keys, 'pairing', pairingToken, now)
  if (!verified.ok) return { ok: false, failure: verified.failure }
  const {
    station: stationId,
    jti,
    exp,
    gen,
  } = verified.claims as unknown as { station: string; jti: string; exp: number; gen?: unknown }
  const result = await deps.database.write(async (tx) => {
    const [station] = await tx.select().from(stations).where(eq(stations.id, stationId))
    if (!station) return { ok: false, failure: 'unknown-station' } as const
    const [used] = await tx.select().from(usedTokens).where(eq(usedTokens.jti, jti))
    if (used) return { ok: false, failure: 'used' } as const
    // issued before the station's last pairing or revoke
    if (gen !== station.pairingGeneration) return { ok: false, failure: 'superseded' } as const
    await tx.insert(usedTokens).values({ jti, typ: 'pairing', usedAt: now, expiresAt: exp * 1000 })
    const { token, jti: deviceTokenId } = await signToken(
      deps.keys,
      'station',
      { station: station.id, office: station.officeId, kind: station.kind },
      { now, expiresAt: now + stationTokenDays * 86400_000 },
    )
    await tx
      .update(stations)
      .set({
        deviceTokenId,
        pairedAt: now,
        revokedAt: null,
        pairingGeneration: station.pairingGeneration + 1,
      })
      .where(eq(stations.id, station.id))
    await appendAudit(tx, {
      at: now,
      officeId: station.officeId,
      actorType: 'station',
      actorId: station.id,
      action: 'station.paired',
      target: station.id,
    })
    return {
      ok: true,
      stationToken: token,
      station: { ...station, deviceTokenId, pairedAt: now, revokedAt: null },
    } as const
  })
  // the replaced device's socket is closed at once; it would otherwise keep receiving entrance codes
  if (result.ok) deps.live.closeTopic(topics.station(result.station.id), 4001, 'replaced')
  return result
}

// the station a device token belongs to, if that token is still the station's current one
export async function authenticateStation(deps: AppDeps, token: string) {
  const verified = await verifyToken(deps.keys, 'station', token, deps.clock.now())
  if (!verified.ok) return null
  const { station: stationId, jti } = verified.claims as unknown as { station: string; jti: string }
  const [station] = await deps.database.db
    .select()
    .from(stations)
    .where(and(eq(stations.id, stationId), eq(stations.deviceTokenId, jti), isNull(stations.revokedAt)))
  return station ?? null
}

export async function revokeStation(
  deps: AppDeps,
  { stationId, actorId }: { stationId: string; actorId: string },
) {
  const now = deps.clock.now()
  const station = await deps.database.write(async (tx) => {
    const [station] = await tx.select().from(stations).where(eq(stations.id, stationId))
    if (!station) return null
    // moving the generation on voids every pairing link issued so far
    await tx
      .update(stations)
      .set({ deviceTokenId: null, revokedAt: now, pairingGeneration: station.pairingGeneration + 1 })
      .where(eq(stations.id, stationId))
    await appendAudit(tx, {
      at: now,
      officeId: station.officeId,
      actorType: 'staff',
      actorId,
      action: 'station.revoked',
      target: stationId,
    })
    return station
  })
  if (!station) return false
  // its socket is closed at once, not at the next reconnect
  deps.live.closeTopic(topics.station(stationId), 4001, 'revoked')
  deps.events?.emit({ type: 'station.revoked', officeId: station.officeId, stationId })
  return true
}
