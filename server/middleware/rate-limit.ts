// Fixed-window rate limits in memory, keyed per client and purpose: floods on public endpoints get 429.
import type { MiddlewareHandler, Context } from 'hono'
import type { AppEnv } from '../context.ts'
import { badRequest } from '../respond.tsx'

export class RateLimiter {
  #windows = new Map<string, { start: number; count: number }>()
  constructor(
    readonly max: number,
    readonly windowMs: number,
  ) {}

  // true when this hit is within the limit
  hit(key: string, now: number): boolean {
    const window = this.#windows.get(key)
    if (!window || now - window.start >= this.windowMs) {
      if (this.#windows.size > 50_000) this.#sweep(now)
      this.#windows.set(key, { start: now, count: 1 })
      return true
    }
    window.count += 1
    return window.count <= this.max
  }

  #sweep(now: number) {
    for (const [key, window] of this.#windows)
      if (now - window.start >= this.windowMs) this.#windows.delete(key)
  }
}

export function clientKey(c: Context<AppEnv>): string {
  return c.var.deps.clientAddress?.(c) ?? 'local'
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
    if (methods.includes(c.req.method) && !limiter.hit(`${name}:${clientKey(c)}`, c.var.deps.clock.now())) {
      c.header('Retry-After', String(Math.ceil(windowMs / 1000)))
      return badRequest(c, 'rate-limited', 429)
    }
    await next()
  }
}
