// The visit pass: a signed cookie (typ visit) on the visitor's phone until the end of the office's day.
import type { Context } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import type { AppEnv } from './context.ts'
import { signToken, verifyToken } from './tokens.ts'

export const visitPassCookie = 'sr_visit'
// referralId: the broker's link this browser opened before checking in (its own, so its pages may name it)
export type VisitPass = { visitId: string; visitorId: string; officeId: string; referralId?: string | null }

export async function issueVisitPass(
  c: Context<AppEnv>,
  pass: VisitPass,
  expiresAt: number,
): Promise<string> {
  const { keys, clock, config } = c.var.deps
  const { token } = await signToken(
    keys,
    'visit',
    {
      visit: pass.visitId,
      visitor: pass.visitorId,
      office: pass.officeId,
      ...(pass.referralId ? { referral: pass.referralId } : {}),
    },
    { now: clock.now(), expiresAt },
  )
  setCookie(c, visitPassCookie, token, {
    httpOnly: true,
    // Lax: the pass must come along when the visitor opens a station QR from the camera app
    sameSite: 'Lax',
    secure: config.secureCookies,
    path: '/',
    expires: new Date(expiresAt),
  })
  return token
}

export async function readVisitPass(c: Context<AppEnv>): Promise<VisitPass | null> {
  const token = getCookie(c, visitPassCookie)
  if (!token) return null
  const result = await verifyToken(c.var.deps.keys, 'visit', token, c.var.deps.clock.now())
  if (!result.ok) return null
  const { visit, visitor, office, referral } = result.claims as Record<string, unknown>
  if (typeof visit !== 'string' || typeof visitor !== 'string' || typeof office !== 'string') return null
  return {
    visitId: visit,
    visitorId: visitor,
    officeId: office,
    referralId: typeof referral === 'string' ? referral : null,
  }
}
