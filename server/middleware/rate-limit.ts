// Fixed-window rate limits in memory, keyed per client (TRUST_PROXY-aware) and purpose: floods on public endpoints get 429.
import type { MiddlewareHandler, Context } from 'hono'
import type { AppEnv } from '../context.ts'
import { badRequest } from '../respond.tsx'
import { appendAudit } from '../../models/audit.ts'
import { clientAddress } from '../client-address.ts'

export class RateLimiter {
  #windows = new Map<string, { start: number; count: number }>()
  constructor(
    readonly max: number,
    readonly windowMs: number,
  ) {}

  // true when this hit is within the limit
  hit(key: string, now: number): boolean {
    return this.count(key, now) <= this.max
  }

  // hits in the current window, this one included
  count(key: string, now: number): number {
    const window = this.#windows.get(key)
    if (!window || now - window.start >= this.windowMs) {
      if (this.#windows.size > 50_000) this.#sweep(now)
      this.#windows.set(key, { start: now, count: 1 })
      return 1
    }
    window.count += 1
    return window.count
  }

  #sweep(now: number) {
    for (const [key, window] of this.#windows)
      if (now - window.start >= this.windowMs) this.#windows.delete(key)
  }
}

export function rateLimit({
  name,
  max,
  windowMs = 60_000,
  methods = ['POST'],
}: {
  name: string
  max: number
  windowMs?: number
  methods?: string[]
}): MiddlewareHandler<AppEnv> {
  const limiter = new RateLimiter(max, windowMs)
  return async function rateLimited(c, next) {
    if (!methods.includes(c.req.method)) return next()
    const { clock, database } = c.var.deps
    const hits = limiter.count(`${name}:${clientAddress(c)}`, clock.now())
    if (hits > max) {
      // one audit row per flood and window, not one per refused request
      if (hits === max + 1) {
        await appendAudit(database.db, {
          at: clock.now(),
          actorType: 'anonymous',
          action: 'rate-limited',
          target: name,
        })
      }
      c.header('Retry-After', String(Math.ceil(windowMs / 1000)))
      return badRequest(c, 'rate-limited', 429)
    }
    await next()
  }
}
