// Roll-up job: at start and then periodically, folds finished days into the anonymous daily roll-ups.
import type { AppDeps } from '../context.ts'
import { catchUpRollups } from '../../models/rollups.ts'

export const rollupIntervalMs = 3600_000

export function startRollupJob(
  deps: Pick<AppDeps, 'database' | 'clock'>,
  { intervalMs = rollupIntervalMs }: { intervalMs?: number } = {},
) {
  let running: Promise<void> | null = null
  let stopped = false
  // one run at a time: a slow first catch-up over a year of data must not be started twice
  const runNow = (): Promise<void> => {
    if (stopped) return Promise.resolve()
    running ??= catchUpRollups({ database: deps.database, now: deps.clock.now() })
      .then((done) => {
        if (done.length) console.log(JSON.stringify({ level: 'info', msg: 'rollups', ranges: done }))
      })
      .catch((error) =>
        console.error(JSON.stringify({ level: 'error', msg: 'rollup failed', error: String(error) })),
      )
      .finally(() => {
        running = null
      })
    return running
  }
  const timer = setInterval(runNow, intervalMs)
  // the job never keeps the process alive by itself
  timer.unref?.()
  const first = runNow()
  return {
    first,
    runNow,
    stop: () => {
      stopped = true
      clearInterval(timer)
      return running ?? Promise.resolve()
    },
  }
}
