// Reads the signed-in account from the session cookie (a jose token), checking it is current and not revoked.
import type { MiddlewareHandler, Context } from 'hono'
import { getCookie, setCookie, deleteCookie } from 'hono/cookie'
import { eq } from 'drizzle-orm'
import type { AppEnv, SignedIn } from '../context.ts'
import { verifyToken, signToken } from '../tokens.ts'
import { findActiveStaff, findActiveBroker, staffRoles } from '../../models/staff.ts'
import { usedTokens } from '../../models/visits.ts'

export const sessionCookie = 'sr_session'
export const sessionHours = 10

export function loadSession(): MiddlewareHandler<AppEnv> {
  return async function loadSession(c, next) {
    c.set('account', null)
    const token = getCookie(c, sessionCookie)
    if (token) {
      const { keys, clock, database } = c.var.deps
      const result = await verifyToken(keys, 'staff', token, clock.now())
      if (result.ok) {
        const { sub, role, jti, iat, issuedMs } = result.claims as unknown as {
          sub: string
          role: string
          jti: string
          iat: number
          issuedMs?: number
        }
        const [revoked] = await database.db.select().from(usedTokens).where(eq(usedTokens.jti, jti))
        if (!revoked) {
          if (role === 'broker') {
            const broker = await findActiveBroker(database.db, sub)
            if (broker) c.set('account', { kind: 'broker', role: 'broker', jti, ...broker })
          } else if ((staffRoles as readonly string[]).includes(role)) {
            const member = await findActiveStaff(database.db, sub)
            // every session of the account issued before a local admin reset is over
            const revokedAt = member?.sessionsRevokedAt ?? 0
            if (member && (issuedMs ?? iat * 1000) >= revokedAt)
              c.set('account', { kind: 'staff', jti, ...member })
          }
        }
      }
      if (!c.var.account) deleteCookie(c, sessionCookie, { path: '/' })
    }
    await next()
  }
}

export async function startSession(c: Context<AppEnv>, account: Omit<SignedIn, 'jti'>): Promise<void> {
  const { keys, clock, config } = c.var.deps
  const now = clock.now()
  const { token } = await signToken(
    keys,
    'staff',
    // the issue time to the millisecond: a session begun just after a reset is not mistaken for one before it
    { sub: account.id, role: account.role, office: account.officeId, issuedMs: now },
    { now, expiresAt: now + sessionHours * 3600_000 },
  )
  setCookie(c, sessionCookie, token, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: config.secureCookies,
    path: '/',
    maxAge: sessionHours * 3600,
  })
}
