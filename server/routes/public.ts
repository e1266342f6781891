// Routes anyone may call: liveness, readiness, public keys, and the files the browser loads (no CDN).
import { Hono } from 'hono'
import type { AppEnv } from '../context.ts'
import { migrationsCurrent } from '../../models/db.ts'
import { badRequest } from '../respond.tsx'
import { resolveAssetPath } from '../asset-urls.ts'

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

const compressibleAsset = /^(text\/|application\/json|image\/svg)/
// brotli at its best quality is slow: pages' own files only, never the multi-megabyte detector wasm (gzip streams it)
const maxBrotliBytes = 512 * 1024

// each asset is brotli-compressed once per process (quality 11 is slow; the files do not change while running)
const brotliCache = new Map<string, { source: Uint8Array; compressed: Uint8Array }>()
function brotliOnce(brotli: (bytes: Uint8Array) => Uint8Array, file: string, body: Uint8Array) {
  const cached = brotliCache.get(file)
  if (cached && cached.source.length === body.length && cached.source.every((b, i) => b === body[i]))
    return cached.compressed
  const compressed = brotli(body)
  brotliCache.set(file, { source: body, compressed })
  return compressed
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
      const { file, immutable } = resolveAssetPath(`/${prefix}/${rest}`)
      const body = await c.var.deps.assets(file.slice(1))
      if (!body) return badRequest(c, 'not-found', 404)
      const ext = file.slice(file.lastIndexOf('.') + 1)
      const type = contentTypes[ext] ?? 'application/octet-stream'
      c.header('Content-Type', type)
      c.header(
        'Cache-Control',
        immutable
          ? 'public, max-age=31536000, immutable'
          : prefix === 'vendor' || prefix === 'models'
            ? 'public, max-age=86400'
            : 'no-cache',
      )
      // brotli where the runtime offers it and the client takes it (else the compress middleware gzips)
      const brotli = c.var.deps.brotli
      if (
        brotli &&
        body.length <= maxBrotliBytes &&
        compressibleAsset.test(type) &&
        /\bbr\b/.test(c.req.header('accept-encoding') ?? '')
      ) {
        c.header('Content-Encoding', 'br')
        c.header('Vary', 'Accept-Encoding')
        return c.body(brotliOnce(brotli, file, body) as Uint8Array<ArrayBuffer>)
      }
      return c.body(body as Uint8Array<ArrayBuffer>)
    })
  }
  return app
}
