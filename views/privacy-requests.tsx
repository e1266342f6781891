// Data-subject requests: the list (from /me and the officer), the phone lookup, and one request with its answer.
import type { Language } from '../models/consents.ts'
import type { dataRequests } from '../models/privacy.ts'
import type { visitorDataSummary } from '../models/data-requests.ts'
import type { SignedIn } from '../server/context.ts'
import { PrivacyShell, formatTime } from './privacy.tsx'
import { pick, type Texts } from './i18n.ts'

type RequestRow = typeof dataRequests.$inferSelect
type Summary = NonNullable<Awaited<ReturnType<typeof visitorDataSummary>>>

const text = {
  'zh-CN': {
    list: '请求列表',
    none: '暂无请求。',
    kind: '类型',
    access: '查阅',
    delete: '删除',
    via: '来源',
    self: '本人（/me）',
    officer: '电话或现场',
    status: '状态',
    open: '待处理',
    done: '已完成',
    rejected: '已拒绝',
    created: '提出时间',
    completed: '完成时间',
    lookup: '按手机号查找（电话或现场请求）',
    lookupNote: '号码只用于计算哈希并比对，不会被保存或写入日志。',
    phone: '手机号',
    find: '查找',
    noMatch: '没有与此号码匹配的访客。',
    visitor: '访客',
    firstSeen: '首次记录',
    recordAccess: '登记查阅请求',
    recordDelete: '登记删除请求',
    complete: '完成',
    completeDelete: '删除此人的数据并完成',
    reject: '拒绝',
    held: '我们持有的数据',
    visits: '来访',
    consents: '同意记录',
    sessions: '摄像头会话',
    gone: '此访客的数据已不存在。',
    view: '查看',
    reveal: '显示完整号码（会记录审计）',
    reason: '理由',
    revealed: '完整号码',
  },
  en: {
    list: 'Requests',
    none: 'No requests.',
    kind: 'Kind',
    access: 'access',
    delete: 'delete',
    via: 'Made',
    self: 'by the person (/me)',
    officer: 'by phone or in person',
    status: 'Status',
    open: 'open',
    done: 'done',
    rejected: 'rejected',
    created: 'Made at',
    completed: 'Completed',
    lookup: 'Find by phone number (requests by phone or in person)',
    lookupNote: 'The number is only hashed and compared; it is not stored or logged.',
    phone: 'Phone number',
    find: 'Find',
    noMatch: 'No visitor matches this number.',
    visitor: 'Visitor',
    firstSeen: 'First recorded',
    recordAccess: 'Record an access request',
    recordDelete: 'Record a deletion request',
    complete: 'Complete',
    completeDelete: 'Delete this person’s data and complete',
    reject: 'Reject',
    held: 'What we hold',
    visits: 'Visits',
    consents: 'Consent records',
    sessions: 'Camera sessions',
    gone: 'This visitor’s data no longer exists.',
    view: 'Open',
    reveal: 'Show the full number (audited)',
    reason: 'Reason',
    revealed: 'Full number',
  },
} satisfies Texts<Record<string, string>>

export type PhoneMatch = { id: string; phoneMasked: string | null; createdAt: number }

export function PhoneLookupResult({
  lang,
  csrfToken,
  matches,
}: {
  lang: Language
  csrfToken: string
  matches: PhoneMatch[] | null
}) {
  const t = pick(text, lang)
  if (!matches) return <div id="phone-lookup-result"></div>
  return (
    <div id="phone-lookup-result">
      {matches.length === 0 ? <p class="empty">{t.noMatch}</p> : null}
      {matches.map((m) => (
        <div class="match">
          <p>
            {t.visitor} {m.phoneMasked} · {t.firstSeen} {formatTime(m.createdAt)}
          </p>
          {(['access', 'delete'] as const).map((kind) => (
            <form method="post" action="/privacy/requests" class="inline">
              <input type="hidden" name="_csrf" value={csrfToken} />
              <input type="hidden" name="visitorId" value={m.id} />
              <input type="hidden" name="kind" value={kind} />
              <button type="submit">{kind === 'access' ? t.recordAccess : t.recordDelete}</button>
            </form>
          ))}
        </div>
      ))}
    </div>
  )
}

export function RequestsPage({
  lang,
  csrfToken,
  account,
  requests,
  matches,
}: {
  lang: Language
  csrfToken: string
  account: SignedIn
  requests: RequestRow[]
  matches: PhoneMatch[] | null
}) {
  const t = pick(text, lang)
  return (
    <PrivacyShell lang={lang} csrfToken={csrfToken} account={account} section="requests">
      <section class="card">
        <h2>{t.lookup}</h2>
        <form method="post" action="/privacy/requests/lookup" class="inline" autocomplete="off">
          <input type="hidden" name="_csrf" value={csrfToken} />
          <label>
            {t.phone} <input name="phone" type="tel" required maxlength={20} autocomplete="off" />
          </label>{' '}
          <button type="submit">{t.find}</button>
        </form>
        <p class="hint">{t.lookupNote}</p>
        <PhoneLookupResult lang={lang} csrfToken={csrfToken} matches={matches} />
      </section>
      <section class="card">
        <h2>{t.list}</h2>
        {requests.length === 0 ? (
          <p class="empty">{t.none}</p>
        ) : (
          <table id="request-list">
            <thead>
              <tr>
                <th>{t.created}</th>
                <th>{t.kind}</th>
                <th>{t.via}</th>
                <th>{t.status}</th>
                <th>{t.completed}</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              {requests.map((r) => (
                <tr>
                  <td>{formatTime(r.createdAt)}</td>
                  <td>{t[r.kind]}</td>
                  <td>{t[r.via]}</td>
                  <td class={`status-${r.status}`}>{t[r.status]}</td>
                  <td>{formatTime(r.completedAt)}</td>
                  <td>
                    <a href={`/privacy/requests/${r.id}`}>{t.view}</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </PrivacyShell>
  )
}

export function RequestPage({
  lang,
  csrfToken,
  account,
  request,
  summary,
  revealed = null,
}: {
  lang: Language
  csrfToken: string
  account: SignedIn
  request: RequestRow
  summary: Summary | null
  // the full number, only in the response to an audited reveal
  revealed?: string | null
}) {
  const t = pick(text, lang)
  return (
    <PrivacyShell lang={lang} csrfToken={csrfToken} account={account} section="requests">
      <section class="card" id="request-detail">
        <p>
          {t[request.kind]} · {t[request.via]} · {formatTime(request.createdAt)} ·{' '}
          <strong class={`status-${request.status}`}>{t[request.status]}</strong>
          {request.completedAt ? ` · ${formatTime(request.completedAt)}` : ''}
        </p>
        {request.status === 'open' ? (
          <div class="actions">
            <form method="post" action={`/privacy/requests/${request.id}/complete`} class="inline">
              <input type="hidden" name="_csrf" value={csrfToken} />
              <input type="hidden" name="outcome" value="done" />
              <button type="submit" class="primary" id="request-complete">
                {request.kind === 'delete' ? t.completeDelete : t.complete}
              </button>
            </form>
            <form method="post" action={`/privacy/requests/${request.id}/complete`} class="inline">
              <input type="hidden" name="_csrf" value={csrfToken} />
              <input type="hidden" name="outcome" value="rejected" />
              <button type="submit">{t.reject}</button>
            </form>
          </div>
        ) : null}
      </section>
      {request.kind === 'access' ? (
        <section class="card" id="request-data">
          <h2>{t.held}</h2>
          {summary ? (
            <dl>
              <dt>{t.visitor}</dt>
              <dd>
                {summary.visitor.phoneMasked ?? '—'} · {t.firstSeen} {formatTime(summary.visitor.createdAt)}
              </dd>
              {revealed ? (
                <>
                  <dt>{t.revealed}</dt>
                  <dd id="revealed-phone">{revealed}</dd>
                </>
              ) : null}
              <dt>{t.visits}</dt>
              <dd>{summary.visits.map((v) => `${v.day} ${v.channel}`).join(' · ') || '—'}</dd>
              <dt>{t.consents}</dt>
              <dd>
                {summary.consents
                  .map(
                    (c) =>
                      `${formatTime(c.grantedAt)}${c.withdrawnAt ? ` → ${formatTime(c.withdrawnAt)}` : ''}`,
                  )
                  .join(' · ') || '—'}
              </dd>
              <dt>{t.sessions}</dt>
              <dd>{summary.sessions.map((s) => `${Math.round(s.dwellMs / 1000)} s`).join(' · ') || '—'}</dd>
            </dl>
          ) : (
            <p class="empty">{t.gone}</p>
          )}
          {summary?.visitor.phoneMasked && !revealed ? (
            <form method="post" action={`/privacy/requests/${request.id}/reveal`} class="inline">
              <input type="hidden" name="_csrf" value={csrfToken} />
              <label>
                {t.reason} <input name="reason" required minlength={3} maxlength={200} />
              </label>{' '}
              <button type="submit" id="reveal-phone">
                {t.reveal}
              </button>
            </form>
          ) : null}
        </section>
      ) : null}
    </PrivacyShell>
  )
}
