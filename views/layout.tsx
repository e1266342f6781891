// The page shell: language, CSP-safe scripts (htmx from our server), CSRF header for htmx, navigation by role.
import type { Child } from 'hono/jsx'
import type { Language } from '../models/consents.ts'
import type { SignedIn } from '../server/context.ts'
import { common } from './i18n.ts'
import { can } from '../server/permissions.ts'
import { assetUrl } from '../server/asset-urls.ts'

// whole-pixel QR modules on any page that shows a QR (signage/pages/qr-fit.ts)
export const qrFitScript = '/assets/signage/qr-fit.mjs'

// a form's CSRF field (server/middleware/csrf.ts checks it against the cookie)
export function Csrf({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />
}

export type PageProps = {
  lang: Language
  title: string
  csrfToken: string
  account?: SignedIn | null
  // full-screen station pages hide the navigation
  bare?: boolean
  bodyClass?: string
  scripts?: string[]
  // pages with no htmx behaviour (the phone's check-in and pass) leave its 50 KB out
  htmx?: boolean
  // extra attributes on <body>, e.g. the htmx ws connection of the dashboard
  bodyAttrs?: Record<string, string>
  children?: Child
}

export function Layout({
  lang,
  title,
  csrfToken,
  account,
  bare,
  bodyClass,
  scripts = [],
  htmx = true,
  bodyAttrs = {},
  children,
}: PageProps) {
  const t = common[lang]
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="csrf-token" content={csrfToken} />
        <meta
          name="htmx-config"
          content='{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false}'
        />
        <title>{`${title} · Showroom`}</title>
        <link rel="stylesheet" href={assetUrl('/assets/app.css')} />
        <link rel="icon" href={assetUrl('/assets/favicon.svg')} type="image/svg+xml" />
        {htmx ? <script src={assetUrl('/vendor/htmx.min.js')} defer></script> : null}
        {htmx ? <script src={assetUrl('/vendor/htmx-ext-ws.js')} defer></script> : null}
        {scripts.map((src) => (
          <script src={assetUrl(src)} defer type={src.endsWith('.mjs') ? 'module' : undefined}></script>
        ))}
      </head>
      <body class={bodyClass} hx-headers={JSON.stringify({ 'x-csrf-token': csrfToken })} {...bodyAttrs}>
        {bare ? null : <Nav lang={lang} account={account} csrfToken={csrfToken} />}
        <main id="main">{children}</main>
      </body>
    </html>
  )
}

function Nav({ lang, account, csrfToken }: { lang: Language; account?: SignedIn | null; csrfToken: string }) {
  const t = common[lang]
  const other = lang === 'en' ? 'zh-CN' : 'en'
  return (
    <header class="topbar">
      <a class="brand" href="/">
        Showroom
      </a>
      <nav>
        {can(account, 'reception:work') ? <a href="/dashboard">{t.dashboard}</a> : null}
        {can(account, 'rules:manage') ? <a href="/rules">{t.rules}</a> : null}
        {can(account, 'reports:view') ? <a href="/reports">{t.reports}</a> : null}
        {can(account, 'content:manage') ? <a href="/content">{t.content}</a> : null}
        {can(account, 'privacy:manage') ? <a href="/privacy">{t.privacy}</a> : null}
        {can(account, 'admin:manage') ? <a href="/admin">{t.admin}</a> : null}
        {can(account, 'referrals:own') ? <a href="/agent">{t.agent}</a> : null}
      </nav>
      <div class="topbar-end">
        <a href={`?lang=${other}`} hreflang={other} class="lang-switch">
          {t.switchLang}
        </a>
        {account ? (
          <form method="post" action="/logout" class="inline">
            <Csrf token={csrfToken} />
            <span class="who">{account.displayName}</span> <button type="submit">{t.logout}</button>
          </form>
        ) : (
          <a href="/login">{t.login}</a>
        )}
      </div>
    </header>
  )
}
