// libsql closes a connection only when its statements are garbage-collected; until then SQLite keeps the WAL and
// may checkpoint it, or unlink it by name, at any later moment. A test that closed an in-process database and then
// touches its files collects first, until the WAL is gone (a condition, not a sleep).
import v8 from 'node:v8'
import vm from 'node:vm'
import { existsSync } from 'node:fs'

v8.setFlagsFromString('--expose-gc')
const gc = vm.runInNewContext('gc') as () => void

export async function releaseClosedDatabase(databaseFile: string, rounds = 200): Promise<void> {
  for (let i = 0; i < rounds && existsSync(`${databaseFile}-wal`); i++) {
    gc()
    await new Promise((resolve) => setImmediate(resolve))
  }
  if (existsSync(`${databaseFile}-wal`))
    throw new Error(
      `${databaseFile} is still open after ${rounds} collections: a connection is still referenced`,
    )
}
