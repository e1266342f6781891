// Benchmark helper (worker thread): many paired stations on their own sockets, each sending a minute's worth of
// session events in batches, off the server's event loop. Reports acks, drops and when the last ack came.
import { parentPort, workerData } from 'node:worker_threads'
import WebSocket from 'ws'

const { url, tokens, consent, batchesPerStation, eventsPerBatch, baseAt } = workerData
const now = () => performance.timeOrigin + performance.now()

// station i's events: one session started, then cumulative ticks a second apart
function batchesOf(i) {
  const session = `s${String(i).padStart(7, '0')}`
  const batches = []
  let k = 0
  for (let b = 0; b < batchesPerStation; b++) {
    const events = []
    for (let e = 0; e < eventsPerBatch; e++, k++) {
      const id = `e${String(i).padStart(6, '0')}x${k}`
      const at = baseAt + k * 1000
      events.push(
        k === 0
          ? { type: 'event', id, kind: 'session.start', session, consent, at }
          : {
              type: 'event',
              id,
              kind: 'session.tick',
              session,
              at,
              dwellMs: k * 1000,
              attentionMs: k * 500,
              framesAnalysed: k * 10,
              framesDropped: k % 3,
            },
      )
    }
    batches.push(JSON.stringify({ type: 'events', events }))
  }
  return batches
}

let acked = 0
let dropped = 0
const dropReasons = {}
let lastAck = 0
let expected = 0
const stations = await Promise.all(
  tokens.map(
    (token, i) =>
      new Promise((resolve, reject) => {
        const ws = new WebSocket(url)
        ws.once('error', reject)
        ws.once('open', () => ws.send(JSON.stringify({ type: 'hello', token })))
        ws.on('message', (data) => {
          const message = JSON.parse(String(data))
          if (message.type === 'welcome') return resolve({ ws, batches: batchesOf(i) })
          if (message.type === 'ack') acked += message.ids.length
          else if (message.type === 'drop') {
            dropped++
            dropReasons[message.reason] = (dropReasons[message.reason] ?? 0) + 1
          } else if (message.type === 'error') reject(new Error(`station ${i}: ${message.code}`))
          else return
          lastAck = now()
          if (acked + dropped === expected)
            parentPort.postMessage({ type: 'done', acked, dropped, dropReasons, lastAck })
        })
      }),
  ),
)
parentPort.on('message', (message) => {
  if (message.type === 'go') {
    expected = stations.length * batchesPerStation * eventsPerBatch
    const startedAt = now()
    for (const { ws, batches } of stations) for (const batch of batches) ws.send(batch)
    parentPort.postMessage({ type: 'sent', startedAt })
  } else {
    for (const { ws } of stations) ws.close()
    parentPort.close()
  }
})
parentPort.postMessage({ type: 'ready' })
