// Dashboard charts drawn on the server as SVG: titled for screen readers, with the values as a table beside.
import type { Language } from '../models/consents.ts'
import type { DashboardSnapshot } from '../models/dashboard.ts'
import { pick } from './i18n.ts'
import { dashboardText, dashboardIds, type DashboardText } from './dashboard-text.ts'

const round1 = (n: number) => Math.round(n * 10) / 10

export function Charts({
  lang,
  snapshot,
  oob,
}: {
  lang: Language
  snapshot: DashboardSnapshot
  oob?: boolean
}) {
  const t = pick(dashboardText, lang)
  const { today, history, zones } = snapshot.charts
  const c = snapshot.counters
  const mix = [
    { label: t['walk-in'], value: c.walkIns },
    ...c.brokers.map((b) => ({ label: b.name, value: b.visits })),
  ].filter((row) => row.value > 0)
  return (
    <section
      id={dashboardIds.charts}
      class="card charts"
      aria-labelledby="charts-heading"
      {...(oob ? { 'hx-swap-oob': 'true' } : {})}
    >
      <h2 id="charts-heading">{t.charts}</h2>
      <HourlyChart t={t} today={today} average={history.perHour} weeks={history.weeks} />
      <BarChart
        id="chart-channels"
        title={t.channelMix}
        t={t}
        columns={[t.channel, t.visits]}
        rows={mix.map((m) => ({ label: m.label, values: [m.value] }))}
      />
      <BarChart
        id="chart-zones"
        title={t.zones}
        t={t}
        columns={[t.zones, t.sessions, t.avgDwell]}
        rows={zones.map((z) => ({
          label: z.zone,
          values: [z.sessions, z.sessions ? round1(z.dwellMs / z.sessions / 1000) : 0],
        }))}
      />
    </section>
  )
}

function HourlyChart({
  t,
  today,
  average,
  weeks,
}: {
  t: DashboardText
  today: number[]
  average: number[]
  weeks: number
}) {
  // show the office's working hours, widened to any hour that had arrivals
  const used = today.map((n, h) => (n || average[h] ? h : -1)).filter((h) => h >= 0)
  const from = Math.min(8, ...used)
  const to = Math.max(20, ...used)
  const hours = Array.from({ length: to - from + 1 }, (_, i) => from + i)
  const max = Math.max(1, ...hours.map((h) => Math.max(today[h]!, average[h]!)))
  const width = 640
  const height = 200
  const pad = 24
  const slot = (width - pad * 2) / hours.length
  const y = (n: number) => height - pad - (n / max) * (height - pad * 2)
  const title = `${t.hourly} (${weeks} ${t.weeks})`
  const summary = hours.map((h) => `${h}${t.hour}: ${today[h]} / ${round1(average[h]!)}`).join(', ')
  return (
    <figure class="chart" id="chart-hourly">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-labelledby="chart-hourly-title chart-hourly-desc"
      >
        <title id="chart-hourly-title">{title}</title>
        <desc id="chart-hourly-desc">{summary}</desc>
        <line x1={pad} x2={width - pad} y1={height - pad} y2={height - pad} class="axis" />
        {hours.map((h, i) => (
          <g>
            <rect
              class="bar-today"
              x={pad + i * slot + slot * 0.15}
              width={slot * 0.7}
              y={y(today[h]!)}
              height={height - pad - y(today[h]!)}
            >
              <title>{`${h}${t.hour} ${t.hourlyToday}: ${today[h]}`}</title>
            </rect>
            <line
              class="mark-average"
              x1={pad + i * slot + 2}
              x2={pad + (i + 1) * slot - 2}
              y1={y(average[h]!)}
              y2={y(average[h]!)}
            >
              <title>{`${h}${t.hour} ${t.hourlyAverage}: ${round1(average[h]!)}`}</title>
            </line>
            <text x={pad + i * slot + slot / 2} y={height - 6} class="tick">
              {String(h)}
            </text>
          </g>
        ))}
      </svg>
      <figcaption>
        {title} · <span class="key-today">■ {t.hourlyToday}</span>{' '}
        <span class="key-average">— {t.hourlyAverage}</span>
      </figcaption>
      <ValuesTable
        id="chart-hourly"
        t={t}
        caption={title}
        columns={[t.hour, t.hourlyToday, t.hourlyAverage]}
        rows={hours.map((h) => ({ label: `${h}:00`, values: [today[h]!, round1(average[h]!)] }))}
      />
    </figure>
  )
}

type Row = { label: string; values: number[] }

function BarChart({
  id,
  title,
  t,
  columns,
  rows,
}: {
  id: string
  title: string
  t: DashboardText
  columns: string[]
  rows: Row[]
}) {
  const rowHeight = 32
  // narrow viewBox: these charts sit in half a card, and their text must stay readable there
  const width = 400
  const labelWidth = 140
  const height = Math.max(1, rows.length) * rowHeight + 8
  const max = Math.max(1, ...rows.map((r) => r.values[0]!))
  return (
    <figure class="chart" id={id}>
      {rows.length === 0 ? (
        <p class="empty">
          {title}: {t.noData}
        </p>
      ) : (
        <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${id}-title`}>
          <title
            id={`${id}-title`}
          >{`${title}: ${rows.map((r) => `${r.label} ${r.values.join(' / ')}`).join(', ')}`}</title>
          {rows.map((r, i) => (
            <g>
              <text x={0} y={i * rowHeight + 22} class="label">
                {r.label}
              </text>
              <rect
                class="bar"
                x={labelWidth}
                y={i * rowHeight + 7}
                height={rowHeight - 12}
                width={((width - labelWidth - 48) * r.values[0]!) / max}
              />
              <text
                x={labelWidth + ((width - labelWidth - 48) * r.values[0]!) / max + 6}
                y={i * rowHeight + 22}
                class="value"
              >
                {String(r.values[0])}
              </text>
            </g>
          ))}
        </svg>
      )}
      {rows.length ? <figcaption>{title}</figcaption> : null}
      {rows.length ? <ValuesTable id={id} t={t} caption={title} columns={columns} rows={rows} /> : null}
    </figure>
  )
}

// the accessible alternative to every chart: the same numbers as a table, behind a native toggle
function ValuesTable({
  id,
  t,
  caption,
  columns,
  rows,
}: {
  id: string
  t: DashboardText
  caption: string
  columns: string[]
  rows: Row[]
}) {
  return (
    <details class="chart-values" id={`${id}-values`}>
      <summary>{t.showValues}</summary>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th scope="col">{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <th scope="row">{r.label}</th>
              {r.values.map((v) => (
                <td>{String(v)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  )
}
