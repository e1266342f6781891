// The broker's referral link (报备): a short code a phone scans from the share page; the signed JWT of old links
// is still honoured until it expires. Either way the referral row decides, and its protection period ends it.
import type { AppContext, AppDeps } from './context.ts'
import type { TokenFailure } from './tokens.ts'
import { verifyToken } from './tokens.ts'
import { isShortCode, shortLinkCode, shortLinkId } from './short-links.ts'
import { publicLink } from './public-origin.ts'
import { getReferral } from '../models/referrals.ts'

export async function referralLink(c: AppContext, referral: { id: string }) {
  return publicLink(c, `/r/${await shortLinkCode(c.var.deps.keys, 'referral', referral.id)}`)
}

export type ReferralFromLink =
  | { ok: true; referral: NonNullable<Awaited<ReturnType<typeof getReferral>>> }
  | { ok: false; failure: TokenFailure }

export async function readReferralLink(deps: AppDeps, token: string): Promise<ReferralFromLink> {
  const now = deps.clock.now()
  let referralId: string | null
  if (isShortCode(token)) {
    referralId = await shortLinkId(deps.keys, 'referral', token)
    if (!referralId) return { ok: false, failure: 'forged' }
  } else {
    const result = await verifyToken(deps.keys, 'referral', token, now)
    if (!result.ok) return result
    referralId = String(result.claims.referral)
  }
  const referral = await getReferral(deps.database.db, referralId)
  if (!referral) return { ok: false, failure: 'malformed' }
  if (referral.expiresAt <= now) return { ok: false, failure: 'expired' }
  return { ok: true, referral }
}
