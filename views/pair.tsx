// Pairing a screen: confirm, then the page stores the station's device token in this browser and opens the screen.
import type { Language } from '../models/consents.ts'
import { Layout } from './layout.tsx'
import { pick, type Texts } from './i18n.ts'

const text = {
  'zh-CN': {
    title: '配对屏幕',
    intro: '此链接会把当前浏览器配对为 Showroom 的一块屏幕。请只在该屏幕上打开。',
    confirm: '配对此屏幕',
    done: '已配对',
    opening: '正在打开屏幕页面…',
    open: '打开屏幕',
  },
  en: {
    title: 'Pair this screen',
    intro:
      'This link pairs the browser it is opened in as one of Showroom’s screens. Open it only on that screen.',
    confirm: 'Pair this screen',
    done: 'Paired',
    opening: 'Opening the screen…',
    open: 'Open the screen',
  },
} satisfies Texts<Record<string, string>>

export function PairPage({ lang, csrfToken, token }: { lang: Language; csrfToken: string; token: string }) {
  const t = pick(text, lang)
  return (
    <Layout lang={lang} title={t.title} csrfToken={csrfToken} bare>
      <section class="card narrow">
        <h1>{t.title}</h1>
        <p>{t.intro}</p>
        <form method="post" action={`/pair/${encodeURIComponent(token)}`}>
          <input type="hidden" name="_csrf" value={csrfToken} />
          <button type="submit" class="primary" id="pair-confirm">
            {t.confirm}
          </button>
        </form>
      </section>
    </Layout>
  )
}

export function PairedPage({
  lang,
  csrfToken,
  station,
  stationToken,
}: {
  lang: Language
  csrfToken: string
  station: { id: string; kind: string; name: string }
  stationToken: string
}) {
  const t = pick(text, lang)
  const href = `/${station.kind}/${station.id}`
  return (
    <Layout lang={lang} title={t.done} csrfToken={csrfToken} bare scripts={['/assets/pair.js']}>
      <section
        class="card narrow"
        id="paired"
        data-station={station.id}
        data-token={stationToken}
        data-href={href}
      >
        <h1>
          {t.done}: {station.name}
        </h1>
        <p>{t.opening}</p>
        <a class="button primary" href={href}>
          {t.open}
        </a>
      </section>
    </Layout>
  )
}
