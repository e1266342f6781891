// Live dashboards: on domain events, render the changed fragments once per language and push them to the office.
import type { WSContext } from 'hono/ws'
import type { AppDeps, SignedIn } from './context.ts'
import type { DomainEvent } from './events.ts'
import { topics, type LiveSocket } from './live.ts'
import { languages, type Language } from '../models/consents.ts'
import { dashboardSnapshot } from '../models/dashboard.ts'
import { renderFragments } from '../views/dashboard.tsx'

// the events that change what a dashboard shows
const dashboardEvents = new Set<DomainEvent['type']>([
  'visit.checked-in',
  'visit.updated',
  'consent.changed',
  'camera-session.changed',
  'referral.changed',
])

// a dashboard topic message: the same fragments rendered in each language; each socket gets its own
export type DashboardMessage = Record<Language, string>

export async function dashboardFragments(deps: AppDeps, officeId: string): Promise<DashboardMessage> {
  const snapshot = await dashboardSnapshot(deps.database.db, officeId, deps.clock.now())
  // broadcast fragments carry no per-browser CSRF token: htmx sends it as a header, dashboard.js fills forms
  return Object.fromEntries(
    languages.map((lang) => [lang, renderFragments(lang, snapshot, '')]),
  ) as DashboardMessage
}

// renders the office's fragments and pushes them to its open dashboards
export async function refreshDashboards(deps: AppDeps, officeId: string): Promise<void> {
  if (deps.live.count(topics.dashboard(officeId)) === 0) return
  const message = await dashboardFragments(deps, officeId)
  deps.live.publish(topics.dashboard(officeId), JSON.stringify(message))
}

// renders and publishes; a burst of events for one office (check-in + consent) becomes one push
export function registerDashboardListeners(deps: AppDeps): () => void {
  const pending = new Set<string>()
  const flush = (officeId: string) => {
    pending.delete(officeId)
    return refreshDashboards(deps, officeId)
  }
  return deps.events!.on((event) => {
    if (!dashboardEvents.has(event.type) || !('officeId' in event)) return
    if (pending.has(event.officeId)) return
    pending.add(event.officeId)
    // next turn of the event loop: events emitted together coalesce, and nothing waits on a timer
    return new Promise<void>((resolve) => setImmediate(resolve)).then(() => flush(event.officeId))
  })
}

// a staff dashboard's socket: subscribed to its office; the first message is the whole current state,
// which is also what re-syncs a page after a reconnect
export function dashboardSocket(deps: AppDeps, account: SignedIn, lang: Language) {
  let unsubscribe: (() => void) | null = null
  return {
    async onOpen(_event: Event, ws: WSContext) {
      // pushes that arrive while the first snapshot is read are held and sent after it, never before
      let held: string[] | null = []
      const socket: LiveSocket = {
        send: (data) => {
          const html = parseMessage(data)[lang]
          if (held) held.push(html)
          else ws.send(html)
        },
        close: (code, reason) => ws.close(code, reason),
      }
      unsubscribe = deps.live.subscribe(topics.dashboard(account.officeId), socket)
      const snapshot = await dashboardFragments(deps, account.officeId)
      ws.send(snapshot[lang])
      for (const html of held) ws.send(html)
      held = null
    },
    // dashboards only listen; anything they send is ignored
    onMessage() {},
    onClose() {
      unsubscribe?.()
      unsubscribe = null
    },
  }
}

// one publish reaches every socket of the office: parse its envelope once, not once per socket
let lastRaw = ''
let lastParsed: DashboardMessage | null = null
function parseMessage(raw: string): DashboardMessage {
  if (raw !== lastRaw || !lastParsed) {
    lastParsed = JSON.parse(raw) as DashboardMessage
    lastRaw = raw
  }
  return lastParsed
}
