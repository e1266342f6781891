// The audit log: filter by actor, action and date, and export the filtered rows for an inspector.
import type { Language } from '../models/consents.ts'
import type { searchAudit } from '../models/privacy-reports.ts'
import type { SignedIn } from '../server/context.ts'
import { PrivacyShell, formatTime } from './privacy.tsx'
import { pick, type Texts } from './i18n.ts'

type AuditRow = Awaited<ReturnType<typeof searchAudit>>[number]
export type AuditQuery = { actor: string; action: string; from: string; to: string }

const text = {
  'zh-CN': {
    intro: '只可追加：没有任何修改或删除审计记录的途径；仅保存期限到期后由自动清除删除。',
    actor: '操作人（用户名或编号）',
    action: '操作（前缀）',
    from: '起始日期',
    to: '截止日期（含）',
    filter: '筛选',
    export: '导出 CSV（供监管检查，导出本身会被记录）',
    at: '时间',
    target: '对象',
    detail: '详情',
    none: '没有符合条件的记录。',
    shown: '显示最近的记录，最多 500 条；导出包含全部符合条件的记录。',
  },
  en: {
    intro:
      'Append-only: there is no way to change or delete an audit row; only the retention purge removes rows past their period.',
    actor: 'Actor (username or id)',
    action: 'Action (prefix)',
    from: 'From',
    to: 'To (inclusive)',
    filter: 'Filter',
    export: 'Export CSV (for an inspector; the export itself is logged)',
    at: 'Time',
    target: 'Target',
    detail: 'Detail',
    none: 'No rows match.',
    shown: 'Newest rows shown, at most 500; the export holds every matching row.',
  },
} satisfies Texts<Record<string, string>>

export function AuditPage({
  lang,
  csrfToken,
  account,
  query,
  rows,
}: {
  lang: Language
  csrfToken: string
  account: SignedIn
  query: AuditQuery
  rows: AuditRow[]
}) {
  const t = pick(text, lang)
  const params = new URLSearchParams(Object.entries(query).filter(([, v]) => v)).toString()
  return (
    <PrivacyShell lang={lang} csrfToken={csrfToken} account={account} section="audit">
      <p>{t.intro}</p>
      <form method="get" action="/privacy/audit" class="card audit-filters">
        <label>
          {t.actor} <input name="actor" value={query.actor} maxlength={64} />
        </label>
        <label>
          {t.action} <input name="action" value={query.action} maxlength={64} />
        </label>
        <label>
          {t.from} <input type="date" name="from" value={query.from} />
        </label>
        <label>
          {t.to} <input type="date" name="to" value={query.to} />
        </label>
        <button type="submit">{t.filter}</button>
        <a href={`/privacy/audit/export.csv${params ? `?${params}` : ''}`} id="audit-export" download>
          {t.export}
        </a>
      </form>
      <section class="card">
        <p class="hint">{t.shown}</p>
        {rows.length === 0 ? (
          <p class="empty">{t.none}</p>
        ) : (
          <div class="table-wrap">
            <table id="audit-rows">
              <thead>
                <tr>
                  <th>{t.at}</th>
                  <th>{t.actor}</th>
                  <th>{t.action}</th>
                  <th>{t.target}</th>
                  <th>{t.detail}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr>
                    <td>{formatTime(r.at)}</td>
                    <td>
                      {r.actorType}
                      {r.actorName ? `:${r.actorName}` : r.actorId ? `:${r.actorId}` : ''}
                    </td>
                    <td>{r.action}</td>
                    <td>{r.target ?? ''}</td>
                    <td>
                      <code>{r.detail === '{}' ? '' : r.detail}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </PrivacyShell>
  )
}
