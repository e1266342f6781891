// 客户归属 pages: conflicts (撞单) and their decision, per-consultant figures, and a consultant's own view.
import type { Language } from '../models/consents.ts'
import type { SignedIn } from '../server/context.ts'
import type { EvidenceItem } from '../models/appeals.ts'
import type { ConsultantFigures } from '../models/consultant-figures.ts'
import type { listConflicts } from '../models/ownership-queries.ts'
import { conflictDecisions } from '../models/ownership.ts'
import { Layout } from './layout.tsx'
import { ErrorList } from './errors.tsx'
import { pick } from './i18n.ts'
import { ownershipText as text } from './ownership-text.ts'
import { formatTime } from './attribution-text.ts'
import { clockTime } from './dashboard-text.ts'
import { EvidenceTimeline, PeriodFilter, RulesNav } from './rules.tsx'

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
      <PeriodFilter
        lang={lang}
        action="/rules/consultants"
        from={from}
        to={to}
        csvId="consultants-csv"
        csvLabel={t.csv}
      />
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
