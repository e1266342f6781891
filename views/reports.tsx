// The marketing reports page: filters (kept in the URL), anonymous results (table + SVG charts), export links.
import type { Language } from '../models/consents.ts'
import type { SignedIn } from '../server/context.ts'
import type { ReportFilters, ReportManifest } from '../models/reports.ts'
import { reportGroups, reportSplits } from '../models/reports.ts'
import { datePresets } from '../models/report-period.ts'
import { formatMetric, type MetricValue, type Released, type ReleasedCell } from '../models/anonymity.ts'
import { Layout } from './layout.tsx'
import { pick } from './i18n.ts'
import { reportText, metricLabel, columnLabel, periodLabel, fill } from './report-labels.ts'
import { PeriodChart, GroupChart, type Bar } from './report-charts.tsx'

export const reportIds = {
  filters: 'report-filters',
  dates: 'report-dates',
  results: 'report-results',
  table: 'report-table',
} as const

export type ReportView = {
  lang: Language
  filters: ReportFilters
  released: Released
  manifest: ReportManifest
  // the filters as a query string, for export links
  query: string
}

export function ReportsPage(
  props: ReportView & { csrfToken: string; account: SignedIn; channels: { key: string; label: string }[] },
) {
  const t = pick(reportText, props.lang)
  return (
    <Layout
      lang={props.lang}
      title={t.title}
      csrfToken={props.csrfToken}
      account={props.account}
      scripts={['/assets/reports.js']}
    >
      <h1>{t.title}</h1>
      <ReportFiltersForm lang={props.lang} filters={props.filters} channels={props.channels} />
      <ReportResults {...props} />
    </Layout>
  )
}

// GET form: works without script; with htmx a change swaps only the results and pushes the URL
function ReportFiltersForm({
  lang,
  filters,
  channels,
}: {
  lang: Language
  filters: ReportFilters
  channels: { key: string; label: string }[]
}) {
  const t = pick(reportText, lang) as Record<string, string>
  const select = (name: string, values: readonly string[], current: string) => (
    <label>
      {t[name]}
      <select name={name}>
        {values.map((v) => (
          <option value={v} selected={v === current}>
            {t[`${name}.${v}`]}
          </option>
        ))}
      </select>
    </label>
  )
  return (
    <form
      id={reportIds.filters}
      class="card report-filters"
      method="get"
      action="/reports"
      hx-get="/reports"
      hx-target={`#${reportIds.results}`}
      hx-swap="outerHTML"
      hx-push-url="true"
      hx-trigger="change, submit"
      aria-label={t.filters}
    >
      {select('preset', datePresets, filters.preset)}
      <ReportDates lang={lang} filters={filters} />
      {select('group', reportGroups, filters.group)}
      {select('split', reportSplits, filters.split)}
      <label>
        {t.channel}
        <select name="channel">
          <option value="">{t.allChannels}</option>
          {channels.map((c) => (
            <option value={c.key} selected={c.key === filters.channel}>
              {columnLabel(c.label, lang)}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" class="primary">
        {t.apply}
      </button>
    </form>
  )
}

// the resolved days of the chosen preset; swapped out-of-band so the inputs always show the period in effect
export function ReportDates({
  lang,
  filters,
  oob,
}: {
  lang: Language
  filters: ReportFilters
  oob?: boolean
}) {
  const t = pick(reportText, lang)
  return (
    <fieldset id={reportIds.dates} class="report-dates" hx-swap-oob={oob ? 'true' : undefined}>
      <label>
        {t.from}
        <input type="date" name="from" value={filters.from} />
      </label>
      <label>
        {t.to}
        <input type="date" name="to" value={filters.to} />
      </label>
    </fieldset>
  )
}

function cellText(cell: ReleasedCell, metric: string, k: number) {
  return formatMetric(cell, metric as never, k)
}

function bar(label: string, cell: ReleasedCell, metric: string, k: number): Bar {
  const raw = cell.suppressed ? null : (cell.values as Record<string, MetricValue | undefined>)[metric]
  const value = typeof raw === 'number' ? raw : raw === null || raw === 'hidden' ? null : 0
  return { label, value, text: cellText(cell, metric, k) }
}

export function ReportResults({ lang, filters, released, manifest, query }: ReportView) {
  const t = pick(reportText, lang)
  const { k, metrics } = released
  const primary = metrics[0]
  const split = filters.split !== 'none'
  const periodName = (key: string) => periodLabel(key, filters.group, lang)
  const colName = (label: string) => columnLabel(label, lang)
  return (
    <section id={reportIds.results} aria-live="polite" aria-busy="false">
      <p class="muted report-period">
        {t.periodShown}: <strong>{`${manifest.from} – ${manifest.to}`}</strong>
      </p>
      <p class="note">{fill(t.suppressedNote, { k })}</p>

      <section class="card" aria-labelledby="report-summary-heading">
        <h2 id="report-summary-heading">{t.summary}</h2>
        <dl class="report-summary">
          {metrics.map((metric) => (
            <div>
              <dt>{metricLabel(metric, lang)}</dt>
              <dd data-metric={metric}>{cellText(released.grand, metric, k)}</dd>
            </div>
          ))}
        </dl>
      </section>

      <section class="card" aria-labelledby="report-chart-heading">
        <h2 id="report-chart-heading">{t.chart}</h2>
        <PeriodChart
          id="report-period-chart"
          title={`${metricLabel(primary, lang)} · ${t.period}`}
          desc={released.rows.map((r) => `${periodName(r.key)}: ${cellText(r.total, primary, k)}`).join('; ')}
          bars={released.rows.map((r) => bar(periodName(r.key), r.total, primary, k))}
        />
        {split ? (
          <GroupChart
            id="report-group-chart"
            title={`${metricLabel(primary, lang)} · ${pick(reportText, lang)[`split.${filters.split}`]}`}
            desc={released.cols
              .map((c, i) => `${colName(c.label)}: ${cellText(released.colTotals[i]!, primary, k)}`)
              .join('; ')}
            bars={released.cols.map((c, i) => bar(colName(c.label), released.colTotals[i]!, primary, k))}
          />
        ) : null}
      </section>

      {split ? (
        <section class="card" aria-labelledby="report-crosstab-heading">
          <h2 id="report-crosstab-heading">{`${t.crossTab}: ${metricLabel(primary, lang)}`}</h2>
          <div class="table-scroll">
            <table id={reportIds.table} class="report-table" data-metric={primary}>
              <thead>
                <tr>
                  <th scope="col">{t.period}</th>
                  {released.cols.map((c) => (
                    <th scope="col">{colName(c.label)}</th>
                  ))}
                  <th scope="col">{t.total}</th>
                </tr>
              </thead>
              <tbody>
                {released.rows.map((row) => (
                  <tr>
                    <th scope="row">{periodName(row.key)}</th>
                    {row.cells.map((cell) => (
                      <td class={cell.suppressed ? 'suppressed' : undefined}>{cellText(cell, primary, k)}</td>
                    ))}
                    <td class={row.total.suppressed ? 'suppressed total' : 'total'}>
                      {cellText(row.total, primary, k)}
                    </td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{t.total}</th>
                  {released.colTotals.map((cell) => (
                    <td class={cell.suppressed ? 'suppressed' : undefined}>{cellText(cell, primary, k)}</td>
                  ))}
                  <td class="total">{cellText(released.grand, primary, k)}</td>
                </tr>
              </tfoot>
            </table>
          </div>
        </section>
      ) : null}

      <MetricsTable
        id={split ? 'report-by-period' : reportIds.table}
        heading={t.byPeriod}
        first={t.period}
        lang={lang}
        released={released}
        rows={[
          ...released.rows.map((r) => ({ label: periodName(r.key), cell: r.total })),
          { label: t.total, cell: released.grand },
        ]}
      />
      {split ? (
        <MetricsTable
          id="report-by-column"
          heading={t.byColumn}
          first={t[`split.${filters.split}`]}
          lang={lang}
          released={released}
          rows={[
            ...released.cols.map((c, i) => ({ label: colName(c.label), cell: released.colTotals[i]! })),
            { label: t.total, cell: released.grand },
          ]}
        />
      ) : null}

      <form
        class="card report-export"
        method="get"
        action="/exports/stats.csv"
        aria-labelledby="report-export-heading"
      >
        <h2 id="report-export-heading">{t.exports}</h2>
        {[...new URLSearchParams(query)].map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <label>
          {t.epsilon}
          <input type="number" name="epsilon" min="0.01" max="10" step="0.01" inputmode="decimal" />
        </label>
        <p class="actions">
          <a id="export-csv" class="button primary" href={`/exports/stats.csv?${query}`} download>
            {t.csv}
          </a>{' '}
          <a id="export-json" class="button" href={`/exports/stats.json?${query}`} download>
            {t.json}
          </a>{' '}
          <button type="submit">{`${t.csv} (ε)`}</button>{' '}
          <button type="submit" formaction="/exports/stats.json">{`${t.json} (ε)`}</button>
        </p>
      </form>
    </section>
  )
}

function MetricsTable({
  id,
  heading,
  first,
  lang,
  released,
  rows,
}: {
  id: string
  heading: string
  first: string
  lang: Language
  released: Released
  rows: { label: string; cell: ReleasedCell }[]
}) {
  return (
    <section class="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{heading}</h2>
      <div class="table-scroll">
        <table id={id} class="report-table" data-metric={released.metrics[0]}>
          <thead>
            <tr>
              <th scope="col">{first}</th>
              {released.metrics.map((m) => (
                <th scope="col">{metricLabel(m, lang)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr>
                <th scope="row">{row.label}</th>
                {released.metrics.map((m) => (
                  <td class={row.cell.suppressed ? 'suppressed' : undefined}>
                    {formatMetric(row.cell, m, released.k)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}
