// Form bodies are parsed once, up front: one that cannot be parsed (broken multipart, no boundary) is a 400.
import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../context.ts'
import { badRequest } from '../respond.tsx'

const withBody = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

export function formBody(): MiddlewareHandler<AppEnv> {
  return async function formBody(c, next) {
    const type = c.req.header('content-type') ?? ''
    if (
      withBody.has(c.req.method) &&
      (type.startsWith('multipart/form-data') || type.startsWith('application/x-www-form-urlencoded'))
    ) {
      // Hono keeps the parsed body, so the CSRF check and the route read this same parse
      try {
        await c.req.parseBody()
      } catch {
        return badRequest(c, 'invalid-input', 400, ['body: not a readable form'])
      }
    }
    await next()
  }
}
