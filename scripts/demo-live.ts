// npm run demo:live: visitors arrive at the running demo office every few seconds, through the routes a phone uses.
// Loopback only, HTTP and WebSocket only (never the database). The script's own demo-office admin (demo.json) creates
// and pairs a dedicated entrance station, as an admin does for a screen; the script then stands in for that screen
// (its socket receives the rotating entrance codes), for the phones that open a code and check in, and for the
// brokers' phones. The office's real entrance screen is never touched.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import WebSocket from 'ws'
import { seededRandom } from '../models/demo/random.ts'
import { clientLabel, mobileNumber } from '../models/demo/names.ts'
import { maskPhone } from '../models/phone.ts'
import { stationSocketPath } from '../server/station-protocol.ts'
import { entranceCodeCheckinCap } from '../server/entrance-codes.ts'
import { demoLiveFileName, type DemoLiveFile } from '../server/demo-live-file.ts'

export const demoLiveStationName = '演示模拟入口 demo:live entrance'
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

// signs in and keeps the session's CSRF token from a page of the console, as a browser would
async function signIn(base: string, account: { username: string; password: string }, page: string) {
  const phone = new Phone(base)
  await phone.request('/login')
  const signedIn = await phone.post('/login', { username: account.username, password: account.password })
  if (signedIn.status !== 303) throw new Error(`${account.username} could not sign in (${signedIn.status})`)
  // the signed-in session has its own CSRF token: the page hands it over, as it does to a browser
  const opened = await phone.request(page)
  if (opened.status !== 200) throw new Error(`${page} answered ${opened.status} to ${account.username}`)
  return phone
}

// the script's entrance screen: created once (found again by name on later runs) in the demo office through the
// admin's routes, paired afresh each run (a new pairing voids the last run's device token), as an admin would
async function pairEntranceScreen(base: string, demo: DemoLiveFile) {
  if (!demo.admin)
    throw new Error(
      `${demoLiveFileName} has no demo:live account: it predates this script; start a fresh demo`,
    )
  const adminPage = `/admin?office=${encodeURIComponent(demo.officeId)}`
  const admin = await signIn(base, demo.admin, adminPage)
  const findStation = async () => {
    const html = await (await admin.request(adminPage)).text()
    for (const [, id, form] of html.matchAll(
      /action="\/admin\/stations\/([^/"]+)\/rename"([\s\S]*?)<\/form>/g,
    ))
      if (form!.includes(`value="${demoLiveStationName}"`)) return id!
    return null
  }
  let stationId = await findStation()
  if (!stationId) {
    const created = await admin.post('/admin/stations', {
      officeId: demo.officeId,
      kind: 'entrance',
      name: demoLiveStationName,
      zone: 'entrance',
    })
    if (created.status !== 303) throw new Error(`the demo:live entrance was not created (${created.status})`)
    stationId = await findStation()
    if (!stationId) throw new Error('the demo:live entrance is not on the admin page')
  }
  const pairing = await admin.post(`/admin/stations/${stationId}/pair`, {})
  const link = /<a href="([^"]+)" id="pairing-link"/.exec(await pairing.text())?.[1]
  if (pairing.status !== 200 || !link) throw new Error(`no pairing link (${pairing.status})`)
  // the screen opens the link (its path on this server: the link may name the public address) and confirms
  const screen = new Phone(base)
  const pairPath = new URL(link, base).pathname
  await screen.request(pairPath)
  const paired = await screen.post(pairPath, {})
  const token = /data-token="([^"]+)"/.exec(await paired.text())?.[1]
  if (paired.status !== 200 || !token)
    throw new Error(`pairing the demo:live entrance failed (${paired.status})`)
  return token
}

// the screen's socket: says hello with the device token, then keeps the newest entrance code it is sent; a code
// serves at most the server's cap of check-ins, after which the next rotation's code is awaited
function entranceScreen(base: string, deviceToken: string) {
  const url = new URL(stationSocketPath, base)
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
  const socket = new WebSocket(url)
  let current: { url: string; uses: number } | null = null
  let closed: Error | null = null
  let waiters: { resolve: () => void; reject: (error: Error) => void }[] = []
  const wake = (error?: Error) => {
    for (const waiter of waiters) error ? waiter.reject(error) : waiter.resolve()
    waiters = []
  }
  socket.on('open', () => socket.send(JSON.stringify({ type: 'hello', token: deviceToken })))
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { type?: string; url?: string; code?: string }
    if (message.type === 'entrance.token' && message.url) {
      current = { url: message.url, uses: 0 }
      wake()
    } else if (message.type === 'error') wake(new Error(`the station socket refused: ${message.code}`))
  })
  socket.on('error', (error) => wake((closed = error)))
  socket.on('close', (code) => wake((closed ??= new Error(`the station socket closed (${code})`))))
  return {
    // the path and query of a code's URL (the URL may name the public address), counted as one check-in
    async code(): Promise<string> {
      while (!current || current.uses >= entranceCodeCheckinCap) {
        if (closed) throw closed
        await new Promise<void>((resolve, reject) => waiters.push({ resolve, reject }))
      }
      current.uses++
      const { pathname, search } = new URL(current.url, base)
      return pathname + search
    },
    close() {
      closed ??= new Error('closed')
      socket.close()
    },
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
  const screen = entranceScreen(url.origin, await pairEntranceScreen(url.origin, demo))
  const random = seededRandom(seed)
  const origin = url.origin
  const seen: string[] = []
  const number = () => mobileNumber(random)
  const brokerPhones = new Map<string, Phone>()
  const brokerPhone = async (account: DemoLiveFile['brokers'][number]) => {
    let phone = brokerPhones.get(account.username)
    if (phone) return phone
    phone = await signIn(origin, account, '/agent')
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
    // the phone scans the screen's QR: opening the code binds this phone to it, then the form is sent
    const code = await screen.code()
    const opened = await visitor.request(code)
    if (opened.status !== 200) throw new Error(`the entrance code did not open: ${opened.status}`)
    const response = await visitor.post('/checkin', {
      t: new URLSearchParams(code.split('?')[1]).get('t')!,
      phone,
    })
    if (response.status !== 303) throw new Error(`check-in refused: ${response.status}`)
    if (phone && !seen.includes(phone)) seen.push(phone)
    const masked = phone ? maskPhone(phone) : '—'
    say(`${new Date().toLocaleTimeString('zh-CN', { hour12: false })}  ${kind.padEnd(9)} ${masked}`)
  }

  const until = Date.now() + seconds * 1000
  let arrivals = 0
  try {
    while (Date.now() < until && !signal?.aborted) {
      await arrive()
      arrivals++
      const wait = random.int(intervalMs[0], intervalMs[1])
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(wait, Math.max(0, until - Date.now())))
        signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true })
      })
    }
  } finally {
    screen.close()
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
