// Reads the signed-in account from the session cookie (a jose token), checking it is current and not revoked.
import type { MiddlewareHandler, Context } from 'hono'
import { getCookie, setCookie, deleteCookie } from 'hono/cookie'
import { eq } from 'drizzle-orm'
import type { AppEnv, SignedIn } from '../context.ts'
import { verifyToken, signToken } from '../tokens.ts'
import { findActiveStaff, findActiveBroker, staffRoles } from '../../models/staff.ts'
import { usedTokens } from '../../models/visits.ts'
import { rotateCsrf } from './csrf.ts'

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
        const { sub, role, jti, exp, gen } = result.claims as unknown as {
          sub: string
          role: string
          jti: string
          exp: number
          gen?: number
        }
        // a session issued before the account's sessions were signed out (password change, reset) is over
        const current = <T extends { sessionGeneration: number }>(account: T | null) =>
          account && (gen ?? 0) === account.sessionGeneration ? account : null
        const expiresAt = exp * 1000
        const [revoked] = await database.db.select().from(usedTokens).where(eq(usedTokens.jti, jti))
        if (!revoked) {
          if (role === 'broker') {
            const broker = current(await findActiveBroker(database.db, sub))
            if (broker) c.set('account', { kind: 'broker', role: 'broker', jti, expiresAt, ...broker })
          } else if ((staffRoles as readonly string[]).includes(role)) {
            const member = current(await findActiveStaff(database.db, sub))
            if (member) c.set('account', { kind: 'staff', jti, expiresAt, ...member })
          }
        }
      }
      if (!c.var.account) deleteCookie(c, sessionCookie, { path: '/' })
    }
    await next()
  }
}

export async function startSession(
  c: Context<AppEnv>,
  account: Omit<SignedIn, 'jti' | 'expiresAt'> & { sessionGeneration: number },
): Promise<void> {
  const { keys, clock, config } = c.var.deps
  const now = clock.now()
  const { token, jti } = await signToken(
    keys,
    'staff',
    { sub: account.id, role: account.role, office: account.officeId, gen: account.sessionGeneration },
    { now, expiresAt: now + sessionHours * 3600_000 },
  )
  setCookie(c, sessionCookie, token, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: config.secureCookies,
    path: '/',
    maxAge: sessionHours * 3600,
  })
  // forms from now on carry the new session's CSRF token
  await rotateCsrf(c, jti)
}
