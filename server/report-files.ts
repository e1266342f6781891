// Anonymous export files of a released report: CSV (UTF-8 with BOM, manifest comments) and JSON, both streamed.
import { bom, csvHead, csvRows } from './csv.ts'
import type { Language } from '../models/consents.ts'
import { formatMetric, type Released, type ReleasedCell } from '../models/anonymity.ts'
import type { ReportFilters, ReportManifest } from '../models/reports.ts'
import { pick } from '../views/i18n.ts'
import { reportText, metricLabel, columnLabel, periodLabel } from '../views/report-labels.ts'

export type ExportRecord = { period: string; column: string; cell: ReleasedCell }

// one record per table cell, then the totals: the same figures, in the same words, as the page shows
export function* exportRecords(released: Released, filters: ReportFilters, lang: Language) {
  const t = pick(reportText, lang)
  const split = filters.split !== 'none'
  const cols = released.cols.map((c) => columnLabel(c.label, lang))
  const whole = split ? t.total : columnLabel('all', lang)
  for (const row of released.rows) {
    const period = periodLabel(row.key, filters.group, lang)
    if (split) for (let i = 0; i < cols.length; i++) yield { period, column: cols[i]!, cell: row.cells[i]! }
    yield { period, column: whole, cell: row.total }
  }
  if (split)
    for (let i = 0; i < cols.length; i++)
      yield { period: t.total, column: cols[i]!, cell: released.colTotals[i]! }
  yield { period: t.total, column: whole, cell: released.grand } satisfies ExportRecord
}

export function exportRecordCount(released: Released, filters: ReportFilters): number {
  const perRow = filters.split === 'none' ? 1 : released.cols.length + 1
  return (released.rows.length + 1) * perRow
}

export function exportFileName(manifest: ReportManifest, extension: 'csv' | 'json'): string {
  return `showroom-stats_${manifest.from}_${manifest.to}.${extension}`
}

function manifestLines(manifest: ReportManifest): string[] {
  return [
    '# Showroom anonymous statistics / 匿名统计 (aggregates only; no personal data)',
    `# office: ${manifest.office}`,
    `# period: ${manifest.from} to ${manifest.to}`,
    `# group: ${manifest.group}; split: ${manifest.split}; channel: ${manifest.channel ?? 'all'}`,
    `# k: ${manifest.k} (cells with fewer than ${manifest.k} people shown as <${manifest.k}; some others hidden so they cannot be derived from totals)`,
    `# epsilon: ${manifest.epsilon === null ? 'none (exact counts)' : `${manifest.epsilon} (Laplace noise added to every count)`}`,
    `# generated: ${manifest.generatedAt}`,
  ]
}

const batchSize = 500

// pulls records in batches only as fast as the client reads: memory stays flat however long the period
function pullStream(first: string, next: () => string | null, last = ''): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  let started = false
  let done = false
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (!started) {
        started = true
        controller.enqueue(encoder.encode(first))
        return
      }
      const chunk = done ? null : next()
      if (chunk === null) {
        if (!done && last) controller.enqueue(encoder.encode(last))
        done = true
        controller.close()
        return
      }
      controller.enqueue(encoder.encode(chunk))
    },
  })
}

export function csvStream(
  released: Released,
  manifest: ReportManifest,
  filters: ReportFilters,
  lang: Language,
): ReadableStream<Uint8Array> {
  const t = pick(reportText, lang)
  const header = [t.period, t[`split.${filters.split}`], ...released.metrics.map((m) => metricLabel(m, lang))]
  const records = exportRecords(released, filters, lang)
  const first = bom + csvHead({ comments: manifestLines(manifest), header })
  return pullStream(first, () => {
    const rows: string[][] = []
    for (let n = records.next(); !n.done; n = records.next()) {
      const { period, column, cell } = n.value
      rows.push([period, column, ...released.metrics.map((m) => formatMetric(cell, m, released.k))])
      if (rows.length === batchSize) break
    }
    return rows.length ? csvRows(rows) : null
  })
}

export function jsonStream(
  released: Released,
  manifest: ReportManifest,
  filters: ReportFilters,
  lang: Language,
): ReadableStream<Uint8Array> {
  const records = exportRecords(released, filters, lang)
  const head = JSON.stringify({ manifest, metrics: released.metrics }).slice(0, -1)
  let count = 0
  return pullStream(
    `${head},"records":[\n`,
    () => {
      const parts: string[] = []
      for (let n = records.next(); !n.done; n = records.next()) {
        const { period, column, cell } = n.value
        const record = cell.suppressed
          ? { period, column, suppressed: true, shownAs: `<${released.k}` }
          : {
              period,
              column,
              suppressed: false,
              values: Object.fromEntries(
                Object.entries(cell.values).map(([m, v]) => [m, v === 'hidden' ? `<${released.k}` : v]),
              ),
            }
        parts.push((count++ ? ',\n' : '') + JSON.stringify(record))
        if (parts.length === batchSize) break
      }
      return parts.length ? parts.join('') : null
    },
    '\n]}\n',
  )
}
