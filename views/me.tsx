// "My data": everything held about this visitor, a download, and deletion that really deletes.
import type { Language } from '../models/consents.ts'
import { Layout } from './layout.tsx'
import { pick, type Texts } from './i18n.ts'
import { reasonText, formatTime } from './attribution-text.ts'

const text = {
  'zh-CN': {
    title: '我的数据',
    lead: '以下是与您此手机上的来访凭证相关的全部信息。',
    phone: '手机号（打码）',
    none: '未提供',
    visits: '来访记录',
    consents: '摄像头同意',
    sessions: '摄像头数据（仅数字）',
    dwell: '停留',
    attention: '注视',
    seconds: '秒',
    granted: '同意于',
    withdrawn: '已撤回',
    active: '有效',
    receipt: '回执',
    download: '下载我的数据（JSON）',
    delete: '删除我的数据',
    deleteHelp: '删除手机号、摄像头数据及与您相关的记录；来访仅作为匿名计数保留。此操作不可撤销。',
    deleted: '您的个人数据已删除。来访仅作为匿名计数保留。',
    noPass: '此手机上没有有效的来访凭证。可在签到后查看，或联系隐私联系人。',
    station: '屏幕',
    recorded: '签到已记录',
    earlier:
      '此页只显示本手机签到创建的记录。查看或删除更早的来访记录，请向隐私联系人提出申请（需核实身份）：',
  },
  en: {
    title: 'My data',
    lead: 'This is everything we hold that is linked to the visit pass on this phone.',
    phone: 'Phone (masked)',
    none: 'not given',
    visits: 'Visits',
    consents: 'Camera consents',
    sessions: 'Camera data (numbers only)',
    dwell: 'Dwell',
    attention: 'Attention',
    seconds: 's',
    granted: 'given',
    withdrawn: 'withdrawn',
    active: 'active',
    receipt: 'receipt',
    download: 'Download my data (JSON)',
    delete: 'Delete my data',
    deleteHelp:
      'Deletes your phone number, camera data and records linked to you; visits remain only as anonymous counts. This cannot be undone.',
    deleted: 'Your personal data has been deleted. Visits remain only as anonymous counts.',
    noPass: 'There is no valid visit pass on this phone. Check in first, or ask the privacy contact.',
    station: 'Screen',
    recorded: 'checked in',
    earlier:
      'This page shows only what this phone’s check-in created. To see or delete earlier visits, ask the privacy contact (your identity will be checked):',
  },
} satisfies Texts<Record<string, string>>

export type MyData = {
  timeZone: string
  privacyContact: string
  phoneMasked: string | null
  // attributionReason: null unless the referral this browser opened decided the visit
  visits: { id: string; checkedInAt: number; attributionReason: string | null }[]
  consents: { id: string; grantedAt: number; withdrawnAt: number | null; noticeSha256: string }[]
  sessions: { id: string; station: string; startedAt: number; dwellMs: number; attentionMs: number }[]
}

type Base = { lang: Language; csrfToken: string }

export function MePage({ lang, csrfToken, data }: Base & { data: MyData }) {
  const t = pick(text, lang)
  const when = (at: number) => formatTime(lang, at, data.timeZone)
  return (
    <Layout lang={lang} title={t.title} csrfToken={csrfToken}>
      <h1>{t.title}</h1>
      <p>{t.lead}</p>
      <section class="card" id="my-data">
        <dl class="facts">
          <dt>{t.phone}</dt>
          <dd id="my-phone">{data.phoneMasked ?? t.none}</dd>
        </dl>
        <h2>{t.visits}</h2>
        <ul>
          {data.visits.map((v) => (
            <li>
              {when(v.checkedInAt)} ·{' '}
              {v.attributionReason ? reasonText(lang, v.attributionReason) : t.recorded}
            </li>
          ))}
        </ul>
        <p id="earlier-visits">
          {t.earlier} {data.privacyContact}
        </p>
        <h2>{t.consents}</h2>
        {data.consents.length === 0 ? (
          <p class="empty">{t.none}</p>
        ) : (
          <ul>
            {data.consents.map((c) => (
              <li>
                {t.granted} {when(c.grantedAt)} ·{' '}
                {c.withdrawnAt ? `${t.withdrawn} ${when(c.withdrawnAt)}` : t.active}
              </li>
            ))}
          </ul>
        )}
        <h2>{t.sessions}</h2>
        {data.sessions.length === 0 ? (
          <p class="empty">{t.none}</p>
        ) : (
          <ul id="my-sessions">
            {data.sessions.map((s) => (
              <li>
                {t.station} {s.station} · {when(s.startedAt)} · {t.dwell} {Math.round(s.dwellMs / 1000)}
                {t.seconds} · {t.attention} {Math.round(s.attentionMs / 1000)}
                {t.seconds}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section class="card">
        <p>
          <a class="button" href="/me/data.json" download="showroom-my-data.json">
            {t.download}
          </a>
        </p>
        <form method="post" action="/me/delete">
          <input type="hidden" name="_csrf" value={csrfToken} />
          <p class="muted">{t.deleteHelp}</p>
          <button type="submit" class="danger" id="delete-my-data">
            {t.delete}
          </button>
        </form>
      </section>
    </Layout>
  )
}

export function MeMessagePage({ lang, csrfToken, message }: Base & { message: 'deleted' | 'noPass' }) {
  const t = pick(text, lang)
  return (
    <Layout lang={lang} title={t.title} csrfToken={csrfToken}>
      <section class="card narrow">
        <p id="me-message">{t[message]}</p>
      </section>
    </Layout>
  )
}
