// Benchmark helper (worker thread): many dashboard sockets, like separate tablets, off the server's event loop.
import { parentPort, workerData } from 'node:worker_threads'
import WebSocket from 'ws'

const { url, cookie, count } = workerData
const now = () => performance.timeOrigin + performance.now()
let needle = null
let pending = 0
let last = 0

const sockets = await Promise.all(
  Array.from(
    { length: count },
    () =>
      new Promise((resolve, reject) => {
        const ws = new WebSocket(url, { headers: { cookie } })
        let seen = false
        ws.on('message', (data) => {
          if (!seen) {
            seen = true
            return resolve(ws)
          }
          if (needle && String(data).includes(needle)) {
            last = Math.max(last, now())
            if (--pending === 0) parentPort.postMessage({ type: 'delivered', at: last })
          }
        })
        ws.once('error', reject)
      }),
  ),
)
parentPort.on('message', (message) => {
  if (message.type === 'expect') {
    needle = message.needle
    pending = sockets.length
    last = 0
    parentPort.postMessage({ type: 'expecting' })
  } else {
    for (const ws of sockets) ws.close()
    parentPort.close()
  }
})
parentPort.postMessage({ type: 'ready' })
