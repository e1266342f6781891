// Shutdown always ends: a connection that never finishes its request (a browser's idle pre-connect, a slow client)
// is closed after the grace period instead of keeping the server, and its database, open for ever.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { connect, type Socket } from 'node:net'
import type { Server } from 'node:http'
import { start, shutdownGraceMs } from '../../server/main.ts'
import { configFromEnv } from '../../server/config.ts'

const open = (port: number) =>
  new Promise<Socket>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket))
    socket.once('error', reject)
  })
const closed = (socket: Socket) => new Promise<void>((resolve) => socket.once('close', () => resolve()))

test('stop() closes connections that never finish a request, once the grace period is over', async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'showroom-shutdown-'))
  const banner = console.log
  console.log = () => undefined
  const server = await start(
    configFromEnv({
      DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      SHOWROOM_ADMIN_PASSWORD: 'shutdown-pw',
      // the bare demo office: its history and generated content are tested on their own
      SHOWROOM_DEMO_HISTORY: '0',
      SHOWROOM_DEMO_CONTENT: '0',
    }),
  ).finally(() => (console.log = banner))
  try {
    // one socket says nothing at all, one stops in the middle of its headers
    const silent = await open(server.port)
    const halfway = await open(server.port)
    halfway.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n')
    const ended = Promise.all([closed(silent), closed(halfway)])
    // stop() waits out the grace period; far past it counts as a hang: fail, and close everything so the file ends
    let deadline: ReturnType<typeof setTimeout> | undefined
    const hung = new Promise<'hung'>((resolve) => {
      deadline = setTimeout(() => resolve('hung'), 4 * shutdownGraceMs)
    })
    const outcome = await Promise.race([server.stop('test').then(() => 'stopped' as const), hung])
    clearTimeout(deadline)
    if (outcome === 'hung') {
      silent.destroy()
      halfway.destroy()
      ;(server.server as Server).closeAllConnections()
    }
    assert.equal(outcome, 'stopped', 'stop() ends while idle connections are open')
    await ended
    assert.equal(server.server.listening, false)
  } finally {
    await rm(dataDir, { recursive: true, force: true })
  }
})
