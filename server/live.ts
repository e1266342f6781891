// Live hub: topics (an office's dashboards, one station) and the sockets subscribed to them. Runtime-agnostic.
export type LiveSocket = { send: (data: string) => void; close: (code?: number, reason?: string) => void }

export class LiveHub {
  #topics = new Map<string, Set<LiveSocket>>()

  subscribe(topic: string, socket: LiveSocket): () => void {
    let set = this.#topics.get(topic)
    if (!set) this.#topics.set(topic, (set = new Set()))
    set.add(socket)
    return () => {
      set.delete(socket)
      if (set.size === 0) this.#topics.delete(topic)
    }
  }

  publish(topic: string, data: string): number {
    const set = this.#topics.get(topic)
    if (!set) return 0
    for (const socket of set) {
      try {
        socket.send(data)
      } catch {
        set.delete(socket)
      }
    }
    return set.size
  }

  // closes every socket of a topic (a revoked station, shutdown)
  closeTopic(topic: string, code = 1008, reason = 'revoked'): void {
    for (const socket of this.#topics.get(topic) ?? []) socket.close(code, reason)
    this.#topics.delete(topic)
  }

  closeAll(code = 1001, reason = 'server shutting down'): void {
    for (const topic of [...this.#topics.keys()]) this.closeTopic(topic, code, reason)
  }

  count(topic: string): number {
    return this.#topics.get(topic)?.size ?? 0
  }
}

export const topics = {
  dashboard: (officeId: string) => `dashboard:${officeId}`,
  station: (stationId: string) => `station:${stationId}`,
  visit: (visitId: string) => `visit:${visitId}`,
  notices: (officeId: string) => `notices:${officeId}`,
  // the live sockets one signed-in session holds, and those of every session of one account
  session: (jti: string) => `session:${jti}`,
  account: (accountId: string) => `account:${accountId}`,
} as const

// the dashboard's close code for "your session ended": the page stops reconnecting and says so
export const sessionEndedCode = 4001

// a signed-out session's sockets close at once, not at their next reconnect
export function closeSessionSockets(live: LiveHub, jti: string): void {
  live.closeTopic(topics.session(jti), sessionEndedCode, 'signed out')
}

// every socket of an account (disabled, role changed, password changed elsewhere)
export function closeAccountSockets(live: LiveHub, accountId: string): void {
  live.closeTopic(topics.account(accountId), sessionEndedCode, 'account changed')
}
