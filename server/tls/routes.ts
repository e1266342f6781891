// HTTPS in the web app: HSTS only when this process serves TLS, and GET /ca.crt for screens that install the local root.
import { Hono, type MiddlewareHandler } from 'hono'
import type { AppEnv } from '../context.ts'
import { badRequest } from '../respond.tsx'
import { isIpAddress, isLocalName } from './config.ts'

// half a year, without includeSubDomains: the office's other names are not ours to decide
export const hstsMaxAgeSeconds = 15_552_000

// browsers ignore HSTS for addresses; for localhost it would force https on every other local dev server
function wantsHsts(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1')
  return !isIpAddress(host) && !isLocalName(host)
}

export function strictTransportSecurity(): MiddlewareHandler<AppEnv> {
  return async function strictTransportSecurity(c, next) {
    await next()
    // the app's port is HTTPS exactly when this process terminates TLS (the plain HTTP_PORT only redirects)
    // (a WebSocket upgrade's 101 carries no page: left alone, like the no-store default does)
    if (c.var.deps.config.tls.mode !== 'off' && c.res.status !== 101 && wantsHsts(c.req.url)) {
      c.header('Strict-Transport-Security', `max-age=${hstsMaxAgeSeconds}`)
    }
  }
}

export const caCertificatePath = '/ca.crt'

// the root certificate is public (installing it on a screen is the point); its key never leaves the data directory
export function caCertificateResponse(certPem: string): Response {
  return new Response(certPem, {
    headers: {
      // the type that makes Android and iOS offer to install a CA certificate
      'content-type': 'application/x-x509-ca-cert',
      'content-disposition': 'attachment; filename="showroom-ca.crt"',
      'cache-control': 'no-cache',
    },
  })
}

export function caCertificateRoutes() {
  const app = new Hono<AppEnv>()
  app.get(caCertificatePath, (c) => {
    const certPem = c.var.deps.tls?.caCertPem
    return certPem ? caCertificateResponse(certPem) : badRequest(c, 'not-found', 404)
  })
  return app
}
