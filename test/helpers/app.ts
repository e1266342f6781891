// Test harness: the real app over an in-memory database, a settable clock, and a cookie-keeping client.
import { createApp } from '../../server/app.ts'
import { testConfig, type Config } from '../../server/config.ts'
import { ephemeralKeys } from '../../server/keys.ts'
import { openDatabase, migrateDatabase } from '../../models/db.ts'
import { seedFirstStart } from '../../models/seed.ts'
import { LiveHub } from '../../server/live.ts'
import { nodeAssetReader } from '../../server/assets-node.ts'
import { EventBus } from '../../server/events.ts'
import type { AppDeps } from '../../server/context.ts'
import { setLogSink } from '../../server/log.ts'
import type { ContentStore } from '../../server/content/store.ts'

// request logs stay out of test output; test/server/log.test.ts captures them where they are the subject
setLogSink(() => undefined)

export const adminPassword = 'admin-password-for-tests'

export class TestClock {
  constructor(public at = Date.parse('2026-11-23T02:00:00Z')) {}
  now = () => this.at
  advance(ms: number) {
    this.at += ms
  }
}

export async function makeTestApp({
  demo = true,
  config = {},
  content,
}: { demo?: boolean; config?: Partial<Config>; content?: ContentStore } = {}) {
  const clock = new TestClock()
  const database = await openDatabase({ url: ':memory:' })
  await migrateDatabase(database)
  const seeded = await seedFirstStart({ database, adminPassword, demo, now: clock.now() })
  const keys = await ephemeralKeys()
  const live = new LiveHub()
  const deps: AppDeps & { clock: TestClock; events: EventBus } = {
    events: new EventBus(),
    config: testConfig(config),
    database,
    keys,
    clock,
    live,
    assets: nodeAssetReader(),
    content,
    clientAddress: () => '203.0.113.7',
  }
  const app = createApp(deps)
  const passwordOf = (username: string) =>
    username === 'admin' ? adminPassword : seeded!.demoAccounts.find((a) => a.username === username)!.password
  return { app, deps, database, clock, keys, live, seeded: seeded!, passwordOf }
}

export type TestApp = Awaited<ReturnType<typeof makeTestApp>>

// a browser-like client: keeps cookies, knows the CSRF token, follows nothing by itself
export class Client {
  cookies = new Map<string, string>()
  constructor(
    readonly app: TestApp['app'],
    readonly origin = 'http://127.0.0.1:8787',
  ) {}

  get csrf() {
    return this.cookies.get('sr_csrf') ?? ''
  }

  async request(path: string, init: RequestInit = {}) {
    const headers = new Headers(init.headers)
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '))
    const response = await this.app.request(this.origin + path, { ...init, headers, redirect: 'manual' })
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const eq = pair!.indexOf('=')
      const name = pair!.slice(0, eq)
      const value = pair!.slice(eq + 1)
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
    return response
  }

  get(path: string, headers: Record<string, string> = {}) {
    return this.request(path, { headers })
  }

  // a form post with the CSRF field filled in, as the page's form would send it
  async post(path: string, fields: Record<string, string> = {}, { csrf = true }: { csrf?: boolean } = {}) {
    if (!this.cookies.has('sr_csrf')) await this.get('/login')
    const body = new URLSearchParams(csrf ? { _csrf: this.csrf, ...fields } : fields)
    return this.request(path, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
  }

  async login(username: string, password: string) {
    const response = await this.post('/login', { username, password })
    if (response.status !== 303) throw new Error(`login as ${username} failed: ${response.status}`)
    return response
  }
}
