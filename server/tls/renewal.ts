// When to renew a certificate (a third of its life before it ends, as Let's Encrypt advises) and the timer that does
// it without a restart; a failed renewal is retried, the old certificate served meanwhile.
import { log } from '../log.ts'

export const renewalRetryMs = 3600_000
// setTimeout's longest delay; a longer wait is done in steps
const maxTimerMs = 2 ** 31 - 1

export function renewalDueAt({ notBefore, notAfter }: { notBefore: number; notAfter: number }): number {
  return notAfter - (notAfter - notBefore) / 3
}

export type Renewal = {
  // renews if due at `now`; resolves true when the certificate was replaced
  check: (now?: number) => Promise<boolean>
  stop: () => void
}

export function startRenewal({
  what,
  dueAt,
  renew,
  now = Date.now,
}: {
  what: string
  dueAt: () => number
  renew: () => Promise<void>
  now?: () => number
}): Renewal {
  let timer: ReturnType<typeof setTimeout> | undefined
  let stopped = false
  let running: Promise<boolean> | null = null

  const check = (at = now()) => {
    if (at < dueAt()) return Promise.resolve(false)
    // one renewal at a time, whoever asks
    running ??= renew()
      .then(() => {
        log({ msg: 'tls.renewed', what, nextRenewal: new Date(dueAt()).toISOString() })
        return true
      })
      .finally(() => {
        running = null
      })
    return running
  }

  const schedule = (delay = Math.max(0, dueAt() - now())) => {
    if (stopped) return
    timer = setTimeout(
      () => {
        check().then(
          () => schedule(),
          (error) => {
            log({ msg: 'tls.renewal-failed', what, error: String(error), retryInMs: renewalRetryMs }, 'error')
            schedule(renewalRetryMs)
          },
        )
      },
      Math.min(delay, maxTimerMs),
    )
    timer.unref?.()
  }
  schedule()
  return {
    check,
    stop: () => {
      stopped = true
      clearTimeout(timer)
    },
  }
}
