// The retention purge job: runs once at start, then every config.purgeIntervalMs; one run at a time.
import type { AppDeps } from '../context.ts'
import { purgeExpired } from '../../models/retention.ts'
import { log } from '../log.ts'

export function startPurgeJob(deps: Pick<AppDeps, 'config' | 'database' | 'clock'>) {
  let running: Promise<unknown> | null = null
  const run = (trigger: 'start' | 'schedule') => {
    // a slow run is not overlapped by the next tick: that tick is skipped
    if (running) return running
    running = purgeExpired({ database: deps.database, now: deps.clock.now(), trigger, clock: deps.clock.now })
      .then((result) => {
        // a run that deleted nothing because it failed is a broken privacy promise: whoever watches errors sees it
        if (result.error) log({ msg: 'retention purge failed', trigger, ...result }, 'error')
        else log({ msg: 'retention purge', trigger, ...result })
        return result
      })
      .catch((error) => log({ msg: 'retention purge failed', trigger, error: String(error) }, 'error'))
      .finally(() => (running = null))
    return running
  }
  const first = run('start')
  // a missing or nonsensical interval (PURGE_INTERVAL_MS=abc) falls back to hourly rather than spinning
  const interval = deps.config.purgeIntervalMs > 0 ? deps.config.purgeIntervalMs : 3600_000
  const timer = setInterval(() => run('schedule'), interval)
  timer.unref()
  return {
    first,
    stop: async () => {
      clearInterval(timer)
      await running
    },
  }
}
