// Node adapter: config from the environment, data directory and keys on disk, HTTP + WebSocket server, signals.
import { mkdir, readFile, writeFile, chmod } from 'node:fs/promises'
import path from 'node:path'
import { networkInterfaces } from 'node:os'
import type { IncomingMessage, Server as HttpServer } from 'node:http'
import { serve, upgradeWebSocket } from '@hono/node-server'
import { WebSocketServer } from 'ws'
import type { Context } from 'hono'
import { configFromEnv, type Config } from './config.ts'
import { loadOrCreateKeys, type KeyStore } from './keys.ts'
import { openDatabase, migrateDatabase } from '../models/db.ts'
import { seedFirstStart, type SeedResult } from '../models/seed.ts'
import { createApp } from './app.ts'
import { LiveHub } from './live.ts'
import type { AppDeps } from './context.ts'
import { nodeAssetReader } from './assets-node.ts'
import { issuePairingToken } from './stations.ts'
import { startRollupJob } from './jobs/rollup.ts'
import { log } from './log.ts'
import { startPurgeJob } from './jobs/purge.ts'
import { nodeContentStore } from './content/store-node.ts'
import { seedDemoContent } from './content/demo-node.ts'
import { startNodeTls } from './tls/node.ts'
import { listenUrls, originOf } from './listen-urls.ts'
import type { Interfaces } from './tls/names.ts'

export const maxSocketFrameBytes = 16 * 1024
// at shutdown, in-flight requests get this long to finish; connections still open then are closed (a browser's idle
// pre-connected socket would otherwise keep the server from ever closing)
export const shutdownGraceMs = 5000

function fileKeyStore(file: string): KeyStore {
  return {
    load: async () => readFile(file, 'utf8').catch(() => null),
    save: async (text) => {
      await writeFile(file, text, { mode: 0o600, flag: 'wx' })
    },
  }
}

export async function start(config: Config = configFromEnv(process.env)) {
  // everything this process creates (database, WAL, keys) is private to its user
  process.umask(0o077)
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 })
  await chmod(config.dataDir, 0o700)
  const { keys } = await loadOrCreateKeys(fileKeyStore(path.join(config.dataDir, 'keys.json')))
  const database = await openDatabase({ url: config.databaseUrl, authToken: config.databaseAuthToken })
  await migrateDatabase(database)
  const clock = { now: () => Date.now() }
  const seeded = await seedFirstStart({
    database,
    adminPassword: config.adminPassword,
    demo: config.demo,
    now: clock.now(),
  })

  const live = new LiveHub()
  const tls = await startNodeTls(config)
  const deps = {
    config,
    database,
    keys,
    clock,
    live,
    assets: nodeAssetReader(),
    content: nodeContentStore(path.join(config.dataDir, 'content')),
    upgradeWebSocket,
    clientAddress: (c: Context) =>
      (c.env as { incoming?: IncomingMessage }).incoming?.socket.remoteAddress ?? 'unknown',
    tls: { caCertPem: tls?.caCertPem },
  } satisfies AppDeps
  if (seeded && config.demoContent) await seedDemoContent(deps, seeded.officeId)
  const app = createApp(deps)
  const purgeJob = startPurgeJob(deps)
  const rollupJob = startRollupJob(deps)
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxSocketFrameBytes })
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve(
      {
        fetch: app.fetch,
        hostname: config.host,
        port: config.port,
        websocket: { server: wss },
        ...tls?.serveOptions(),
      },
      () => resolve(s),
    )
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : config.port
  tls?.attach(server, port)
  const scheme = tls ? 'https' : 'http'
  // with HOST=0.0.0.0 or :: one URL per interface address (never the wildcard); PUBLIC_URL wins when set
  const network = listenUrls({
    scheme,
    host: config.host,
    port,
    interfaces: networkInterfaces() as Interfaces,
  })
  const isWildcard = ['0.0.0.0', '::'].includes(config.host)
  const listening = originOf(scheme, isWildcard ? '127.0.0.1' : config.host, port)
  const base = config.tls.publicOrigin ?? network[0] ?? originOf(scheme, '127.0.0.1', port)
  // demo screens: pairing links good for a day, so the printed URLs work as they are
  const pairing = new Map<string, string>()
  for (const station of seeded?.stations ?? []) {
    pairing.set(station.id, `${base}/pair/${await issuePairingToken(deps, station.id, { minutes: 24 * 60 })}`)
  }
  const extra =
    network.length > 1 || network[0] !== base
      ? network.map((url) => `  ${isWildcard ? 'Network' : 'Listening on'}: ${url}`)
      : []
  if (tls?.caFingerprint) {
    extra.push(
      `  Local CA: install ${base}/ca.crt on each screen; its SHA-256 fingerprint is ${tls.caFingerprint}`,
    )
  }
  if (tls?.httpPort !== undefined) extra.push(`  Port ${tls.httpPort} (plain HTTP) redirects to ${base}`)
  announce(base, seeded, pairing, extra)
  log({ msg: 'listening', url: listening })

  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    log({ msg: 'stopping', signal })
    await tls?.stop()
    await purgeJob.stop()
    await rollupJob.stop()
    live.closeAll()
    for (const client of wss.clients) client.terminate()
    // stop accepting, let in-flight requests finish (within the grace period), then close the database
    const closed = new Promise<void>((resolve) => server.close(() => resolve()))
    const grace = setTimeout(() => (server as HttpServer).closeAllConnections?.(), shutdownGraceMs)
    await closed
    clearTimeout(grace)
    database.close()
    log({ msg: 'stopped' })
  }
  return { app, deps, seeded, server, database, live, base, port, stop, tls, pairing }
}

function announce(base: string, seeded: SeedResult | null, pairing: Map<string, string>, extra: string[]) {
  const lines = [
    `Showroom is running at ${base}`,
    ...extra,
    `  Dashboard: ${base}/dashboard   Sign in: ${base}/login`,
  ]
  if (seeded) {
    for (const station of seeded.stations) {
      lines.push(`  ${station.name}: ${base}/${station.kind}/${station.id}`)
      lines.push(`    pair this browser as that screen (link valid 24 h): ${pairing.get(station.id)}`)
    }
    if (seeded.admin.password) {
      lines.push(
        `  First admin login: admin / ${seeded.admin.password}   (shown once; change it after signing in)`,
      )
    } else {
      lines.push('  First admin login: admin / (the password in SHOWROOM_ADMIN_PASSWORD)')
    }
    for (const account of seeded.demoAccounts) {
      lines.push(`  Demo ${account.role} login: ${account.username} / ${account.password}`)
    }
  }
  console.log(lines.join('\n'))
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('server/main.ts')) {
  const running = await start().catch((error: Error) => {
    // a setting that cannot work (TLS=acme for an address, a missing key file…): its message, not a stack
    console.error(`Showroom cannot start: ${error.message}`)
    process.exit(1)
  })
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      running.stop(signal).then(() => process.exit(0))
    })
  }
}
