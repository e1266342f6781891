// The entrance code as presence proof: issued to an entrance screen, bound to the browser that opens it while valid,
// redeemed by that browser's check-in form once, within a few minutes; a code makes at most a capped number of visits.
import type { Context } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import type { AppDeps, AppEnv } from './context.ts'
import type { Tx } from '../models/db.ts'
import { usedTokens } from '../models/visits.ts'
import {
  issueEntranceCode,
  findEntranceCode,
  countEntranceCheckin,
  type EntranceCode,
} from '../models/entrance-codes.ts'
import { signToken, verifyToken } from './tokens.ts'

// life of a code on the entrance screen (rotated every 20 s, so a phone always sees one with ≥ 40 s left)
export const entranceCodeSeconds = 60
// time from opening the code to sending the form: reading the page and typing a number
export const entryBindingMs = 5 * 60_000
// check-ins one code can make: a crowd arriving together, not a photographed code passed around
export const entranceCodeCheckinCap = 20
export const entryCookie = 'sr_entry'

export type EntryFailure = 'unknown-code' | 'expired' | 'not-opened' | 'wrong-code' | 'used' | 'code-cap'
export type EntryBinding = { jti: string; expiresAt: number; code: EntranceCode }

// a new code for an entrance screen, and the short URL its QR carries
export async function newEntranceCode(
  deps: AppDeps,
  station: { id: string; officeId: string },
  origin: string,
) {
  const now = deps.clock.now()
  const code = await deps.database.write((tx) =>
    issueEntranceCode(tx, {
      officeId: station.officeId,
      stationId: station.id,
      now,
      lifetimeMs: entranceCodeSeconds * 1000,
    }),
  )
  return { code, url: `${origin}/checkin?t=${code.id}` }
}

// GET /checkin?t=…: a code still valid binds this browser to it (a signed HttpOnly cookie naming the code)
export async function openEntranceCode(
  c: Context<AppEnv>,
  codeId: string,
): Promise<{ ok: true; code: EntranceCode } | { ok: false; failure: EntryFailure }> {
  const { database, clock, keys, config } = c.var.deps
  const now = clock.now()
  const code = await findEntranceCode(database.db, codeId)
  if (!code) return { ok: false, failure: 'unknown-code' }
  if (code.expiresAt <= now) return { ok: false, failure: 'expired' }
  const expiresAt = now + entryBindingMs
  const { token } = await signToken(
    keys,
    'entrance',
    { code: code.id, office: code.officeId, station: code.stationId },
    { now, expiresAt },
  )
  setCookie(c, entryCookie, token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: config.secureCookies,
    path: '/',
    expires: new Date(expiresAt),
  })
  return { ok: true, code }
}

// the form's code must be the one this browser opened, within the binding's few minutes
export async function readEntryBinding(
  c: Context<AppEnv>,
  codeId: string,
): Promise<{ ok: true; binding: EntryBinding } | { ok: false; failure: EntryFailure }> {
  const { database, clock, keys } = c.var.deps
  const cookie = getCookie(c, entryCookie)
  if (!cookie) return { ok: false, failure: 'not-opened' }
  const verified = await verifyToken(keys, 'entrance', cookie, clock.now())
  if (!verified.ok) return { ok: false, failure: verified.failure === 'expired' ? 'expired' : 'not-opened' }
  if (verified.claims.code !== codeId) return { ok: false, failure: 'wrong-code' }
  const code = await findEntranceCode(database.db, codeId)
  if (!code) return { ok: false, failure: 'unknown-code' }
  return {
    ok: true,
    binding: { jti: verified.claims.jti, expiresAt: verified.claims.exp * 1000, code },
  }
}

// inside the check-in's transaction: the binding is spent and (for a visitor) the code's count goes up, or nothing
export async function redeemEntryBinding(
  tx: Tx,
  binding: EntryBinding,
  { now, countsAsCheckin }: { now: number; countsAsCheckin: boolean },
): Promise<{ ok: true; checkins: number } | { ok: false; failure: EntryFailure }> {
  const spent = await tx
    .insert(usedTokens)
    .values({ jti: binding.jti, typ: 'entrance', usedAt: now, expiresAt: binding.expiresAt })
    .onConflictDoNothing()
    .returning({ jti: usedTokens.jti })
  if (spent.length === 0) return { ok: false, failure: 'used' }
  if (!countsAsCheckin) return { ok: true, checkins: binding.code.checkins }
  const checkins = await countEntranceCheckin(tx, { id: binding.code.id, cap: entranceCodeCheckinCap })
  if (checkins === null) return { ok: false, failure: 'code-cap' }
  return { ok: true, checkins }
}
