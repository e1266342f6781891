// Browser-test harness: a real server on a free loopback port with its own data dir, and Debian's Chromium.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { chromium, type Browser, type LaunchOptions, type Page } from 'playwright-core'
import { start } from '../../server/main.ts'
import { configFromEnv } from '../../server/config.ts'
import { setLogSink } from '../../server/log.ts'

// request logs stay out of test output; test/server/log.test.ts captures them where they are the subject
setLogSink(() => undefined)

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const adminPassword = 'browser-test-admin-pw'

// flags that keep Chromium from reaching any address but loopback
export const quietChromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
]

export async function startTestServer(env: Record<string, string> = {}) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'showroom-test-'))
  const config = configFromEnv({
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    SHOWROOM_ADMIN_PASSWORD: adminPassword,
    // the demo office without its two months of history, unless a test asks (SHOWROOM_DEMO_HISTORY: '1')
    SHOWROOM_DEMO_HISTORY: '0',
    // the demo's generated signage content is tested on its own (test/server/content/demo.test.ts)
    SHOWROOM_DEMO_CONTENT: '0',
    ...env,
  })
  const server = await start(config)
  return {
    ...server,
    dataDir,
    async close() {
      await server.stop('test')
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}

// generous waits: a 2-core machine running the suite can be slow, and every wait is for a condition, not a time
export const actionTimeoutMs = 90_000

export async function launchBrowser(extraArgs: string[] = [], options: LaunchOptions = {}): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [...quietChromiumArgs, ...extraArgs],
    ...options,
  })
  const newContext = browser.newContext.bind(browser)
  browser.newContext = async (...args) => {
    const context = await newContext(...args)
    context.setDefaultTimeout(actionTimeoutMs)
    return context
  }
  browser.newPage = async (...args) => {
    const context = await browser.newContext(...args)
    const page = await context.newPage()
    // closing the page closes its own context, as Browser.newPage does
    page.on('close', () => void context.close().catch(() => undefined))
    return page
  }
  return browser
}

// a dashboard in a browser context of its own (its own cookies, like a tablet at the desk), signed in as one of the
// demo office's accounts, once its live socket is open; the page's errors go to `errors`
export async function openDashboardAs(
  browser: Browser,
  server: Awaited<ReturnType<typeof startTestServer>>,
  username: string,
  {
    errors,
    viewport = { width: 1024, height: 768 },
  }: { errors: string[]; viewport?: { width: number; height: number } },
): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-US', viewport })
  const page = await context.newPage()
  page.on('pageerror', (e) => errors.push(String(e)))
  await page.goto(`${server.base}/login?next=/dashboard`)
  await page.fill('input[name=username]', username)
  await page.fill(
    'input[name=password]',
    server.seeded!.demoAccounts.find((a) => a.username === username)!.password,
  )
  await page.click('button[type=submit]')
  await page.waitForURL(/\/dashboard$/)
  await page.waitForSelector('#dashboard-live[data-state="open"]')
  return page
}
