// A throwaway HOME whose NSS database (what Chromium on Linux trusts beside its built-in roots) trusts one CA, set up
// with certutil from libnss3-tools as docs/deployment.md tells an installer to do on a Linux screen.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const run = promisify(execFile)

export async function homeTrusting(caPem: string | null) {
  const home = await mkdtemp(path.join(tmpdir(), 'showroom-home-'))
  const db = `sql:${path.join(home, '.pki/nssdb')}`
  await mkdir(path.join(home, '.pki/nssdb'), { recursive: true })
  try {
    await run('certutil', ['-N', '-d', db, '--empty-password'])
    if (caPem) {
      const file = path.join(home, 'ca.crt')
      await writeFile(file, caPem)
      await run('certutil', ['-A', '-n', 'showroom', '-t', 'C,,', '-i', file, '-d', db])
    }
  } catch (error) {
    throw new Error(`certutil failed (apt-get install libnss3-tools; .ci/run installs it): ${error}`)
  }
  return { home, cleanup: () => rm(home, { recursive: true, force: true }) }
}
