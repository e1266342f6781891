// Any queue change wakes the notification sender for what its transaction enqueued. A returning client's message
// is written by the check-in itself (announceReturn, in its transaction), which wakes the sender after the commit.
import type { AppDeps } from '../context.ts'

export function registerNotifyListeners(deps: AppDeps): () => void {
  return deps.events!.on((event) => {
    if (event.type === 'visit.updated') deps.notifier?.wake()
  })
}
