// Deno adapter: the same app, data directory, keys, SQLite file, jobs and banner as server/main.ts, served by Deno.serve.
// Run: npm run start:deno (builds the browser bundle if its sources changed, then `deno run … server/deno.ts`)
import { upgradeWebSocket, getConnInfo } from 'hono/deno'
import { configFromEnv } from './config.ts'
import type { KeyStore } from './keys.ts'
import { keysForDatabase } from './key-check.ts'
import { openDatabase, migrateDatabase } from '../models/db.ts'
import { seedFirstStart } from '../models/seed.ts'
import { createApp } from './app.ts'
import { LiveHub } from './live.ts'
import { nodeAssetReader } from './assets-node.ts'
import { nodeContentStore } from './content/store-node.ts'
import { log } from './log.ts'
import { announce } from './banner.ts'
import { prepareDataDir, saveFirstStartFile } from './data-dir.ts'
import { holdDataDir } from './instance-lock.ts'
import { issuePairingToken } from './stations.ts'
import { startPurgeJob } from './jobs/purge.ts'
import { startRollupJob } from './jobs/rollup.ts'
import type { AppDeps } from './context.ts'
import { sealChannelCredentials } from '../models/notify.ts'

// the few Deno APIs used here, declared so `tsc` (which type-checks for Node) accepts this file
type DenoServer = { finished: Promise<void>; shutdown: () => Promise<void>; addr: { port: number } }
declare const Deno: {
  env: { toObject: () => Record<string, string> }
  stdout: { isTerminal: () => boolean }
  readTextFile: (path: string) => Promise<string>
  writeTextFile: (path: string, text: string, options: { mode: number; createNew: boolean }) => Promise<void>
  serve: (
    options: { hostname: string; port: number; onListen?: (addr: { port: number }) => void },
    handler: (request: Request, info: unknown) => Response | Promise<Response>,
  ) => DenoServer
  addSignalListener: (signal: 'SIGTERM' | 'SIGINT', handler: () => void) => void
  exit: (code: number) => never
}

function denoKeyStore(file: string): KeyStore {
  return {
    load: () => Deno.readTextFile(file).catch(() => null),
    save: (text) => Deno.writeTextFile(file, text, { mode: 0o600, createNew: true }),
  }
}

export async function startDeno(env = Deno.env.toObject()) {
  const config = configFromEnv(env)
  if (config.tls.mode !== 'off') {
    // Deno.serve cannot swap a certificate while serving, so renewals would need restarts: HTTPS is the Node adapter's
    throw new Error(
      'TLS is served by the Node adapter (npm start); under Deno, unset TLS and put a TLS proxy in front',
    )
  }
  await prepareDataDir(config.dataDir)
  const lock = await holdDataDir(config.dataDir)
  const database = await openDatabase({ url: config.databaseUrl, authToken: config.databaseAuthToken })
  await migrateDatabase(database)
  const clock = { now: () => Date.now() }
  const keysFile = `${config.dataDir}/keys.json`
  const keys = await keysForDatabase({ database, store: denoKeyStore(keysFile), keysFile, now: clock.now() })
  await sealChannelCredentials(database, keys.phone.dataKey)
  const seeded = await seedFirstStart({
    database,
    adminPassword: config.adminPassword,
    demo: config.demo,
    now: clock.now(),
  })
  const live = new LiveHub()
  const deps = {
    config,
    database,
    keys,
    clock,
    live,
    assets: nodeAssetReader(),
    // Deno runs the Node file-system store as it is (node:fs, node:crypto)
    content: nodeContentStore(`${config.dataDir}/content`),
    upgradeWebSocket,
    clientAddress: (c) => {
      const address = getConnInfo(c).remote.address
      return address ?? 'unknown'
    },
  } satisfies AppDeps
  const app = createApp(deps)
  const purgeJob = startPurgeJob(deps)
  const rollupJob = startRollupJob(deps)
  const server = Deno.serve(
    { hostname: config.host, port: config.port, onListen: () => undefined },
    (req, info) => app.fetch(req, info),
  )
  const base = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${server.addr.port}`
  const pairing = new Map<string, string>()
  for (const station of seeded?.stations ?? []) {
    pairing.set(station.id, `${base}/pair/${await issuePairingToken(deps, station.id, { minutes: 24 * 60 })}`)
  }
  await announce(
    { base, seeded, pairing, adminPasswordIgnored: !seeded && !!config.adminPassword },
    {
      interactive: Deno.stdout.isTerminal(),
      saveSecrets: (text) => saveFirstStartFile(config.dataDir, text),
    },
  )
  log({ msg: 'listening', url: base, runtime: 'deno' })
  const stop = async () => {
    log({ msg: 'stopping', runtime: 'deno' })
    await purgeJob.stop()
    await rollupJob.stop()
    live.closeAll()
    await server.shutdown()
    database.close()
    await lock.release()
    log({ msg: 'stopped', runtime: 'deno' })
  }
  return { app, deps, server, base, seeded, stop, purgeJob }
}

if ((import.meta as ImportMeta & { main?: boolean }).main) {
  const running = await startDeno().catch((error) => {
    log({ msg: `Showroom cannot start: ${(error as Error).message}` }, 'error')
    Deno.exit(1)
  })
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    Deno.addSignalListener(signal, () => {
      running.stop().then(() => Deno.exit(0))
    })
  }
}
