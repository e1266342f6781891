// Structured JSON logs, one object a line: route templates and numbers only, never tokens or phone numbers.
import type { MiddlewareHandler } from 'hono'
import { matchedRoutes } from 'hono/route'

export type LogLevel = 'info' | 'warn' | 'error'
export type LogFields = Record<string, unknown> & { msg: string }
export type LogSink = (line: string) => void

// console.log works on every runtime (Node, Deno); tests swap it to capture what would be written
let sink: LogSink = (line) => console.log(line)

export function setLogSink(next: LogSink): LogSink {
  const previous = sink
  sink = next
  return previous
}

// what looks like a signed token or a mainland mobile number is masked even if a caller passes it by mistake
const jwtLike = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*\.?[A-Za-z0-9_-]*/g
const phoneLike = /(?<!\d)(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}(?!\d)/g
const longSecretLike = /[A-Za-z0-9_-]{40,}/g

export function redact(text: string): string {
  return text.replace(jwtLike, '[token]').replace(phoneLike, '[phone]').replace(longSecretLike, '[secret]')
}

export function log(fields: LogFields, level: LogLevel = 'info'): void {
  const line = JSON.stringify({ at: new Date().toISOString(), level, ...fields })
  sink(redact(line))
}

// the registered path of the handler that answered ("/pair/:token"), never the URL as sent
export function routeTemplate(c: Parameters<MiddlewareHandler>[0]): string {
  const routes = matchedRoutes(c).filter((r) => r.method !== 'ALL' && r.path !== '/*' && r.path !== '*')
  return routes.at(-1)?.path ?? '(unmatched)'
}

// one line per request: method, route template, status, duration
export function requestLog(): MiddlewareHandler {
  return async function requestLog(c, next) {
    const started = performance.now()
    await next()
    const ms = Math.round((performance.now() - started) * 10) / 10
    const status = c.res.status
    log(
      { msg: 'request', method: c.req.method, route: routeTemplate(c), status, ms },
      status >= 500 ? 'error' : 'info',
    )
  }
}
