// Shared by the in-process benchmarks: the real server (server/main.ts `start`) on a temp data dir, quietly.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { setLogSink } from '../server/log.ts'
import { start } from '../server/main.ts'
import { configFromEnv } from '../server/config.ts'
import type { AppDeps } from '../server/context.ts'

export async function startBenchServer() {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'showroom-bench-'))
  const banner = console.log
  console.log = () => undefined
  // one JSON line per request would drown the figures; the lines are still built, only not written
  setLogSink(() => undefined)
  const server = await start(
    configFromEnv({
      DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      SHOWROOM_ADMIN_PASSWORD: 'bench-admin-pw',
      SHOWROOM_DEMO_CONTENT: '0',
    }),
  ).finally(() => (console.log = banner))
  return {
    server,
    deps: server.deps as AppDeps,
    officeId: server.seeded!.officeId,
    database: server.database,
    async stop() {
      await server.stop('bench')
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}
