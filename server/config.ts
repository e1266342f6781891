// Settings from the environment, with the defaults of the public contract (DESIGN.md).
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
  // set when served behind https: cookies get `Secure`
  secureCookies: boolean
  bodyLimitBytes: number
  // how often the retention purge runs (ms)
  purgeIntervalMs: number
}

// no DATABASE_URL, or a file: one, is the office's own SQLite file
function isLocalDatabase(url: string | undefined): boolean {
  return !url || url.startsWith('file:') || url === ':memory:'
}

export function configFromEnv(env: Record<string, string | undefined>): Config {
  const dataDir = env.DATA_DIR ?? './data'
  return {
    host: env.HOST ?? '127.0.0.1',
    port: Number(env.PORT ?? 8787),
    dataDir,
    backupDir: env.BACKUP_DIR || './backups',
    databaseUrl: env.DATABASE_URL ?? `file:${dataDir}/showroom.db`,
    databaseAuthToken: env.DATABASE_AUTH_TOKEN,
    adminPassword: env.SHOWROOM_ADMIN_PASSWORD || undefined,
    // a libsql server is shared by offices: the demo office and its accounts land there only when asked (=1)
    demo: (env.SHOWROOM_DEMO ?? (isLocalDatabase(env.DATABASE_URL) ? '1' : '0')) !== '0',
    secureCookies: (env.PUBLIC_URL ?? '').startsWith('https:'),
    bodyLimitBytes: Number(env.BODY_LIMIT_BYTES ?? 64 * 1024),
    purgeIntervalMs: Number(env.PURGE_INTERVAL_MS ?? 3600_000),
  }
}

// settings for tests: nothing on disk, fixed small limits
export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...configFromEnv({ SHOWROOM_DEMO: '0', DATABASE_URL: ':memory:' }), ...overrides }
}
