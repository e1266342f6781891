// Roll-up job: at start and then periodically, folds finished days into the anonymous daily roll-ups.
import type { AppDeps } from '../context.ts'
import { catchUpRollups, forgetWithdrawnSessions } from '../../models/rollups.ts'

export const rollupIntervalMs = 3600_000

export function startRollupJob(
  deps: Pick<AppDeps, 'database' | 'clock' | 'events'>,
  { intervalMs = rollupIntervalMs }: { intervalMs?: number } = {},
) {
  let running: Promise<void> | null = null
  let stopped = false
  // one run at a time: a slow first catch-up over a year of data must not be started twice
  const runNow = (): Promise<void> => {
    if (stopped) return Promise.resolve()
    running ??= catchUpRollups({ database: deps.database, now: deps.clock.now() })
      .then(({ done, failed }) => {
        if (done.length) console.log(JSON.stringify({ level: 'info', msg: 'rollups', ranges: done }))
        for (const { officeId, error } of failed)
          console.error(JSON.stringify({ level: 'error', msg: 'rollup failed', office: officeId, error }))
      })
      .catch((error) =>
        console.error(JSON.stringify({ level: 'error', msg: 'rollup failed', error: String(error) })),
      )
      .finally(() => {
        running = null
      })
    return running
  }
  // a withdrawn consent's sessions are gone: rebuild the roll-ups that counted them
  const forgetting = new Set<Promise<unknown>>()
  const stopListening = deps.events?.on((event) => {
    if (event.type !== 'consent.changed' || event.granted) return
    const work = forgetWithdrawnSessions({ database: deps.database, consentId: event.consentId })
      .catch((error) =>
        console.error(JSON.stringify({ level: 'error', msg: 'rollup forget failed', error: String(error) })),
      )
      .finally(() => forgetting.delete(work))
    forgetting.add(work)
    return work.then(() => undefined)
  })
  const timer = setInterval(runNow, intervalMs)
  // the job never keeps the process alive by itself
  timer.unref?.()
  const first = runNow()
  return {
    first,
    runNow,
    // resolves once every withdrawal seen so far has been folded into the roll-ups
    idle: async () => {
      // the event bus calls listeners on a later microtask: let it deliver what was emitted before this call
      await Promise.resolve()
      await Promise.all([...forgetting])
    },
    stop: () => {
      stopped = true
      clearInterval(timer)
      stopListening?.()
      return running ?? Promise.resolve()
    },
  }
}
