// The one origin of every printed link, QR code and absolute redirect: PUBLIC_URL when set, else the request's own
// origin, and then only for a host this server answers to (a request naming any other host is refused: 421).
import type { MiddlewareHandler } from 'hono'
import type { AppContext, AppEnv } from './context.ts'
import type { Config } from './config.ts'

// PUBLIC_URL as an origin (scheme, host, port), or an error naming what is wrong with it
export function parsePublicUrl(value: string | undefined): string | undefined {
  if (!value) return undefined
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new Error(`PUBLIC_URL is not a URL: ${value}`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new Error(`PUBLIC_URL must start with https:// or http://: ${value}`)
  if (url.pathname !== '/' || url.search || url.hash || url.username)
    throw new Error(`PUBLIC_URL must be an origin only (no path, query or credentials): ${value}`)
  return url.origin
}

const ipv4 = /^\d{1,3}(?:\.\d{1,3}){3}$/

// names a LAN server is opened by without a PUBLIC_URL: addresses, localhost, single-label and .local names
function isLocalName(hostname: string) {
  const name = hostname.toLowerCase()
  return (
    ipv4.test(name) ||
    name.startsWith('[') ||
    name === 'localhost' ||
    name.endsWith('.localhost') ||
    name.endsWith('.local') ||
    /^[a-z0-9-]+$/.test(name)
  )
}

// PUBLIC_URL's origin, as parsed here or by the TLS settings (both read the same variable)
const configuredOrigin = (config: Pick<Config, 'publicUrl' | 'tls'>) =>
  config.publicUrl ?? config.tls?.publicOrigin

export function isKnownHost(config: Pick<Config, 'publicUrl' | 'extraHostnames' | 'tls'>, hostname: string) {
  const name = hostname.toLowerCase()
  const origin = configuredOrigin(config)
  if (origin && new URL(origin).hostname === name) return true
  return isLocalName(name) || config.extraHostnames.includes(name)
}

export function publicOrigin(c: AppContext): string {
  return configuredOrigin(c.var.deps.config) ?? new URL(c.req.url).origin
}

// liveness and readiness answer probes whatever Host they name; they print no link
const anyHostPaths = new Set(['/healthz', '/readyz'])

// an absolute URL for a path (starting with /) under the public origin
export function publicLink(c: AppContext, path: string): string {
  return `${publicOrigin(c)}${path}`
}

// DNS rebinding and Host-header links: a name we were not told about gets 421 Misdirected Request, nothing else
export function refuseUnknownHosts(): MiddlewareHandler<AppEnv> {
  return async function refuseUnknownHost(c, next) {
    const { hostname, pathname } = new URL(c.req.url)
    if (!anyHostPaths.has(pathname) && !isKnownHost(c.var.deps.config, hostname)) {
      return c.text(
        'Misdirected request: this server does not answer to that host name; set PUBLIC_URL.\n' +
          '请求的主机名不属于本服务器；请设置 PUBLIC_URL。\n',
        421,
      )
    }
    await next()
  }
}
