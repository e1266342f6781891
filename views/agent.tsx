// Broker portal (渠道报备): register a client, share the referral QR, follow each referral's status and reason.
import { raw } from 'hono/html'
import type { Language } from '../models/consents.ts'
import type { SignedIn } from '../server/context.ts'
import type { referrals } from '../models/referrals.ts'
import { Layout, qrFitScript } from './layout.tsx'
import { pick, type Texts } from './i18n.ts'
import { rulingText, referralStatusText, formatTime, type OfficeNames } from './attribution-text.ts'

const text = {
  'zh-CN': {
    title: '渠道报备',
    register: '报备客户',
    label: '客户称呼（选填，如“王先生”）',
    phone: '客户手机号（选填，用于保护您的报备）',
    phoneHelp: '系统只保存号码的密钥散列和打码形式，任何人都看不到完整号码。',
    submit: '报备并生成二维码',
    mine: '我的报备',
    none: '还没有报备记录。',
    when: '报备时间',
    client: '客户',
    status: '状态',
    reason: '说明',
    until: '保护期至',
    evidence: '证据：该号码自行到访于',
    share: '把此二维码或链接发给客户，客户到访时先打开它，再扫描入口二维码签到。',
    rules: '判客规则',
    rule1: '客户持有效报备签到时，来访归属于您。',
    rule2: '同一客户有多个有效报备时，最早的报备获胜，其他经纪人会看到原因。',
    rule3:
      '若该手机号在报备前的保护期内已自行到访，报备标记为“有争议”，并显示那次到访的日期。系统从不使用人脸。',
    rule4: '报备超过保护期后失效。',
    badPhone: '手机号格式不正确。',
    link: '链接',
    back: '返回列表',
    appeal: '申诉',
    appealReason: '申诉理由',
    appealSubmit: '提交申诉（每个判定只能申诉一次）',
    appealOpen: '申诉处理中',
    upheld: '维持原判',
    overturned: '改判',
    presentTitle: '到访确认',
    brokerScanNotVisit: '您以经纪人身份扫码：这不算一次来访。请选择与您一同到场的客户进行到访确认。',
    presentConfirm: '我与此客户一同到场',
    presentDone: '已记录到访确认。',
  },
  en: {
    title: 'Referrals',
    register: 'Register a client',
    label: 'How to address the client (optional, e.g. “Mr Wang”)',
    phone: 'Client phone (optional, protects your registration)',
    phoneHelp: 'Only a keyed hash and a masked form are kept; nobody sees the full number.',
    submit: 'Register and make the QR',
    mine: 'My referrals',
    none: 'No referrals yet.',
    when: 'Registered',
    client: 'Client',
    status: 'Status',
    reason: 'Why',
    until: 'Protected until',
    evidence: 'Evidence: this number visited on its own on',
    share:
      'Send this QR or link to the client. On arrival they open it first, then scan the entrance QR to check in.',
    rules: 'How clients are attributed',
    rule1: 'A client who checks in on your valid registration is yours.',
    rule2:
      'If several brokers registered the same client, the earliest valid registration wins; the others see why.',
    rule3:
      'If that phone number had visited on its own within the protection period before you registered it, the registration is marked disputed, with the date of that visit. No face is ever used.',
    rule4: 'A registration lapses after its protection period.',
    badPhone: 'That phone number does not look right.',
    link: 'Link',
    back: 'Back to the list',
    appeal: 'Appeal',
    appealReason: 'Why the ruling is wrong',
    appealSubmit: 'Submit the appeal (one per ruling)',
    appealOpen: 'appeal pending',
    upheld: 'ruling upheld',
    overturned: 'ruling overturned',
    presentTitle: 'Arrival confirmation',
    brokerScanNotVisit:
      'You scanned as a broker: this is not a visit. Choose the client you are here with to confirm your presence.',
    presentConfirm: 'I am here with this client',
    presentDone: 'Your presence is recorded.',
  },
} satisfies Texts<Record<string, string>>

type Referral = typeof referrals.$inferSelect & {
  conflictBroker?: string | null
  conflictOffice?: OfficeNames | null
}
type Base = { lang: Language; csrfToken: string; account: SignedIn; timeZone: string }

export function AgentPage({
  lang,
  csrfToken,
  account,
  timeZone,
  list,
  rules,
  error,
}: Base & { list: Referral[]; rules: string[]; error?: 'badPhone' }) {
  const t = pick(text, lang)
  return (
    <Layout lang={lang} title={t.title} csrfToken={csrfToken} account={account}>
      <h1>{t.title}</h1>
      <section class="card">
        <h2>{t.register}</h2>
        {error ? (
          <p class="alert" role="alert">
            {t[error]}
          </p>
        ) : null}
        <form method="post" action="/agent/referrals" class="stack" id="referral-form">
          <input type="hidden" name="_csrf" value={csrfToken} />
          <label>
            {t.label}
            <input name="clientLabel" maxlength={40} />
          </label>
          <label>
            {t.phone}
            <input name="phone" type="tel" inputmode="tel" maxlength={20} />
          </label>
          <p class="muted">{t.phoneHelp}</p>
          <button type="submit" class="primary">
            {t.submit}
          </button>
        </form>
      </section>
      <ReferralList lang={lang} timeZone={timeZone} list={list} />
      <section class="card" id="agent-rules">
        <h2>{t.rules}</h2>
        <ol>
          {rules.map((line) => (
            <li>{line}</li>
          ))}
        </ol>
      </section>
    </Layout>
  )
}

export function ReferralList({
  lang,
  timeZone,
  list,
}: {
  lang: Language
  timeZone: string
  list: Referral[]
}) {
  const t = pick(text, lang)
  return (
    <section class="card" id="referral-list">
      <h2>{t.mine}</h2>
      {list.length === 0 ? (
        <p class="empty">{t.none}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t.when}</th>
                <th>{t.client}</th>
                <th>{t.status}</th>
                <th>{t.reason}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((r) => (
                <tr data-referral={r.id} data-status={r.status}>
                  <td>
                    <a href={`/agent/referrals/${r.id}`}>{formatTime(lang, r.createdAt, timeZone)}</a>
                  </td>
                  <td>
                    {r.clientLabel} {r.phoneMasked ?? ''}
                  </td>
                  <td>
                    <span class={`badge status-${r.status}`}>{referralStatusText[lang][r.status]}</span>
                  </td>
                  <td>{rulingText(lang, r, timeZone)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

export function ReferralSharePage({
  lang,
  csrfToken,
  account,
  timeZone,
  referral,
  url,
  qr,
  appeal,
}: Base & {
  referral: Referral
  url: string
  qr: string
  appeal: { reason: string; decision: string | null; decisionReason: string | null } | null
}) {
  const t = pick(text, lang)
  return (
    <Layout lang={lang} title={t.title} csrfToken={csrfToken} account={account} scripts={[qrFitScript]}>
      <section class="card narrow" id="referral-share" data-status={referral.status}>
        <h1>
          {referral.clientLabel || t.client} {referral.phoneMasked ?? ''}
        </h1>
        <p>
          <span class={`badge status-${referral.status}`}>{referralStatusText[lang][referral.status]}</span>{' '}
          {rulingText(lang, referral, timeZone)}
        </p>
        <p>{t.share}</p>
        <div class="qr">{raw(qr)}</div>
        <p>
          {t.link}:{' '}
          <a href={url} id="referral-link">
            {url}
          </a>
        </p>
        <p>
          {t.until}: {formatTime(lang, referral.expiresAt, timeZone)}
        </p>
        <p>
          <a href="/agent">{t.back}</a>
        </p>
      </section>
      <AppealSection lang={lang} csrfToken={csrfToken} referral={referral} appeal={appeal} />
    </Layout>
  )
}

function AppealSection({
  lang,
  csrfToken,
  referral,
  appeal,
}: {
  lang: Language
  csrfToken: string
  referral: Referral
  appeal: { reason: string; decision: string | null; decisionReason: string | null } | null
}) {
  const t = pick(text, lang)
  if (appeal) {
    return (
      <section class="card narrow" id="appeal-status" data-decision={appeal.decision ?? 'open'}>
        <h2>{t.appeal}</h2>
        <p>{appeal.reason}</p>
        <p>
          <strong>{appeal.decision ? t[appeal.decision as 'upheld' | 'overturned'] : t.appealOpen}</strong>
          {appeal.decisionReason ? ` · ${appeal.decisionReason}` : ''}
        </p>
      </section>
    )
  }
  if (!['invalid', 'disputed', 'expired'].includes(referral.status)) return null
  return (
    <section class="card narrow">
      <h2>{t.appeal}</h2>
      <form method="post" action={`/agent/referrals/${referral.id}/appeal`} class="stack" id="appeal-form">
        <input type="hidden" name="_csrf" value={csrfToken} />
        <label>
          {t.appealReason}
          <textarea name="reason" required minlength={4} maxlength={1000}></textarea>
        </label>
        <button type="submit" class="primary">
          {t.appealSubmit}
        </button>
      </form>
    </section>
  )
}

export function BrokerScanPage({
  lang,
  csrfToken,
  account,
  timeZone,
  token,
  list,
  confirmed,
}: Base & { token: string; list: Referral[]; confirmed?: boolean }) {
  const t = pick(text, lang)
  return (
    <Layout lang={lang} title={t.presentTitle} csrfToken={csrfToken} account={account}>
      <section class="card narrow" id="broker-scan">
        <h1>{t.presentTitle}</h1>
        <p class="notice">{t.brokerScanNotVisit}</p>
        {confirmed ? (
          <p class="notice" role="status" id="present-done">
            {t.presentDone}
          </p>
        ) : null}
        {list.length === 0 ? (
          <p class="empty">{t.none}</p>
        ) : (
          <ul class="stack plain">
            {list.map((r) => (
              <li>
                <form method="post" action="/agent/present" class="inline-form">
                  <input type="hidden" name="_csrf" value={csrfToken} />
                  <input type="hidden" name="t" value={token} />
                  <input type="hidden" name="referral" value={r.id} />
                  <span>
                    {r.clientLabel || t.client} {r.phoneMasked ?? ''} ·{' '}
                    {formatTime(lang, r.createdAt, timeZone)}
                  </span>{' '}
                  <button type="submit" class="primary" data-referral={r.id}>
                    {t.presentConfirm}
                  </button>
                </form>
              </li>
            ))}
          </ul>
        )}
      </section>
    </Layout>
  )
}
