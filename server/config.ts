// Settings from the environment, with the defaults of the public contract (DESIGN.md).
import { parsePublicUrl } from './public-origin.ts'
import { tlsConfigFromEnv, type TlsConfig } from './tls/config.ts'

export type Config = {
  host: string
  port: number
  dataDir: string
  // backups live outside DATA_DIR, so that resetting the data does not delete them
  backupDir: string
  databaseUrl: string
  databaseAuthToken?: string
  adminPassword?: string
  demo: boolean
  // the demo office's two months of history and consultants on duty (SHOWROOM_DEMO_HISTORY=0: the bare demo office)
  demoHistory: boolean
  // what the demo history is generated from: the same seed gives the same history for the same day
  demoSeed?: string
  // PUBLIC_URL's origin: the origin of every printed link and QR code (server/public-origin.ts)
  publicUrl?: string
  // more host names the server answers to (TLS_HOSTNAMES): requests for other names get 421
  extraHostnames: string[]
  // the demo office also gets generated signage content (ffmpeg at first start)
  demoContent: boolean
  // set when served behind https: cookies get `Secure`
  secureCookies: boolean
  bodyLimitBytes: number
  // how often the retention purge runs (ms)
  purgeIntervalMs: number
  // signage uploads: size caps by kind (they stream to disk, past the body limit)
  contentMaxVideoBytes: number
  contentMaxImageBytes: number
  contentMaxPageBytes: number
  // HTTPS served by this process (server/tls/)
  tls: TlsConfig
  // reverse proxies in front of the server (TRUST_PROXY): 0 = the socket address is the client; n = the
  // address the n-th proxy from us saw (the n-th entry from the right of X-Forwarded-For)
  trustProxy: number
}

export const maxTrustedProxies = 5

function trustProxyFromEnv(value: string | undefined): number {
  if (!value) return 0
  if (!/^\d+$/.test(value) || Number(value) > maxTrustedProxies)
    throw new Error(
      `TRUST_PROXY must be the number of reverse proxies in front of the server (0–${maxTrustedProxies}), not "${value}"`,
    )
  return Number(value)
}

// no DATABASE_URL, or a file: one, is the office's own SQLite file
function isLocalDatabase(url: string | undefined): boolean {
  return !url || url.startsWith('file:') || url === ':memory:'
}

export function configFromEnv(env: Record<string, string | undefined>): Config {
  const dataDir = env.DATA_DIR ?? './data'
  const tls = tlsConfigFromEnv(env)
  const publicUrl = parsePublicUrl(env.PUBLIC_URL)
  // a libsql server is shared by offices: the demo office and its accounts land there only when asked (=1)
  const demo = (env.SHOWROOM_DEMO ?? (isLocalDatabase(env.DATABASE_URL) ? '1' : '0')) !== '0'
  return {
    host: env.HOST ?? '127.0.0.1',
    port: Number(env.PORT ?? 8787),
    dataDir,
    backupDir: env.BACKUP_DIR || './backups',
    databaseUrl: env.DATABASE_URL ?? `file:${dataDir}/showroom.db`,
    databaseAuthToken: env.DATABASE_AUTH_TOKEN,
    adminPassword: env.SHOWROOM_ADMIN_PASSWORD || undefined,
    demo,
    demoHistory: (env.SHOWROOM_DEMO_HISTORY ?? '1') !== '0',
    demoSeed: env.SHOWROOM_DEMO_SEED || undefined,
    // the demo's floor plan, film and page are for the demo office only, never a real office's library
    demoContent: demo && (env.SHOWROOM_DEMO_CONTENT ?? '1') !== '0',
    publicUrl,
    // the names on the server certificate are names it answers to
    extraHostnames: tls.extraHostnames.map((name) => name.toLowerCase()),
    secureCookies: (publicUrl?.startsWith('https:') ?? false) || tls.mode !== 'off',
    bodyLimitBytes: Number(env.BODY_LIMIT_BYTES ?? 64 * 1024),
    purgeIntervalMs: Number(env.PURGE_INTERVAL_MS ?? 3600_000),
    contentMaxVideoBytes: Number(env.CONTENT_MAX_VIDEO_BYTES ?? 200 * 1024 * 1024),
    contentMaxImageBytes: Number(env.CONTENT_MAX_IMAGE_BYTES ?? 20 * 1024 * 1024),
    contentMaxPageBytes: Number(env.CONTENT_MAX_PAGE_BYTES ?? 5 * 1024 * 1024),
    trustProxy: trustProxyFromEnv(env.TRUST_PROXY),
    tls,
  }
}

// settings for tests: nothing on disk, fixed small limits
export function testConfig(overrides: Partial<Config> = {}): Config {
  const base = configFromEnv({ SHOWROOM_DEMO: '0', DATABASE_URL: ':memory:' })
  const secureCookies = overrides.secureCookies ?? overrides.publicUrl?.startsWith('https:') ?? false
  return { ...base, ...overrides, secureCookies }
}
