// The sales dashboard (today): the shell that the live fragments fill.
import type { Language } from '../models/consents.ts'
import type { SignedIn } from '../server/context.ts'
import { Layout } from './layout.tsx'
import { pick, type Texts } from './i18n.ts'

const text = {
  'zh-CN': { title: '今日看板', arrivals: '今日到访', none: '今天还没有访客签到。' },
  en: { title: 'Today', arrivals: 'Arrivals today', none: 'No visitor has checked in today yet.' },
} satisfies Texts<Record<string, string>>

export function DashboardPage({
  lang,
  csrfToken,
  account,
}: {
  lang: Language
  csrfToken: string
  account: SignedIn
}) {
  const t = pick(text, lang)
  return (
    <Layout lang={lang} title={t.title} csrfToken={csrfToken} account={account}>
      <h1>{t.title}</h1>
      <section class="card" aria-labelledby="arrivals-heading">
        <h2 id="arrivals-heading">{t.arrivals}</h2>
        <div id="visit-list">
          <p class="empty">{t.none}</p>
        </div>
      </section>
    </Layout>
  )
}
