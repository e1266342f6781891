// Domain events that notify consultants: a returning client checked in (after the check-in committed); any queue
// change wakes the sender for what its transaction enqueued.
import type { AppDeps } from '../context.ts'
import { announceReturn } from '../../models/ownership-queue.ts'

export function registerNotifyListeners(deps: AppDeps): () => void {
  return deps.events!.on(async (event) => {
    if (event.type === 'visit.checked-in') {
      const now = deps.clock.now()
      const queued = await announceReturn(deps.database, event.visitId, now)
      if (queued) deps.notifier?.wake()
    }
    if (event.type === 'visit.updated') deps.notifier?.wake()
  })
}
