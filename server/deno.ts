// Deno adapter: the same app, data directory, keys and SQLite file as server/main.ts, served by Deno.serve.
// Run: deno run --allow-net --allow-read --allow-write --allow-env --allow-ffi --allow-sys server/deno.ts
import { upgradeWebSocket, getConnInfo } from 'hono/deno'
import { configFromEnv } from './config.ts'
import { loadOrCreateKeys, type KeyStore } from './keys.ts'
import { openDatabase, migrateDatabase } from '../models/db.ts'
import { seedFirstStart } from '../models/seed.ts'
import { createApp } from './app.ts'
import { LiveHub } from './live.ts'
import { nodeAssetReader } from './assets-node.ts'
import { nodeContentStore } from './content/store-node.ts'
import { log } from './log.ts'
import type { AppDeps } from './context.ts'

// the few Deno APIs used here, declared so `tsc` (which type-checks for Node) accepts this file
type DenoServer = { finished: Promise<void>; shutdown: () => Promise<void>; addr: { port: number } }
declare const Deno: {
  env: { toObject: () => Record<string, string> }
  mkdir: (path: string, options: { recursive: boolean; mode: number }) => Promise<void>
  chmod: (path: string, mode: number) => Promise<void>
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
  await Deno.mkdir(config.dataDir, { recursive: true, mode: 0o700 })
  await Deno.chmod(config.dataDir, 0o700)
  const { keys } = await loadOrCreateKeys(denoKeyStore(`${config.dataDir}/keys.json`))
  const database = await openDatabase({ url: config.databaseUrl, authToken: config.databaseAuthToken })
  await migrateDatabase(database)
  const clock = { now: () => Date.now() }
  await seedFirstStart({ database, adminPassword: config.adminPassword, demo: config.demo, now: clock.now() })
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
  const server = Deno.serve(
    { hostname: config.host, port: config.port, onListen: () => undefined },
    (req, info) => app.fetch(req, info),
  )
  const base = `http://${config.host}:${server.addr.port}`
  log({ msg: 'listening', url: base, runtime: 'deno' })
  const stop = async () => {
    live.closeAll()
    await server.shutdown()
    database.close()
  }
  return { app, deps, server, base, stop }
}

if ((import.meta as ImportMeta & { main?: boolean }).main) {
  const running = await startDeno()
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    Deno.addSignalListener(signal, () => {
      running.stop().then(() => Deno.exit(0))
    })
  }
}
