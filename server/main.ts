// Node adapter: config from the environment, data directory and keys on disk, HTTP + WebSocket server, signals.
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { networkInterfaces } from 'node:os'
import type { IncomingMessage, Server as HttpServer } from 'node:http'
import { serve, upgradeWebSocket } from '@hono/node-server'
import { WebSocketServer } from 'ws'
import type { Context } from 'hono'
import { configFromEnv, type Config } from './config.ts'
import type { KeyStore } from './keys.ts'
import { keysForDatabase } from './key-check.ts'
import { openDatabase, migrateDatabase } from '../models/db.ts'
import { seedFirstStart } from '../models/seed.ts'
import { seedDemoLife } from '../models/demo/index.ts'
import { writeDemoLiveFile } from './demo-live-file.ts'
import { createApp } from './app.ts'
import { LiveHub } from './live.ts'
import type { AppDeps } from './context.ts'
import { nodeAssetReader } from './assets-node.ts'
import { prepareAssetUrls } from './asset-urls.ts'
import { brotliCompressSync } from 'node:zlib'
import { issuePairingToken } from './stations.ts'
import { startRollupJob } from './jobs/rollup.ts'
import { log } from './log.ts'
import { startPurgeJob } from './jobs/purge.ts'
import { startNotifyWorker } from './notify/worker.ts'
import { holdDataDir } from './instance-lock.ts'
import { announce } from './banner.ts'
import { prepareDataDir, saveFirstStartFile } from './data-dir.ts'
import { nodeContentStore } from './content/store-node.ts'
import { renderDemoContent, seedDemoContent } from './content/demo-node.ts'
import { startNodeTls } from './tls/node.ts'
import { listenUrls, originOf } from './listen-urls.ts'
import type { Interfaces } from './tls/names.ts'
import { sealChannelCredentials } from '../models/notify.ts'

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
  await prepareDataDir(config.dataDir)
  // restore refuses to run while this lock names a live process
  const lock = await holdDataDir(config.dataDir)
  const database = await openDatabase({ url: config.databaseUrl, authToken: config.databaseAuthToken })
  await migrateDatabase(database)
  const clock = { now: () => Date.now() }
  const keysFile = path.join(config.dataDir, 'keys.json')
  const keys = await keysForDatabase({
    database,
    store: fileKeyStore(keysFile),
    keysFile,
    now: clock.now(),
  }).catch(async (error) => {
    database.close()
    await lock.release()
    throw error
  })
  // notification credentials saved before they were sealed are sealed now
  await sealChannelCredentials(database, keys.phone.dataKey)
  const seeded = await seedFirstStart({
    database,
    adminPassword: config.adminPassword,
    demo: config.demo,
    now: clock.now(),
  })
  if (seeded && config.demo) await writeDemoLiveFile(database, config.dataDir, seeded, clock.now())
  // ffmpeg renders the demo's floor plan and film in its own process while the history is replayed here
  const demoFiles = seeded && config.demoContent ? renderDemoContent() : null
  // history is one long write transaction: on a local file only (a shared libsql server gets the bare demo office)
  if (seeded && config.demo && config.demoHistory && database.url.startsWith('file:')) {
    const startedAt = Date.now()
    const life = await seedDemoLife({
      database,
      seeded,
      phoneKeys: keys.phone,
      now: clock.now(),
      seed: config.demoSeed,
    })
    log({ msg: 'demo history seeded', ms: Date.now() - startedAt, ...life })
  }

  const live = new LiveHub()
  const tls = await startNodeTls(config)
  const deps = {
    config,
    database,
    keys,
    clock,
    live,
    assets: nodeAssetReader(),
    brotli: (bytes: Uint8Array) => new Uint8Array(brotliCompressSync(bytes)),
    content: nodeContentStore(path.join(config.dataDir, 'content')),
    upgradeWebSocket,
    clientAddress: (c: Context) =>
      (c.env as { incoming?: IncomingMessage }).incoming?.socket.remoteAddress ?? 'unknown',
    tls: { caCertPem: tls?.caCertPem },
  } satisfies AppDeps
  if (seeded && demoFiles) await seedDemoContent(deps, seeded.officeId, demoFiles)
  const app = createApp(deps)
  // fingerprinted asset URLs before the first page is served (immutable caching on phones)
  await prepareAssetUrls(deps.assets)
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
  // links in consultant notifications: PUBLIC_URL's origin, else where this server answers
  const notifier = startNotifyWorker(deps, { origin: base })
  ;(deps as AppDeps).notifier = notifier
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
  await announce(
    { base, seeded, pairing, extra, adminPasswordIgnored: !seeded && !!config.adminPassword },
    {
      interactive: !!process.stdout.isTTY,
      saveSecrets: (text) => saveFirstStartFile(config.dataDir, text),
    },
  )
  log({ msg: 'listening', url: listening })

  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    log({ msg: 'stopping', signal })
    await tls?.stop()
    await purgeJob.stop()
    await rollupJob.stop()
    await notifier.stop()
    live.closeAll()
    for (const client of wss.clients) client.terminate()
    // stop accepting, let in-flight requests finish (within the grace period), then close the database
    const closed = new Promise<void>((resolve) => server.close(() => resolve()))
    const grace = setTimeout(() => (server as HttpServer).closeAllConnections?.(), shutdownGraceMs)
    await closed
    clearTimeout(grace)
    database.close()
    await lock.release()
    log({ msg: 'stopped' })
  }
  return { app, deps, seeded, server, database, live, base, port, stop, tls, pairing }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('server/main.ts')) {
  const running = start().catch((error: Error) => {
    // a setting that cannot work (TLS=acme for an address, keys that are not the database's…): one JSON line with
    // its message, not a stack, then a non-zero exit (systemd: restart, then give up)
    log({ msg: `Showroom cannot start: ${error.message}` }, 'error')
    process.exit(1)
  })
  // handled from the first moment: a stop asked for while the start is still announcing (it logs "listening"
  // first) waits for the start, then shuts down cleanly instead of dying with the database open
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      void running.then((server) => server.stop(signal)).then(() => process.exit(0))
    })
  }
}
