// The developer report page (admin): per office of the developer, visits by channel and sibling-office arrivals.
import type { Language } from '../models/consents.ts'
import type { SignedIn } from '../server/context.ts'
import type { ReportFilters } from '../models/reports.ts'
import { datePresets } from '../models/report-period.ts'
import {
  developerMetrics,
  type DeveloperMetric,
  type DeveloperReport,
  type DeveloperRow,
  type Figure,
} from '../models/developer-report.ts'
import { Layout } from './layout.tsx'
import { pick, type Texts } from './i18n.ts'
import { reportText } from './report-labels.ts'

export const developerReportIds = { table: 'developer-report' } as const

export const developerReportText = {
  'zh-CN': {
    title: '跨案场报表',
    intro:
      '同一开发商旗下各案场的匿名汇总：来访、首访、自然来访与渠道来访，以及持其他案场报备到访的客户数。人数少于 {k} 的格子显示为 <{k}，不显示任何个人。',
    developer: '开发商',
    office: '案场',
    total: '全部案场',
    visits: '来访',
    firstVisits: '首访',
    walkIn: '自然来访',
    broker: '渠道来访',
    crossOffice: '持他案场报备到访',
    apply: '查看',
    csv: '导出 CSV',
    back: '返回管理',
    noDeveloper: '本案场不属于任何开发商。',
  },
  en: {
    title: 'Cross-office report',
    intro:
      'Anonymous totals for each office of the developer: visits, first visits, walk-ins and broker visits, and arrivals on a registration made at another office of the developer. Cells of fewer than {k} people read <{k}; nobody is shown.',
    developer: 'Developer',
    office: 'Office',
    total: 'All offices',
    visits: 'Visits',
    firstVisits: 'First visits',
    walkIn: 'Walk-in',
    broker: 'Broker',
    crossOffice: 'Arrived on another office’s registration',
    apply: 'Show',
    csv: 'Export CSV',
    back: 'Back to admin',
    noDeveloper: 'This office belongs to no developer.',
  },
} satisfies Texts<Record<string, string>>

export function developerMetricLabel(metric: DeveloperMetric, lang: Language): string {
  return pick(developerReportText, lang)[metric]
}

export function rowLabel(row: DeveloperRow, lang: Language): string {
  if (!row.officeId) return pick(developerReportText, lang).total
  return lang === 'en' ? row.nameEn || row.name : row.name
}

export function figureText(figure: Figure, k: number): string {
  return figure === 'hidden' ? `<${k}` : String(figure)
}

export function DeveloperReportPage({
  lang,
  csrfToken,
  account,
  filters,
  report,
  query,
}: {
  lang: Language
  csrfToken: string
  account: SignedIn
  filters: ReportFilters
  report: DeveloperReport
  query: string
}) {
  const t = pick(developerReportText, lang)
  const r = pick(reportText, lang) as Record<string, string>
  const developer = lang === 'en' ? report.developer.nameEn || report.developer.name : report.developer.name
  return (
    <Layout lang={lang} title={t.title} csrfToken={csrfToken} account={account} bodyClass="console">
      <p>
        <a href="/admin">← {t.back}</a>
      </p>
      <h1>
        {t.title} · {developer}
      </h1>
      <p>{t.intro.replaceAll('{k}', String(report.k))}</p>
      <form class="card report-filters" method="get" action="/admin/developer-report">
        <label>
          {r.preset}
          <select name="preset">
            {datePresets.map((v) => (
              <option value={v} selected={v === filters.preset}>
                {r[`preset.${v}`]}
              </option>
            ))}
          </select>
        </label>
        <fieldset class="report-dates">
          <label>
            {r.from}
            <input type="date" name="from" value={filters.from} />
          </label>
          <label>
            {r.to}
            <input type="date" name="to" value={filters.to} />
          </label>
        </fieldset>
        <button type="submit" class="primary">
          {t.apply}
        </button>
      </form>
      <DeveloperReportTable lang={lang} report={report} />
      <p>
        <a href={`/admin/developer-report.csv?${query}`} id="developer-report-csv" download>
          {t.csv}
        </a>
      </p>
    </Layout>
  )
}

export function DeveloperReportTable({ lang, report }: { lang: Language; report: DeveloperReport }) {
  const t = pick(developerReportText, lang)
  return (
    <section class="card" id={developerReportIds.table}>
      <p class="muted">
        {report.from} – {report.to}
      </p>
      <div class="table-wrap">
        <table class="report-table">
          <thead>
            <tr>
              <th scope="col">{t.office}</th>
              {developerMetrics.map((m) => (
                <th scope="col">{t[m]}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {report.rows.map((row) => (
              <tr data-office={row.officeId ?? 'total'} class={row.officeId ? undefined : 'total'}>
                <th scope="row">{rowLabel(row, lang)}</th>
                {developerMetrics.map((m) => (
                  <td data-metric={m}>{figureText(row.figures[m], report.k)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}
