// The outbox sender: delivers due notifications, retries with backoff, dead-letters the hopeless; never in a request.
import type { AppDeps } from '../context.ts'
import {
  claimDue,
  claimBatch,
  markDelivered,
  markFailed,
  nextDueAt,
  openCredential,
  purgeDelivered,
  type DueMessage,
} from '../../models/notify.ts'
import { messageBody } from './format.ts'
import { dingtalkSignedUrl, standardWebhookHeaders } from './sign.ts'

export type NotifyWorker = {
  // look for due messages now (after an enqueue); cheap when there are none
  wake: () => void
  // resolves when the current round (if any) has finished
  settled: () => Promise<void>
  stop: () => Promise<void>
}

export type NotifyWorkerOptions = {
  // origin of the links in messages (PUBLIC_URL, else the address the server listens on)
  origin: string
  fetch?: typeof fetch
  // a receiver that does not answer within this is a failed attempt
  timeoutMs?: number
}

// the sender sleeps at most this long between looks (a clock that moved, another process's enqueue)
const maxSleepMs = 30_000
const purgeEveryMs = 3600_000

export function startNotifyWorker(
  deps: Pick<AppDeps, 'database' | 'clock' | 'keys'>,
  { origin, fetch: send = fetch, timeoutMs = 5000 }: NotifyWorkerOptions,
): NotifyWorker {
  let running: Promise<void> | null = null
  let again = false
  let stopped = false
  let timer: ReturnType<typeof setTimeout> | null = null
  let purgedAt = 0

  async function deliver(row: DueMessage): Promise<string | null> {
    const { message, channel, timeZone } = row
    const body = messageBody(channel.kind, { ...message, timeZone }, origin, channel.mention)
    const now = deps.clock.now()
    try {
      const headers: Record<string, string> = { 'content-type': 'application/json' }
      // the URL and secret are sealed at rest: opened for this one request only
      const { dataKey } = deps.keys.phone
      let url = await openCredential(dataKey, channel.url)
      const secret = channel.secret === null ? null : await openCredential(dataKey, channel.secret)
      if (channel.kind === 'webhook')
        Object.assign(
          headers,
          await standardWebhookHeaders(secret ?? '', message.id, Math.floor(now / 1000), body),
        )
      if (channel.kind === 'dingtalk' && secret) url = await dingtalkSignedUrl(url, secret, now)
      const response = await send(url, {
        method: 'POST',
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      })
      const text = await response.text()
      if (!response.ok) return `HTTP ${response.status}`
      // the robots answer 200 with an error code in the body
      if (channel.kind !== 'webhook') {
        const errcode = (JSON.parse(text || '{}') as { errcode?: number }).errcode
        if (errcode !== undefined && errcode !== 0) return `errcode ${errcode}`
      }
      return null
    } catch (error) {
      // the error's name and code only: a message could repeat the URL and its access token
      const cause = (error as { cause?: { code?: string } }).cause?.code
      return [(error as Error).name, cause].filter(Boolean).join(' ') || 'failed'
    }
  }

  async function round() {
    do {
      again = false
      const now = deps.clock.now()
      if (now - purgedAt > purgeEveryMs) {
        purgedAt = now
        await deps.database.write((tx) => purgeDelivered(tx, now))
      }
      const due = await claimDue(deps.database, now)
      const outcomes = await Promise.all(due.map(deliver))
      if (due.length)
        await deps.database.write(async (tx) => {
          const at = deps.clock.now()
          for (const [i, row] of due.entries()) {
            const error = outcomes[i]
            if (error === null) await markDelivered(tx, row.message.id, at)
            else await markFailed(tx, row.message.id, error!, at)
          }
        })
      if (due.length === claimBatch) again = true
    } while (again && !stopped)
    schedule(await nextDueAt(deps.database.db))
  }

  function schedule(dueAt: number | null) {
    if (timer) clearTimeout(timer)
    timer = null
    if (stopped || dueAt === null) return
    timer = setTimeout(wake, Math.min(maxSleepMs, Math.max(0, dueAt - deps.clock.now())))
    timer.unref?.()
  }

  function wake() {
    if (stopped) return
    if (running) {
      again = true
      return
    }
    running = round()
      .catch((error) =>
        console.error(JSON.stringify({ level: 'error', msg: 'notify round failed', error: String(error) })),
      )
      .finally(() => {
        running = null
        if (again) wake()
      })
  }

  wake()
  return {
    wake,
    settled: async () => {
      while (running) await running
    },
    stop: async () => {
      stopped = true
      if (timer) clearTimeout(timer)
      await running
    },
  }
}
