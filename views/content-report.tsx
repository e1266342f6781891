// Marketing's Content page: per item and display over a period, plays and what held consenting viewers' attention.
import type { Language } from '../models/consents.ts'
import type { ContentCell, ContentReport } from '../models/content-report.ts'
import type { SignedIn } from '../server/context.ts'
import { Layout } from './layout.tsx'
import { pick, type Texts } from './i18n.ts'
import { PeriodChart } from './report-charts.tsx'
import { contentText } from './content.tsx'

export const contentReportText = {
  'zh-CN': {
    title: '内容效果',
    intro:
      '播放次数与在屏时长来自屏幕的播放记录；观看数据只来自单独同意了摄像头分析的访客（仅数字），少于 k 人的格子不显示。',
    from: '开始日期',
    to: '结束日期',
    show: '查看',
    item: '内容',
    kind: '类型',
    station: '屏幕',
    all: '全部屏幕',
    plays: '播放次数',
    onScreenS: '在屏时长（秒）',
    viewers: '同意的观看者',
    watchers1s: '注视 ≥1 秒',
    watchers2s: '注视 ≥2 秒',
    attentionS: '注视时长（秒）',
    attractionPct: '吸引率 %',
    chartTitle: '各内容的注视时长（秒）',
    chartDesc: '每个内容在所有屏幕上的注视时长合计；被隐藏的格子显示为空缺。',
    total: '合计',
    empty: '这段时间没有播放记录。',
    exportCsv: '导出 CSV',
    exportJson: '导出 JSON',
    back: '返回内容库',
  },
  en: {
    title: 'Content performance',
    intro:
      'Plays and on-screen time come from the screens’ proof of play; viewing figures only from visitors who separately consented to camera analytics (numbers only), and cells with fewer than k people are not shown.',
    from: 'From',
    to: 'To',
    show: 'Show',
    item: 'Item',
    kind: 'Kind',
    station: 'Display',
    all: 'All displays',
    plays: 'Plays',
    onScreenS: 'On screen (s)',
    viewers: 'Consenting viewers',
    watchers1s: 'Watchers ≥1 s',
    watchers2s: 'Watchers ≥2 s',
    attentionS: 'Attention (s)',
    attractionPct: 'Attraction %',
    chartTitle: 'Attention per item (s)',
    chartDesc: 'Attention seconds per item over all displays; hidden cells are drawn as gaps.',
    total: 'Total',
    empty: 'No plays in this period.',
    exportCsv: 'Export CSV',
    exportJson: 'Export JSON',
    back: 'Back to the library',
  },
} satisfies Texts<Record<string, string>>

export const contentColumns = [
  'plays',
  'onScreenS',
  'viewers',
  'watchers1s',
  'watchers2s',
  'attentionS',
  'attractionPct',
] as const

// one released figure as text: viewer figures of a hidden cell are `<k`; plays and time are always shown
export function contentFigure(cell: ContentCell, column: (typeof contentColumns)[number], k: number): string {
  if (column === 'plays') return String(cell.plays)
  if (column === 'onScreenS') return String(cell.onScreenS)
  if (!cell.viewers) return `<${k}`
  const value = cell.viewers[column]
  return value === null ? '' : String(value)
}

export function ContentReportPage({
  lang,
  csrfToken,
  account,
  report,
  from,
  to,
}: {
  lang: Language
  csrfToken: string
  account: SignedIn
  report: ContentReport
  from: string
  to: string
}) {
  const t = pick(contentReportText, lang)
  const query = `from=${from}&to=${to}`
  const kinds = pick(contentText, lang)
  const line = (label: string, kind: string, station: string, cell: ContentCell, cls?: string) => (
    <tr class={cls}>
      <th scope="row">{label}</th>
      <td data-col="kind">{kind}</td>
      <td>{station}</td>
      {contentColumns.map((c) => (
        <td data-col={c}>{contentFigure(cell, c, report.k)}</td>
      ))}
    </tr>
  )
  return (
    <Layout lang={lang} title={t.title} csrfToken={csrfToken} account={account} bodyClass="console">
      <p>
        <a href="/content">{t.back}</a>
      </p>
      <h1>{t.title}</h1>
      <p>{t.intro}</p>
      <form method="get" action="/content/report" class="grid">
        <label>
          {t.from} <input type="date" name="from" value={from} required />
        </label>
        <label>
          {t.to} <input type="date" name="to" value={to} required />
        </label>
        <button type="submit">{t.show}</button>
      </form>
      <p>
        <a href={`/exports/content.csv?${query}`}>{t.exportCsv}</a> ·{' '}
        <a href={`/exports/content.json?${query}`}>{t.exportJson}</a>
      </p>
      {report.rows.length ? (
        <>
          <PeriodChart
            id="content-chart"
            title={t.chartTitle}
            desc={t.chartDesc}
            bars={report.rows.map((r) => ({
              label: r.name,
              value: r.total.viewers?.attentionS ?? null,
              text: contentFigure(r.total, 'attentionS', report.k),
            }))}
          />
          <div class="table-wrap">
            <table id="content-report">
              <thead>
                <tr>
                  <th>{t.item}</th>
                  <th>{t.kind}</th>
                  <th>{t.station}</th>
                  {contentColumns.map((c) => (
                    <th>{t[c]}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {report.rows.map((row) => (
                  <>
                    {line(row.name, row.kind ? kinds[row.kind] : '', t.all, row.total, 'item-total')}
                    {report.stations.map((s, i) =>
                      row.cells[i]!.plays || row.cells[i]!.viewers?.viewers
                        ? line(row.name, row.kind ? kinds[row.kind] : '', s.name, row.cells[i]!)
                        : null,
                    )}
                  </>
                ))}
                {line(t.total, '', t.all, report.grand, 'grand-total')}
              </tbody>
            </table>
          </div>
        </>
      ) : (
        <p class="empty">{t.empty}</p>
      )}
    </Layout>
  )
}
