// TLS_CERT_FILE + TLS_KEY_FILE: the office's own certificate (its cloud provider's, certbot's), reloaded when the files
// change. Each handshake with a server name first compares the files' stat (cheap), so the very next handshake after
// a renewal presents the new certificate; a watcher and a slow poll also refresh the default for address-only clients.
import { readFile, stat } from 'node:fs/promises'
import { watch, type FSWatcher } from 'node:fs'
import path from 'node:path'
import { LiveCertificate, type CertificatePems } from './live-certificate.ts'
import { log } from '../log.ts'

export const pollIntervalMs = 60_000

async function signature(files: string[]): Promise<string> {
  // stat follows symlinks: certbot's live/ links switching to a new archive file change the target's inode
  const stats = await Promise.all(files.map((file) => stat(file)))
  return stats.map((s) => `${s.ino}:${s.size}:${s.mtimeMs}`).join('|')
}

async function readPems(certFile: string, keyFile: string): Promise<CertificatePems> {
  const [certPem, keyPem] = await Promise.all([readFile(certFile, 'utf8'), readFile(keyFile, 'utf8')])
  return { certPem, keyPem }
}

export async function loadCertificateFiles({ certFile, keyFile }: { certFile: string; keyFile: string }) {
  let seen = await signature([certFile, keyFile]).catch((error) => {
    throw new Error(
      `TLS_CERT_FILE/TLS_KEY_FILE could not be read (${certFile}, ${keyFile}): ${error.message}`,
    )
  })
  let failed = ''
  // checks run one after another, each looking at the files as they are when its turn comes: a handshake arriving
  // while a check of a half-written pair is running still sees the completed pair
  let queue: Promise<void> = Promise.resolve()
  const reloadOnce = async () => {
    const now = await signature([certFile, keyFile])
    // a pair that failed is tried again (and logged) only once one of the files changes again
    if (now === seen || now === failed) return
    const pems = await readPems(certFile, keyFile)
    try {
      // a certificate written before its key: keep serving the old pair until the key follows
      live.replace(pems)
    } catch (error) {
      failed = now
      throw error
    }
    seen = now
    log({ msg: 'tls.reloaded', what: 'certificate files' })
  }
  const reloadIfChanged = () =>
    (queue = queue
      .then(reloadOnce)
      .catch((error) => log({ msg: 'tls.reload-failed', error: String(error) }, 'warn')))

  let live: LiveCertificate
  try {
    live = new LiveCertificate(await readPems(certFile, keyFile), reloadIfChanged)
  } catch (error) {
    throw new Error(`TLS_CERT_FILE/TLS_KEY_FILE could not be used (${certFile}, ${keyFile}): ${error}`)
  }
  const watchers: FSWatcher[] = []
  for (const dir of new Set([path.dirname(certFile), path.dirname(keyFile)])) {
    try {
      watchers.push(watch(dir, { persistent: false }, () => void reloadIfChanged()))
    } catch {
      // some file systems cannot be watched; the poll and the per-handshake check still work
    }
  }
  const poll = setInterval(() => void reloadIfChanged(), pollIntervalMs)
  poll.unref()
  return {
    live,
    check: async () => {
      const before = live.current
      await reloadIfChanged()
      return live.current !== before
    },
    stop: () => {
      clearInterval(poll)
      for (const watcher of watchers) watcher.close()
    },
  }
}
