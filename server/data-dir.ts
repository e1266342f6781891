// The data directory on disk, for both adapters (Node, and Deno through its node: compatibility): private modes,
// and the first-start file that keeps passwords and pairing links out of a service's journal.
import { mkdir, chmod, writeFile } from 'node:fs/promises'
import process from 'node:process'
import path from 'node:path'
import { firstStartFileName } from './banner.ts'

export async function prepareDataDir(dataDir: string): Promise<void> {
  // everything this process creates (database, WAL, keys, lock, first-start file) is private to its user
  process.umask(0o077)
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  await chmod(dataDir, 0o700)
}

// DATA_DIR/first-start.txt, mode 0600; returns its absolute path for the log line that points at it
export async function saveFirstStartFile(dataDir: string, text: string): Promise<string> {
  const file = path.resolve(dataDir, firstStartFileName)
  await writeFile(file, text, { mode: 0o600 })
  await chmod(file, 0o600)
  return file
}
