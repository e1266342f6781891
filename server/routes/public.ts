// Routes anyone may call: liveness, readiness, public keys, and the files the browser loads (no CDN).
import { Hono } from 'hono'
import type { AppEnv } from '../context.ts'
import { migrationsCurrent } from '../../models/db.ts'
import { badRequest } from '../respond.tsx'

const contentTypes: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  wasm: 'application/wasm',
  tflite: 'application/octet-stream',
  json: 'application/json',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  webp: 'image/webp',
  mp4: 'video/mp4',
  webm: 'video/webm',
  map: 'application/json',
}

// one segment or a few, each of safe characters: no "..", no absolute paths, no encoded slashes
export const safeAssetPath = /^(?:[A-Za-z0-9_-][A-Za-z0-9._-]*\/){0,3}[A-Za-z0-9_-][A-Za-z0-9._-]*$/

export function publicRoutes() {
  const app = new Hono<AppEnv>()

  app.get('/healthz', async (c) => {
    return c.json({ ok: true })
  })

  app.get('/readyz', async (c) => {
    const { database } = c.var.deps
    try {
      await database.client.execute('SELECT 1')
    } catch {
      return c.json({ ok: false, database: 'unreachable' }, 503)
    }
    const current = await migrationsCurrent(database)
    return c.json(
      { ok: current, database: 'reachable', migrations: current ? 'current' : 'pending' },
      current ? 200 : 503,
    )
  })

  app.get('/.well-known/jwks.json', (c) => {
    c.header('Cache-Control', 'public, max-age=300')
    return c.json({ keys: [c.var.deps.keys.publicJwk] })
  })

  for (const prefix of ['vendor', 'assets', 'models']) {
    app.get(`/${prefix}/*`, async (c) => {
      // malformed escapes (%c0%af) are refused like any other unsafe path, not thrown as a 500
      let rest = ''
      try {
        rest = decodeURIComponent(c.req.path.slice(prefix.length + 2))
      } catch {
        return badRequest(c, 'not-found', 404)
      }
      if (!safeAssetPath.test(rest)) return badRequest(c, 'not-found', 404)
      const body = await c.var.deps.assets(`${prefix}/${rest}`)
      if (!body) return badRequest(c, 'not-found', 404)
      const ext = rest.slice(rest.lastIndexOf('.') + 1)
      c.header('Content-Type', contentTypes[ext] ?? 'application/octet-stream')
      c.header(
        'Cache-Control',
        prefix === 'vendor' || prefix === 'models' ? 'public, max-age=86400' : 'no-cache',
      )
      return c.body(body as Uint8Array<ArrayBuffer>)
    })
  }
  return app
}
