// CSRF: a per-browser random token (cookie) that every state-changing HTML request must echo (header or form field).
import type { MiddlewareHandler } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import { newId } from '../../models/ids.ts'
import type { AppEnv } from '../context.ts'
import { badRequest } from '../respond.tsx'

export const csrfCookie = 'sr_csrf'
export const csrfHeader = 'x-csrf-token'
export const csrfField = '_csrf'
const unsafe = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

// streamingPaths: routes whose body is a large upload, never parsed here; their forms carry the token in the query
export function csrfProtection({
  secure = false,
  streamingPaths = [],
}: { secure?: boolean; streamingPaths?: string[] } = {}): MiddlewareHandler<AppEnv> {
  return async function csrfProtection(c, next) {
    let token = getCookie(c, csrfCookie)
    if (!token || !/^[A-Za-z0-9_-]{16,64}$/.test(token)) {
      token = newId(24)
      setCookie(c, csrfCookie, token, { httpOnly: true, sameSite: 'Lax', secure, path: '/' })
    }
    c.set('csrfToken', token)
    if (unsafe.has(c.req.method)) {
      let sent = c.req.header(csrfHeader)
      const type = c.req.header('content-type') ?? ''
      const streaming = streamingPaths.includes(c.req.path) && type.startsWith('multipart/form-data')
      if (!sent && streaming) sent = c.req.query(csrfField)
      else if (!sent) {
        if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')) {
          const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>)
          sent = typeof form[csrfField] === 'string' ? (form[csrfField] as string) : undefined
        }
      }
      if (sent !== token) return badRequest(c, 'csrf', 403)
    }
    await next()
  }
}

// call after login: a new browser session gets a new token (no fixation)
export function rotateCsrf(c: Parameters<MiddlewareHandler<AppEnv>>[0], secure: boolean): string {
  const token = newId(24)
  setCookie(c, csrfCookie, token, { httpOnly: true, sameSite: 'Lax', secure, path: '/' })
  c.set('csrfToken', token)
  return token
}
