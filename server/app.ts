// Builds the Hono app from its dependencies. No side effects at import; only server/main.ts touches Node.
import { Hono } from 'hono'
import { secureHeaders } from 'hono/secure-headers'
import { bodyLimit } from 'hono/body-limit'
import { compress } from 'hono/compress'
import type { AppDeps, AppEnv } from './context.ts'
import { EventBus } from './events.ts'
import { registerNoticePush } from './notice-push.ts'
import { pickLanguage } from './middleware/lang.ts'
import { csrfProtection } from './middleware/csrf.ts'
import { loadSession } from './middleware/session.ts'
import { demoMark } from './middleware/demo-mark.ts'
import { officeSetupGate } from './middleware/office-setup.ts'
import { officeSettingsPath } from './routes/office-settings.tsx'
import { refuseUnnamedRoutes } from './middleware/require-permission.ts'
import { homePath } from './permissions.ts'
import { badRequest } from './respond.tsx'
import { refuseUnknownHosts } from './public-origin.ts'
import { publicRoutes } from './routes/public.ts'
import { authRoutes } from './routes/auth.tsx'
import { dashboardRoutes } from './routes/dashboard.tsx'
import { stationRoutes } from './routes/station.tsx'
import { signageRoutes } from './routes/signage.tsx'
import { registerSignageListeners } from './signage.ts'
import { reportRoutes } from './routes/reports.tsx'
import { registerDashboardListeners } from './dashboard-live.ts'
import { registerNotifyListeners } from './notify/listeners.ts'
import { requestLog, log, routeTemplate } from './log.ts'
import { checkinRoutes } from './routes/checkin.tsx'
import { agentRoutes } from './routes/agent.tsx'
import { consentRoutes } from './routes/consent.tsx'
import { meRoutes } from './routes/me.tsx'
import { rulesRoutes, deskConfirmRoutes } from './routes/rules.tsx'
import { ownershipRoutes } from './routes/ownership.tsx'
import { notifyAdminRoutes } from './routes/notify-admin.tsx'
import { privacyRoutes } from './routes/privacy.tsx'
import { adminRoutes } from './routes/admin.tsx'
import { contentRoutes } from './routes/content.tsx'
import { contentReportRoutes } from './routes/content-report.tsx'
import { uploadPath } from '../views/content.tsx'
import { pageContentSecurityPolicy, pagePattern } from './content/page.ts'
import { formBody } from './middleware/form-body.ts'
import { strictTransportSecurity, caCertificateRoutes } from './tls/routes.ts'
import { stationOpenRoutes } from './routes/station-open.ts'

export function createApp(deps: AppDeps) {
  deps.events ??= new EventBus()
  registerSignageListeners(deps)
  registerNoticePush(deps)
  registerDashboardListeners(deps)
  registerNotifyListeners(deps)
  const app = new Hono<AppEnv>()

  app.use('*', requestLog())
  // gzip for pages and JSON (phones on mobile data); static assets may come brotli-compressed instead
  app.use('*', compress())
  app.use('*', async function provideDeps(c, next) {
    c.set('deps', deps)
    await next()
  })
  app.use('*', refuseUnknownHosts())
  const siteHeaders = secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      // no inline script anywhere; wasm compilation for the on-device face detector
      scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:', 'blob:'],
      mediaSrc: ["'self'", 'blob:'],
      connectSrc: ["'self'"],
      workerSrc: ["'self'", 'blob:'],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    referrerPolicy: 'no-referrer',
    permissionsPolicy: { camera: ['self'], microphone: [], geolocation: [] },
    // sent by strictTransportSecurity() below, over HTTPS only
    strictTransportSecurity: false,
  })
  // an uploaded web page (/display/page/…) gets its own, sandboxing policy instead (server/content/page.ts),
  // for that response only — found or not — and our own pages may frame it; the same headers otherwise
  const pageHeaders = secureHeaders({
    referrerPolicy: 'no-referrer',
    permissionsPolicy: { camera: [], microphone: [], geolocation: [] },
    strictTransportSecurity: false,
  })
  app.use('*', async function headersByKind(c, next) {
    if (!pagePattern.test(c.req.path)) return siteHeaders(c, next)
    await pageHeaders(c, next)
    c.res.headers.set('Content-Security-Policy', pageContentSecurityPolicy)
  })
  app.use('*', strictTransportSecurity())
  app.use('*', async function noStoreByDefault(c, next) {
    await next()
    // every page may carry personal data, a token or the CSRF token: no browser or proxy cache keeps one.
    // Static files and the JWKS set their own caching.
    // (a WebSocket upgrade's 101 is left alone: Deno hands it back with immutable headers)
    if (c.res.status === 101 || c.res.headers.has('cache-control')) return
    try {
      c.res.headers.set('Cache-Control', 'no-store')
    } catch {
      c.res = new Response(c.res.body, c.res)
      c.res.headers.set('Cache-Control', 'no-store')
    }
  })
  const limitBody = bodyLimit({
    maxSize: deps.config.bodyLimitBytes,
    onError: (c) => badRequest(c as never, 'too-large', 413),
  })
  // a content upload streams to disk under its own caps (server/content/upload.ts)
  const streamingUpload = (c: { req: { path: string; header: (name: string) => string | undefined } }) =>
    c.req.path === uploadPath && (c.req.header('content-type') ?? '').startsWith('multipart/form-data')
  app.use('*', (c, next) => (streamingUpload(c) ? next() : limitBody(c, next)))
  app.use('*', pickLanguage())
  const parseForms = formBody()
  app.use('*', (c, next) => (streamingUpload(c) ? next() : parseForms(c, next)))
  // the session first: a signed-in browser's CSRF token is tied to it
  app.use('*', loadSession())
  const csrf = csrfProtection({ isStreaming: streamingUpload })
  app.use('*', async function csrfOutsideApi(c, next) {
    // device and integration endpoints carry bearer tokens, not cookies
    if (c.req.path.startsWith('/api/')) {
      c.set('csrfToken', '')
      return next()
    }
    return csrf(c, next)
  })
  app.use('*', demoMark())
  app.use('*', refuseUnnamedRoutes())
  app.use('*', officeSetupGate({ settingsPath: officeSettingsPath }))

  app.get('/', (c) => {
    const account = c.var.account
    if (!account) return c.redirect('/login', 303)
    return c.redirect(homePath(account), 303)
  })
  app.route('/', publicRoutes())
  app.route('/', caCertificateRoutes())
  app.route('/', authRoutes())
  app.route('/', dashboardRoutes())
  app.route('/', stationRoutes(deps))
  app.route('/', signageRoutes())
  app.route('/', stationOpenRoutes())
  app.route('/', reportRoutes())
  app.route('/', checkinRoutes())
  app.route('/', agentRoutes())
  app.route('/', consentRoutes())
  app.route('/', meRoutes())
  app.route('/', rulesRoutes())
  app.route('/', ownershipRoutes())
  app.route('/', deskConfirmRoutes())
  app.route('/', privacyRoutes())
  app.route('/', notifyAdminRoutes())
  app.route('/', adminRoutes())
  app.route('/', contentReportRoutes())
  app.route('/', contentRoutes())

  app.notFound((c) => badRequest(c, 'not-found', 404))
  app.onError((error, c) => {
    // the route template, not the path: a path can carry a token (/pair/:token)
    log({ msg: 'unhandled', route: routeTemplate(c), error: String(error) }, 'error')
    return badRequest(c, 'server', 500)
  })
  return app
}

export type App = ReturnType<typeof createApp>
