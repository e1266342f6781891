// What every handler gets: the app's dependencies and the per-request variables, typed once.
import type { Context } from 'hono'
import type { UpgradeWebSocket } from 'hono/ws'
import type { Config } from './config.ts'
import type { Database } from '../models/db.ts'
import type { Keys } from './keys.ts'
import type { LiveHub } from './live.ts'
import type { EventBus } from './events.ts'
import type { Language } from '../models/consents.ts'
import type { StaffRole } from '../models/staff.ts'
import type { ContentStore } from './content/store.ts'

export type Clock = { now: () => number }

// reads a file the browser may load (htmx, the signage bundle, MediaPipe wasm, the model); null if absent
export type AssetReader = (path: string) => Promise<Uint8Array | null>

export type AppDeps = {
  config: Config
  database: Database
  keys: Keys
  clock: Clock
  assets: AssetReader
  // uploaded signage files (DATA_DIR/content); absent: uploads are refused
  content?: ContentStore
  live: LiveHub
  // domain events (visit checked in, consent withdrawn, …); createApp makes one when none is given
  events?: EventBus
  upgradeWebSocket?: UpgradeWebSocket<any>
  // the notification sender (server/notify/worker.ts), woken when something was enqueued; absent: nothing is sent
  notifier?: { wake: () => void }
  // brotli for static assets, from the runtime adapter (node:zlib); without it assets are gzipped like pages
  brotli?: (bytes: Uint8Array) => Uint8Array
  // the peer address, from the runtime adapter (rate limits); tests may leave it out
  clientAddress?: (c: Context) => string
  // HTTPS served by this process: the local CA's root for GET /ca.crt (server/tls/)
  tls?: { caCertPem?: string }
}

export type SignedIn =
  | {
      kind: 'staff'
      id: string
      officeId: string
      role: StaffRole
      displayName: string
      jti: string
      // when the session token expires (ms); its live sockets close then
      expiresAt: number
      mustChangePassword?: boolean
    }
  | {
      kind: 'broker'
      id: string
      officeId: string
      role: 'broker'
      displayName: string
      jti: string
      expiresAt: number
      mustChangePassword?: boolean
    }

export type AppEnv = {
  Variables: {
    deps: AppDeps
    lang: Language
    csrfToken: string
    account: SignedIn | null
  }
}

export type AppContext = Context<AppEnv>
