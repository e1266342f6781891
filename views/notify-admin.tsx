// The admin's notification page: channels per office (WeCom, DingTalk, signed webhook) and the dead-letter list.
import type { Language } from '../models/consents.ts'
import type { SignedIn } from '../server/context.ts'
import type { listChannels, deadLetters } from '../models/notify.ts'
import { channelKinds } from '../models/notify.ts'
import { Layout } from './layout.tsx'
import { ErrorList } from './errors.tsx'
import { pick, type Texts } from './i18n.ts'
import { formatTime } from './attribution-text.ts'

const text = {
  'zh-CN': {
    title: '顾问通知',
    intro:
      '到访提醒发送到顾问的手机：企业微信或钉钉群机器人，或一个签名的通用 Webhook（Standard Webhooks）。消息只包含事件、时间和看板链接，不含手机号、姓名或任何标签，因此不会有个人信息到达第三方平台。发送失败会自动重试，多次失败后进入下方列表；签到从不因此等待。',
    channels: '通知渠道',
    none: '尚未配置。',
    kind: '类型',
    wecom: '企业微信群机器人',
    dingtalk: '钉钉群机器人',
    webhook: '通用 Webhook（签名）',
    url: '地址',
    secret: '密钥（钉钉加签 SEC…，或 Webhook 的 whsec_…；保存后不再显示）',
    consultant: '只发给此顾问（留空：全部顾问的通知）',
    everyone: '全部顾问',
    mention: '@ 的用户 ID（企业微信 userid / 钉钉 userId；不是手机号）',
    add: '添加',
    remove: '删除',
    dead: '投递失败（已停止重试）',
    noDead: '没有投递失败的消息。',
    event: '事件',
    at: '时间',
    attempts: '尝试次数',
    error: '最后错误',
    retry: '重新发送',
    'client.returned': '老客户到访',
    'visit.assigned': '分配接待',
    'ownership.conflict': '撞单',
    hasSecret: '已设密钥',
  },
  en: {
    title: 'Consultant notifications',
    intro:
      'Arrival alerts go to consultants’ phones: a WeCom or DingTalk group robot, or a signed generic webhook (Standard Webhooks). A message holds only the event, the time and a dashboard link — no phone number, name or label — so nothing personal reaches a third-party platform. Failed deliveries are retried; after the last retry they are listed below. A check-in never waits for any of this.',
    channels: 'Channels',
    none: 'None configured.',
    kind: 'Kind',
    wecom: 'WeCom group robot',
    dingtalk: 'DingTalk group robot',
    webhook: 'Generic webhook (signed)',
    url: 'URL',
    secret: 'Secret (DingTalk SEC… signing secret, or the webhook’s whsec_…; not shown again)',
    consultant: 'Only this consultant’s (empty: every consultant’s notifications)',
    everyone: 'Every consultant',
    mention: 'User id to @-mention (WeCom userid / DingTalk userId; not a phone number)',
    add: 'Add',
    remove: 'Remove',
    dead: 'Dead letters (retries stopped)',
    noDead: 'No failed deliveries.',
    event: 'Event',
    at: 'Time',
    attempts: 'Attempts',
    error: 'Last error',
    retry: 'Send again',
    'client.returned': 'Returning client',
    'visit.assigned': 'Assigned',
    'ownership.conflict': 'Conflict',
    hasSecret: 'secret set',
  },
} satisfies Texts<Record<string, string>>

// a robot URL carries its access token in the query: show the address without it
const withoutQuery = (url: string) => url.replace(/\?.*$/, '?…')

export function NotifyAdminPage({
  lang,
  csrfToken,
  account,
  officeId,
  timeZone,
  channels,
  dead,
  consultants,
  error,
}: {
  lang: Language
  csrfToken: string
  account: SignedIn
  officeId: string
  timeZone: string
  channels: Awaited<ReturnType<typeof listChannels>>
  dead: Awaited<ReturnType<typeof deadLetters>>
  consultants: { id: string; displayName: string }[]
  error?: string[]
}) {
  const t = pick(text, lang)
  const q = `?office=${officeId}`
  return (
    <Layout lang={lang} title={t.title} csrfToken={csrfToken} account={account} bodyClass="console">
      <h1>{t.title}</h1>
      <p>{t.intro}</p>
      <section class="card" id="channels">
        <h2>{t.channels}</h2>
        {channels.length === 0 ? <p class="empty">{t.none}</p> : null}
        <ul>
          {channels.map((ch) => (
            <li data-channel={ch.id}>
              {t[ch.kind]} · <code>{withoutQuery(ch.url)}</code> · {ch.consultantName ?? t.everyone}
              {ch.mention ? ` · @${ch.mention}` : ''}
              {ch.hasSecret ? ` · ${t.hasSecret}` : ''}
              <form method="post" action={`/admin/notifications/channels/${ch.id}/remove${q}`} class="inline">
                <input type="hidden" name="_csrf" value={csrfToken} />
                <button type="submit">{t.remove}</button>
              </form>
            </li>
          ))}
        </ul>
        <ErrorList errors={error} />
        <form method="post" action={`/admin/notifications/channels${q}`} class="stack" id="channel-form">
          <input type="hidden" name="_csrf" value={csrfToken} />
          <label>
            {t.kind}
            <select name="kind">
              {channelKinds.map((k) => (
                <option value={k}>{t[k]}</option>
              ))}
            </select>
          </label>
          <label>
            {t.url}
            <input name="url" type="url" required maxlength={1000} />
          </label>
          <label>
            {t.secret}
            <input name="secret" autocomplete="off" maxlength={200} />
          </label>
          <label>
            {t.consultant}
            <select name="consultantId">
              <option value="">{t.everyone}</option>
              {consultants.map((m) => (
                <option value={m.id}>{m.displayName}</option>
              ))}
            </select>
          </label>
          <label>
            {t.mention}
            <input name="mention" maxlength={64} />
          </label>
          <button type="submit" class="primary">
            {t.add}
          </button>
        </form>
      </section>
      <section class="card" id="dead-letters">
        <h2>{t.dead}</h2>
        {dead.length === 0 ? (
          <p class="empty">{t.noDead}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{t.at}</th>
                  <th>{t.event}</th>
                  <th>{t.attempts}</th>
                  <th>{t.error}</th>
                  <th></th>
                </tr>
              </thead>
              <tbody>
                {dead.map((m) => (
                  <tr data-message={m.id}>
                    <td>{formatTime(lang, m.at, timeZone)}</td>
                    <td>{t[m.event]}</td>
                    <td>{m.attempts}</td>
                    <td>{m.lastError ?? ''}</td>
                    <td>
                      <form
                        method="post"
                        action={`/admin/notifications/dead/${m.id}/retry${q}`}
                        class="inline"
                      >
                        <input type="hidden" name="_csrf" value={csrfToken} />
                        <button type="submit">{t.retry}</button>
                      </form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </Layout>
  )
}
