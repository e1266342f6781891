// CSRF: double-submit (cookie + header or form field) of a token that, once signed in, is the HMAC of the session id.
import type { MiddlewareHandler, Context } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import { base64url, newId } from '../../models/ids.ts'
import type { AppEnv } from '../context.ts'
import { badRequest } from '../respond.tsx'

export const csrfCookie = 'sr_csrf'
export const csrfHeader = 'x-csrf-token'
export const csrfField = '_csrf'
const unsafe = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
const anonymousToken = /^[A-Za-z0-9_-]{16,64}$/

// a signed-in session's token: only the server can make it, and only for that session, so a value planted in
// the cookie (a sibling host, a plain-http answer) or copied from another session never passes
export async function sessionCsrfToken(macKey: CryptoKey, sessionId: string): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', macKey, new TextEncoder().encode(`csrf:${sessionId}`))
  return base64url(new Uint8Array(mac))
}

function setToken(c: Context<AppEnv>, token: string) {
  const secure = c.var.deps.config.secureCookies
  setCookie(c, csrfCookie, token, { httpOnly: true, sameSite: 'Lax', secure, path: '/' })
  c.set('csrfToken', token)
}

// runs after loadSession: the token expected depends on who is signed in. isStreaming: a request whose body is a
// large upload, never parsed here; its form carries the token in the query
export function csrfProtection({
  isStreaming = () => false,
}: { isStreaming?: (c: Context<AppEnv>) => boolean } = {}): MiddlewareHandler<AppEnv> {
  return async function csrfProtection(c, next) {
    const account = c.var.account
    // before sign-in there is no session to tie to: a random per-browser value (the sign-in form, visitors)
    const expected = account ? await sessionCsrfToken(c.var.deps.keys.macKey, account.jti) : null
    let token = getCookie(c, csrfCookie)
    const current = expected ? token === expected : !!token && anonymousToken.test(token)
    if (!current || !token) setToken(c, (token = expected ?? newId(24)))
    else c.set('csrfToken', token)
    if (unsafe.has(c.req.method)) {
      let sent = c.req.header(csrfHeader)
      const type = c.req.header('content-type') ?? ''
      if (!sent && isStreaming(c)) sent = c.req.query(csrfField)
      else if (!sent) {
        if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')) {
          const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>)
          sent = typeof form[csrfField] === 'string' ? (form[csrfField] as string) : undefined
        }
      }
      // the cookie was replaced above when it did not belong to this session, so a planted one fails here
      if (!sent || sent !== token || !current) return badRequest(c, 'csrf', 403)
    }
    await next()
  }
}

// call when a session starts (sign-in, a password change that signs out the others): the new session's token
export async function rotateCsrf(c: Context<AppEnv>, sessionId: string): Promise<string> {
  const token = await sessionCsrfToken(c.var.deps.keys.macKey, sessionId)
  setToken(c, token)
  return token
}
