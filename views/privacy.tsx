// The privacy officer's console: its shell with section navigation, and the overview page.
import type { Child } from 'hono/jsx'
import type { Language } from '../models/consents.ts'
import type { SignedIn } from '../server/context.ts'
import { Layout } from './layout.tsx'
import { pick, type Texts } from './i18n.ts'

export const privacySections = [
  'notices',
  'retention',
  'purges',
  'consents',
  'requests',
  'audit',
  'assessment',
] as const
export type PrivacySection = (typeof privacySections)[number]

const text = {
  'zh-CN': {
    title: '隐私',
    overview: '概览',
    notices: '告知书',
    retention: '保存期限',
    purges: '清除记录',
    consents: '同意台账',
    requests: '个人请求',
    audit: '审计日志',
    assessment: '影响评估',
    intro:
      '个人信息保护负责人的工作台：告知书版本、保存期限与自动清除、同意台账、查阅/删除请求、审计日志与个人信息保护影响评估。',
    openRequests: '待处理请求',
    lastPurge: '最近一次清除',
    purgeFailed: '失败：数据未按期删除，请查看清除记录',
    never: '从未',
    currentNotices: '现行告知书',
  },
  en: {
    title: 'Privacy',
    overview: 'Overview',
    notices: 'Notices',
    retention: 'Retention',
    purges: 'Purge runs',
    consents: 'Consent ledger',
    requests: 'Requests',
    audit: 'Audit log',
    assessment: 'Impact assessment',
    intro:
      'The privacy officer’s desk: notice versions, retention and the automatic purge, the consent ledger, access and deletion requests, the audit log and the personal-information impact assessment.',
    openRequests: 'Open requests',
    lastPurge: 'Last purge',
    purgeFailed: 'FAILED: data is not being deleted on time; see the purge runs',
    never: 'never',
    currentNotices: 'Current notices',
  },
} satisfies Texts<Record<string, string>>

export function sectionTitle(lang: Language, section: PrivacySection | 'overview') {
  return pick(text, lang)[section]
}

// office-local date and time to the minute, as officers and inspectors read it
export function formatTime(at: number | null | undefined, timeZone = 'Asia/Shanghai') {
  if (at === null || at === undefined) return '—'
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).format(at)
}

export function PrivacyShell({
  lang,
  csrfToken,
  account,
  section,
  children,
}: {
  lang: Language
  csrfToken: string
  account: SignedIn
  section: PrivacySection | 'overview'
  children?: Child
}) {
  const t = pick(text, lang)
  return (
    <Layout
      lang={lang}
      title={`${t[section]} · ${t.title}`}
      csrfToken={csrfToken}
      account={account}
      bodyClass="console"
    >
      <nav class="privacy-nav" aria-label={t.title}>
        <a href="/privacy" aria-current={section === 'overview' ? 'page' : undefined}>
          {t.overview}
        </a>
        {privacySections.map((s) => (
          <a href={`/privacy/${s}`} aria-current={section === s ? 'page' : undefined}>
            {t[s]}
          </a>
        ))}
      </nav>
      <h1>{t[section]}</h1>
      {children}
    </Layout>
  )
}

export function PrivacyOverviewPage({
  lang,
  csrfToken,
  account,
  openRequests,
  lastPurgeAt,
  lastPurgeFailed = false,
  notices,
}: {
  lang: Language
  csrfToken: string
  account: SignedIn
  openRequests: number
  lastPurgeAt: number | null
  lastPurgeFailed?: boolean
  notices: { lang: string; version: number; sha256: string }[]
}) {
  const t = pick(text, lang)
  return (
    <PrivacyShell lang={lang} csrfToken={csrfToken} account={account} section="overview">
      <p>{t.intro}</p>
      <section class="card stats">
        <div>
          <span class="stat-label">{t.openRequests}</span>
          <a class="stat" href="/privacy/requests" id="open-requests">
            {openRequests}
          </a>
        </div>
        <div>
          <span class="stat-label">{t.lastPurge}</span>
          <a class="stat" href="/privacy/purges">
            {lastPurgeAt ? formatTime(lastPurgeAt) : t.never}
          </a>
          {lastPurgeFailed ? (
            <p class="bad" id="last-purge-failed" role="alert">
              {t.purgeFailed}
            </p>
          ) : null}
        </div>
      </section>
      <section class="card">
        <h2>{t.currentNotices}</h2>
        <ul>
          {notices.map((n) => (
            <li>
              {n.lang} v{n.version} · <code class="hash">{n.sha256}</code>
            </li>
          ))}
        </ul>
      </section>
    </PrivacyShell>
  )
}
