// npm run demo:live: visitors arrive at the running demo office every few seconds, through the routes a phone uses.
// Loopback only. The script stands in for the entrance screen (it signs the short-lived entrance token with the
// server's key from DATA_DIR, as the screen's server connection would) and for the phones and brokers' phones.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { loadOrCreateKeys } from '../server/keys.ts'
import { signToken } from '../server/tokens.ts'
import { seededRandom } from '../models/demo/random.ts'
import { clientLabel } from '../models/demo/names.ts'
import { demoLiveFileName, type DemoLiveFile } from '../server/demo-live-file.ts'

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]', '::1'])

// a phone's cookies: the CSRF cookie, the visit pass, an opened referral
class Phone {
  cookies = new Map<string, string>()
  constructor(readonly base: string) {}

  async request(pathname: string, init: RequestInit = {}) {
    const headers = new Headers(init.headers)
    headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '))
    const response = await fetch(this.base + pathname, { ...init, headers, redirect: 'manual' })
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const at = pair!.indexOf('=')
      const value = pair!.slice(at + 1)
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(pair!.slice(0, at))
      else this.cookies.set(pair!.slice(0, at), value)
    }
    return response
  }

  // a form post as the page would send it (the CSRF field from the cookie the last page set)
  post(pathname: string, fields: Record<string, string>) {
    return this.request(pathname, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: this.cookies.get('sr_csrf') ?? '', ...fields }),
    })
  }
}

export async function runDemoLive({
  base,
  dataDir,
  seconds = Infinity,
  intervalMs = [3000, 6000],
  seed = `live-${Date.now()}`,
  say = (line: string) => console.log(line),
  signal,
}: {
  base: string
  dataDir: string
  seconds?: number
  intervalMs?: [number, number]
  seed?: string
  say?: (line: string) => void
  signal?: AbortSignal
}) {
  const url = new URL(base)
  if (!loopbackHosts.has(url.hostname))
    throw new Error(`demo:live only talks to a server on loopback, not ${url.host}`)
  const demo = JSON.parse(await readFile(path.join(dataDir, demoLiveFileName), 'utf8')) as DemoLiveFile
  const { keys } = await loadOrCreateKeys({
    load: () => readFile(path.join(dataDir, 'keys.json'), 'utf8').catch(() => null),
    save: async () => {
      throw new Error(`no keys.json in ${dataDir}: start the server first`)
    },
  })
  const random = seededRandom(seed)
  const origin = url.origin
  const seen: string[] = []
  const number = () => `1${random.int(3, 9)}${String(random.int(0, 999_999_999)).padStart(9, '0')}`
  const entranceToken = async () => {
    const now = Date.now()
    return (
      await signToken(
        keys,
        'entrance',
        { office: demo.officeId, station: demo.entranceStationId },
        { now, expiresAt: now + 60_000 },
      )
    ).token
  }
  const brokerPhones = new Map<string, Phone>()
  const brokerPhone = async (account: DemoLiveFile['brokers'][number]) => {
    let phone = brokerPhones.get(account.username)
    if (phone) return phone
    phone = new Phone(origin)
    await phone.request('/login')
    const signedIn = await phone.post('/login', { username: account.username, password: account.password })
    if (signedIn.status !== 303)
      throw new Error(`broker ${account.username} could not sign in (${signedIn.status})`)
    // the signed-in session has its own CSRF token: the portal page hands it over, as it does to a browser
    await phone.request('/agent')
    brokerPhones.set(account.username, phone)
    return phone
  }

  // one visitor: maybe opens a broker's referral link, scans the entrance QR, leaves a number or not
  async function arrive() {
    const visitor = new Phone(origin)
    const roll = random.next()
    const kind: 'walk-in' | 'broker' | 'returning' =
      roll < 0.15 && seen.length ? 'returning' : roll < 0.45 ? 'broker' : 'walk-in'
    let phone = kind === 'returning' ? random.pick(seen) : random.chance(0.8) ? number() : ''
    if (kind === 'broker') {
      const broker = await brokerPhone(random.pick(demo.brokers))
      phone ||= number()
      const made = await broker.post('/agent/referrals', { phone, clientLabel: clientLabel(random) })
      if (made.status !== 303) throw new Error(`the broker's registration was refused (${made.status})`)
      const share = await broker.request(made.headers.get('location')!)
      const link = /<a href="([^"]+)" id="referral-link"/.exec(await share.text())?.[1]
      if (!link) throw new Error('no referral link on the broker’s page')
      await visitor.request(new URL(link).pathname)
    }
    const token = await entranceToken()
    await visitor.request(`/checkin?t=${encodeURIComponent(token)}`)
    let response = await visitor.post('/checkin', { t: token, phone })
    // a number seen before: the phone is asked "is this you?" and says yes
    if (response.status === 200 && /name="confirm"/.test(await response.clone().text())) {
      response = await visitor.post('/checkin', { t: token, phone, confirm: 'yes' })
    }
    if (response.status !== 303) throw new Error(`check-in refused: ${response.status}`)
    if (phone && !seen.includes(phone)) seen.push(phone)
    const masked = phone ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '—'
    say(`${new Date().toLocaleTimeString('zh-CN', { hour12: false })}  ${kind.padEnd(9)} ${masked}`)
  }

  const until = Date.now() + seconds * 1000
  let arrivals = 0
  while (Date.now() < until && !signal?.aborted) {
    await arrive()
    arrivals++
    const wait = random.int(intervalMs[0], intervalMs[1])
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.min(wait, Math.max(0, until - Date.now())))
      signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true })
    })
  }
  return { arrivals }
}

if (process.argv[1]?.endsWith('demo-live.ts')) {
  const dataDir = process.env.DATA_DIR ?? './data'
  const base = process.env.SHOWROOM_URL ?? `http://127.0.0.1:${process.env.PORT ?? 8787}`
  const secondsArg = process.argv.indexOf('--seconds')
  const seconds = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : Infinity
  const stop = new AbortController()
  process.once('SIGINT', () => stop.abort())
  process.once('SIGTERM', () => stop.abort())
  console.log(`demo:live → ${base} (Ctrl+C stops)`)
  runDemoLive({
    base,
    dataDir,
    seconds,
    signal: stop.signal,
    seed: process.env.DEMO_LIVE_SEED || undefined,
  }).then(
    ({ arrivals }) => console.log(`${arrivals} arrivals`),
    (error) => {
      console.error(String(error instanceof Error ? error.message : error))
      process.exit(1)
    },
  )
}
