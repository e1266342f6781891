// Live dashboards: on domain events, render the changed fragments once per language and push them to the office.
import type { WSContext } from 'hono/ws'
import type { AppDeps, SignedIn } from './context.ts'
import type { DomainEvent } from './events.ts'
import { sessionEndedCode, topics, type LiveSocket } from './live.ts'
import { languages, type Language } from '../models/consents.ts'
import { dashboardSnapshot } from '../models/dashboard.ts'
import { renderFragments, renderPush, type ListChange } from '../views/dashboard.tsx'

// a dashboard topic message: per language, the WebSocket frames to send (HTML with hx-swap-oob)
export type DashboardMessage = Record<Language, string[]>

// what an event changes in the arrivals list: a new row, one changed row, or (null) anything
function listChange(event: DomainEvent): ListChange | undefined {
  switch (event.type) {
    case 'visit.checked-in':
      return { added: [event.visitId], changed: [] }
    case 'visit.updated':
      return { added: [], changed: [event.visitId] }
    case 'consent.changed':
    case 'camera-session.changed':
      return event.visitId ? { added: [], changed: [event.visitId] } : { added: [], changed: [] }
    case 'referral.changed':
      return null
    default:
      return undefined
  }
}

function merge(a: ListChange, b: ListChange): ListChange {
  if (!a || !b) return null
  return {
    added: [...new Set([...a.added, ...b.added])],
    changed: [...new Set([...a.changed, ...b.changed])],
  }
}

async function render(deps: AppDeps, officeId: string, change: ListChange): Promise<DashboardMessage> {
  const snapshot = await dashboardSnapshot(deps.database.db, officeId, deps.clock.now())
  // broadcast fragments carry no per-browser CSRF token: htmx sends it as a header, dashboard.js fills forms
  return Object.fromEntries(
    languages.map((lang) => [lang, renderPush(lang, snapshot, change)]),
  ) as DashboardMessage
}

// renders the office's fragments and pushes them to its open dashboards (whole list unless told what changed)
export async function refreshDashboards(
  deps: AppDeps,
  officeId: string,
  change: ListChange = null,
): Promise<void> {
  if (deps.live.count(topics.dashboard(officeId)) === 0) return
  const message = await render(deps, officeId, change)
  deps.live.publish(topics.dashboard(officeId), JSON.stringify(message))
}

// renders and publishes; a burst of events for one office (check-in + consent) becomes one push
export function registerDashboardListeners(deps: AppDeps): () => void {
  const pending = new Map<string, ListChange>()
  return deps.events!.on((event) => {
    const change = listChange(event)
    if (change === undefined || !('officeId' in event)) return
    const { officeId } = event
    if (pending.has(officeId)) {
      pending.set(officeId, merge(pending.get(officeId)!, change))
      return
    }
    pending.set(officeId, change)
    // next turn of the event loop: events emitted together coalesce, and nothing waits on a timer
    return new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      const merged = pending.get(officeId)!
      pending.delete(officeId)
      return refreshDashboards(deps, officeId, merged)
    })
  })
}

// a staff dashboard's socket: subscribed to its office; the first message is the whole current state,
// which is also what re-syncs a page after a reconnect. It also listens on its session and its account, so
// signing out, disabling the account or changing its role closes it at once.
export function dashboardSocket(deps: AppDeps, account: SignedIn, lang: Language) {
  let subscriptions: (() => void)[] = []
  let expiry: ReturnType<typeof setTimeout> | undefined
  const unsubscribe = () => {
    clearTimeout(expiry)
    for (const end of subscriptions.splice(0)) end()
  }
  return {
    async onOpen(_event: Event, ws: WSContext) {
      // pushes that arrive while the first snapshot is read are held and sent after it, never before
      let held: string[] | null = []
      const socket: LiveSocket = {
        send: (data) => {
          const frames = parseMessage(data)[lang]
          if (held) held.push(...frames)
          else for (const frame of frames) ws.send(frame)
        },
        close: (code, reason) => {
          // no push reaches a socket that is being closed
          unsubscribe()
          ws.close(code, reason)
        },
      }
      subscriptions = [
        topics.dashboard(account.officeId),
        topics.session(account.jti),
        topics.account(account.id),
      ].map((topic) => deps.live.subscribe(topic, socket))
      // an expired session ends like a signed-out one
      const left = Math.max(0, account.expiresAt - deps.clock.now())
      expiry = setTimeout(() => socket.close(sessionEndedCode, 'session expired'), left)
      try {
        const snapshot = await dashboardSnapshot(deps.database.db, account.officeId, deps.clock.now())
        ws.send(renderFragments(lang, snapshot, ''))
        for (const frame of held) ws.send(frame)
        held = null
      } catch (error) {
        // 1011: the page shows "reconnecting" and tries again; it never sits on a state it did not get
        console.error(
          JSON.stringify({ level: 'error', msg: 'dashboard snapshot failed', error: String(error) }),
        )
        ws.close(1011, 'snapshot failed')
      }
    },
    // dashboards only listen; anything they send is ignored
    onMessage() {},
    onClose() {
      unsubscribe()
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
