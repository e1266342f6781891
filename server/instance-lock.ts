// The data directory's lock file: a running server writes its pid there, so restore can refuse to run under it.
import { readFile, writeFile, rm } from 'node:fs/promises'
import path from 'node:path'

export const lockFileName = 'server.lock'

export type LockHolder = { pid: number; startedAt: string }

export function lockFileOf(dataDir: string): string {
  return path.join(dataDir, lockFileName)
}

// true when a process with that pid exists (EPERM: it exists but belongs to another user)
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

// the server that holds the data directory now, or null; a lock left by a crashed process does not count
export async function lockHolder(dataDir: string): Promise<LockHolder | null> {
  const text = await readFile(lockFileOf(dataDir), 'utf8').catch(() => null)
  if (!text) return null
  try {
    const holder = JSON.parse(text) as LockHolder
    return Number.isInteger(holder.pid) && holder.pid > 0 && alive(holder.pid) ? holder : null
  } catch {
    return null
  }
}

// written at start (replacing a stale lock), removed at stop only if it is still this process's
export async function holdDataDir(dataDir: string): Promise<{ release: () => Promise<void> }> {
  const mine: LockHolder = { pid: process.pid, startedAt: new Date().toISOString() }
  await writeFile(lockFileOf(dataDir), JSON.stringify(mine), { mode: 0o600 })
  return {
    release: async () => {
      const now = await readFile(lockFileOf(dataDir), 'utf8').catch(() => null)
      if (now && (JSON.parse(now) as LockHolder).pid === process.pid)
        await rm(lockFileOf(dataDir), { force: true })
    },
  }
}
