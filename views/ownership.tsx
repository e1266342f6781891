// 客户归属 pages: conflicts (撞单) and their decision, per-consultant figures, and a consultant's own view.
import type { Language } from '../models/consents.ts'
import type { SignedIn } from '../server/context.ts'
import type { EvidenceItem } from '../models/appeals.ts'
import type { ConsultantFigures } from '../models/consultant-figures.ts'
import type { listConflicts } from '../models/ownership-queries.ts'
import { conflictDecisions } from '../models/ownership.ts'
import { Layout } from './layout.tsx'
import { ErrorList } from './errors.tsx'
import { pick, type Texts } from './i18n.ts'
import { formatTime } from './attribution-text.ts'
import { clockTime } from './dashboard-text.ts'
import { EvidenceTimeline, RulesNav } from './rules.tsx'

const text = {
  'zh-CN': {
    conflicts: '撞单',
    noConflicts: '暂无撞单。',
    at: '到访时间',
    owner: '归属顾问',
    servedBy: '接待顾问',
    status: '状态',
    open: '待处理',
    keep: '维持归属',
    transfer: '转移归属',
    split: '双方分享',
    evidence: '证据时间线（到访日期与接待顾问，不含任何生物特征或客户身份信息）',
    decide: '作出决定（仅一次）',
    reason: '决定理由',
    final: '决定为终审，双方顾问可见，并记入审计日志。',
    figures: '顾问业绩',
    from: '开始',
    to: '结束',
    show: '查看',
    csv: '导出 CSV（小样本隐藏）',
    consultant: '顾问',
    served: '接待',
    firstVisits: '首访',
    returns: '复访',
    credited: '计入业绩',
    secondVisit: '首访转复访',
    none: '此期间没有接待记录。',
    mine: '我的客户',
    servedToday: '今天我接待的访客',
    returningToday: '今天到访的我的老客户',
    myConflicts: '与我有关的撞单',
    owned: '当前归属我的客户数',
    nobody: '暂无。',
    first: '首访',
    return: '复访',
    'status.waiting': '等待中',
    'status.with-consultant': '接待中',
    'status.left': '已离开',
    details: '详情',
  },
  en: {
    conflicts: 'Conflicts (撞单)',
    noConflicts: 'No conflicts.',
    at: 'Visit',
    owner: 'Owner',
    servedBy: 'Served by',
    status: 'Status',
    open: 'Open',
    keep: 'Keep with the owner',
    transfer: 'Transfer ownership',
    split: 'Split',
    evidence:
      'Evidence timeline (visit dates and who served; nothing biometric, nothing identifying the client)',
    decide: 'Decide (once)',
    reason: 'Reason',
    final: 'The decision is final, visible to both consultants, and in the audit log.',
    figures: 'Consultant figures',
    from: 'From',
    to: 'To',
    show: 'Show',
    csv: 'Export CSV (small cells hidden)',
    consultant: 'Consultant',
    served: 'Served',
    firstVisits: 'First visits',
    returns: 'Returns',
    credited: 'Credited',
    secondVisit: 'First → second visit',
    none: 'Nobody was served in this period.',
    mine: 'My clients',
    servedToday: 'Visitors I served today',
    returningToday: 'My returning clients today',
    myConflicts: 'Conflicts involving me',
    owned: 'Clients owned by me now',
    nobody: 'None.',
    first: 'First visit',
    return: 'Return',
    'status.waiting': 'Waiting',
    'status.with-consultant': 'With consultant',
    'status.left': 'Left',
    details: 'Details',
  },
} satisfies Texts<Record<string, string>>

type Base = { lang: Language; csrfToken: string; account: SignedIn }
type ConflictRow = Awaited<ReturnType<typeof listConflicts>>[number]

function ConflictTable({
  lang,
  rows,
  timeZone,
  link,
}: {
  lang: Language
  rows: ConflictRow[]
  timeZone: string
  link: boolean
}) {
  const t = pick(text, lang)
  if (rows.length === 0) return <p class="empty">{t.noConflicts}</p>
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th>{t.at}</th>
            <th>{t.owner}</th>
            <th>{t.servedBy}</th>
            <th>{t.status}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr data-conflict={r.conflict.id} data-decision={r.conflict.decision ?? 'open'}>
              <td>
                {link ? (
                  <a href={`/rules/conflicts/${r.conflict.id}`}>
                    {formatTime(lang, r.checkedInAt, timeZone)}
                  </a>
                ) : (
                  formatTime(lang, r.checkedInAt, timeZone)
                )}
              </td>
              <td>{r.ownerName}</td>
              <td>{r.servedByName}</td>
              <td>{r.conflict.decision ? t[r.conflict.decision] : t.open}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

export function ConflictsPage({
  lang,
  csrfToken,
  account,
  rows,
  timeZone,
}: Base & { rows: ConflictRow[]; timeZone: string }) {
  const t = pick(text, lang)
  return (
    <Layout lang={lang} title={t.conflicts} csrfToken={csrfToken} account={account}>
      <h1>{t.conflicts}</h1>
      <RulesNav lang={lang} />
      <section class="card" id="conflict-list">
        <ConflictTable lang={lang} rows={rows} timeZone={timeZone} link />
      </section>
    </Layout>
  )
}

export function ConflictPage({
  lang,
  csrfToken,
  account,
  row,
  evidence,
  timeZone,
  error,
}: Base & { row: ConflictRow; evidence: EvidenceItem[]; timeZone: string; error?: string[] }) {
  const t = pick(text, lang)
  const { conflict } = row
  return (
    <Layout lang={lang} title={t.conflicts} csrfToken={csrfToken} account={account}>
      <h1>
        {t.conflicts} · {row.ownerName} / {row.servedByName}
      </h1>
      <RulesNav lang={lang} />
      <section class="card" id="conflict" data-decision={conflict.decision ?? 'open'}>
        <p>
          <strong>{t.owner}:</strong> {row.ownerName} · <strong>{t.servedBy}:</strong> {row.servedByName} ·{' '}
          {formatTime(lang, row.checkedInAt, timeZone)}
        </p>
        <h2>{t.evidence}</h2>
        <EvidenceTimeline lang={lang} evidence={evidence} timeZone={timeZone} />
      </section>
      {conflict.decision ? (
        <section class="card">
          <p>
            <strong>{t[conflict.decision]}</strong>: {conflict.decisionReason}
          </p>
        </section>
      ) : (
        <section class="card">
          <h2>{t.decide}</h2>
          <ErrorList errors={error} />
          <form
            method="post"
            action={`/rules/conflicts/${conflict.id}/decide`}
            class="stack"
            id="conflict-form"
          >
            <input type="hidden" name="_csrf" value={csrfToken} />
            <label>
              {t.reason}
              <textarea name="reason" required minlength={4} maxlength={1000}></textarea>
            </label>
            <p class="muted">{t.final}</p>
            <div class="choices">
              {conflictDecisions.map((d) => (
                <button type="submit" name="decision" value={d} class="choice" id={`decide-${d}`}>
                  {t[d]}
                </button>
              ))}
            </div>
          </form>
        </section>
      )}
    </Layout>
  )
}

export function ConsultantsPage({
  lang,
  csrfToken,
  account,
  figures,
  from,
  to,
}: Base & { figures: ConsultantFigures[]; from: string; to: string }) {
  const t = pick(text, lang)
  const share = (f: ConsultantFigures) =>
    f.firstVisits ? `${Math.round((f.secondVisits / f.firstVisits) * 100)}%` : '—'
  return (
    <Layout lang={lang} title={t.figures} csrfToken={csrfToken} account={account}>
      <h1>{t.figures}</h1>
      <RulesNav lang={lang} />
      <form method="get" action="/rules/consultants" class="filters">
        <label>
          {t.from}
          <input type="date" name="from" value={from} />
        </label>
        <label>
          {t.to}
          <input type="date" name="to" value={to} />
        </label>
        <button type="submit">{t.show}</button>
        <a class="button" href={`/rules/consultants.csv?from=${from}&to=${to}`} id="consultants-csv">
          {t.csv}
        </a>
      </form>
      <section class="card" id="consultant-figures">
        {figures.length === 0 ? (
          <p class="empty">{t.none}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{t.consultant}</th>
                  <th>{t.served}</th>
                  <th>{t.firstVisits}</th>
                  <th>{t.returns}</th>
                  <th>{t.credited}</th>
                  <th>{t.secondVisit}</th>
                </tr>
              </thead>
              <tbody>
                {figures.map((f) => (
                  <tr data-consultant={f.consultantId}>
                    <td>{f.name}</td>
                    <td data-served>{f.served}</td>
                    <td>{f.firstVisits}</td>
                    <td>{f.returns}</td>
                    <td data-credited>{f.credited}</td>
                    <td>{share(f)}</td>
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

type MyVisit = {
  id: string
  checkedInAt: number
  status: 'waiting' | 'with-consultant' | 'left'
  firstVisit: boolean
}

function VisitLines({
  lang,
  visits,
  timeZone,
  id,
}: {
  lang: Language
  visits: MyVisit[]
  timeZone: string
  id: string
}) {
  const t = pick(text, lang)
  if (visits.length === 0) return <p class="empty">{t.nobody}</p>
  return (
    <ul id={id}>
      {visits.map((v) => (
        <li data-visit={v.id}>
          <a href={`/visits/${v.id}`}>{clockTime(v.checkedInAt, timeZone)}</a> ·{' '}
          {v.firstVisit ? t.first : t.return} · {t[`status.${v.status}`]}
        </li>
      ))}
    </ul>
  )
}

// what a consultant needs on the floor: today's own visitors, returning own clients, own conflicts
export function MinePage({
  lang,
  csrfToken,
  account,
  day,
  timeZone,
  ownedCount,
}: Base & {
  day: { served: MyVisit[]; returning: MyVisit[]; conflicts: ConflictRow[] }
  timeZone: string
  ownedCount: number
}) {
  const t = pick(text, lang)
  return (
    <Layout lang={lang} title={t.mine} csrfToken={csrfToken} account={account}>
      <h1>{t.mine}</h1>
      <p>
        {t.owned}: <strong id="owned-count">{ownedCount}</strong>
      </p>
      <section class="card">
        <h2>{t.returningToday}</h2>
        <VisitLines lang={lang} visits={day.returning} timeZone={timeZone} id="my-returning" />
      </section>
      <section class="card">
        <h2>{t.servedToday}</h2>
        <VisitLines lang={lang} visits={day.served} timeZone={timeZone} id="my-served" />
      </section>
      <section class="card" id="my-conflicts">
        <h2>{t.myConflicts}</h2>
        <ConflictTable lang={lang} rows={day.conflicts} timeZone={timeZone} link={false} />
      </section>
    </Layout>
  )
}
