// The Content page (/content/report) and its anonymous, audited exports (/exports/content.csv|json).
import { Hono } from 'hono'
import { z } from 'zod'
import { csvFile } from '../csv.ts'
import type { AppContext, AppEnv } from '../context.ts'
import { requirePermission } from '../middleware/require-permission.ts'
import { invalidInput } from '../respond.tsx'
import { auditChange } from './console.ts'
import { getOffice } from '../../models/offices.ts'
import { addDays, daysBetween, isCalendarDay, localDayHour } from '../../models/report-period.ts'
import { startOfLocalDay } from '../../models/time.ts'
import { contentReport } from '../../models/content-report.ts'
import {
  ContentReportPage,
  contentColumns,
  contentFigure,
  contentReportText,
} from '../../views/content-report.tsx'

const day = z.string().refine(isCalendarDay, 'date: YYYY-MM-DD')
const period = z
  .object({ from: day, to: day })
  .refine((p) => p.from <= p.to, 'to: before from')
  .refine((p) => daysBetween(p.from, p.to) <= 366, 'period: at most a year')

async function reportOf(c: AppContext) {
  const { database, clock } = c.var.deps
  const account = c.var.account!
  const office = await getOffice(database.db, account.officeId)
  const timeZone = office?.timeZone ?? 'Asia/Shanghai'
  const today = localDayHour(clock.now(), timeZone).day
  const parsed = period.safeParse({
    from: c.req.query('from') ?? addDays(today, -6),
    to: c.req.query('to') ?? today,
  })
  if (!parsed.success) return { ok: false as const, error: parsed.error }
  const { from, to } = parsed.data
  const report = await contentReport(database.db, {
    officeId: account.officeId,
    fromMs: startOfLocalDay(from, timeZone),
    toMs: startOfLocalDay(addDays(to, 1), timeZone),
    k: office?.kAnonymity ?? 5,
  })
  return { ok: true as const, report, from, to }
}

export function contentReportRoutes() {
  const app = new Hono<AppEnv>()
  const reports = requirePermission({ permission: 'reports:view' })

  app.get('/content/report', reports, async (c) => {
    const result = await reportOf(c)
    if (!result.ok) return invalidInput(c, result.error)
    c.header('Cache-Control', 'no-store')
    return c.html(
      <ContentReportPage
        lang={c.var.lang}
        csrfToken={c.var.csrfToken}
        account={c.var.account!}
        report={result.report}
        from={result.from}
        to={result.to}
      />,
    )
  })

  for (const format of ['csv', 'json'] as const) {
    app.get(`/exports/content.${format}`, reports, async (c) => {
      const result = await reportOf(c)
      if (!result.ok) return invalidInput(c, result.error)
      const { report, from, to } = result
      const t = contentReportText[c.var.lang]
      // one line per item and display, then the item's total; names, never ids; dates, never times; the kind
      // as its code word (image, video, page)
      const lines = report.rows.flatMap((row) => [
        ...report.stations.map((s, i) => ({
          item: row.name,
          kind: row.kind ?? '',
          station: s.name,
          cell: row.cells[i]!,
        })),
        { item: row.name, kind: row.kind ?? '', station: t.all, cell: row.total },
      ])
      await c.var.deps.database.write((tx) =>
        auditChange(tx, c, 'export.content', format, { from, to, rows: lines.length, k: report.k }),
      )
      const headers = {
        'Content-Disposition': `attachment; filename="content-${from}-${to}.${format}"`,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      }
      if (format === 'json') {
        const body = {
          from,
          to,
          k: report.k,
          rows: lines.map((l) => ({
            item: l.item,
            kind: l.kind,
            station: l.station,
            ...Object.fromEntries(
              contentColumns.map((col) => [col, jsonFigure(contentFigure(l.cell, col, report.k))]),
            ),
          })),
        }
        return c.json(body, 200, headers)
      }
      // the one CSV writer of every export: a name typed as a formula stays text (security review, item 5)
      const csv = csvFile({
        header: ['item', 'kind', 'station', ...contentColumns],
        rows: lines.map((l) => [
          l.item,
          l.kind,
          l.station,
          ...contentColumns.map((col) => contentFigure(l.cell, col, report.k)),
        ]),
      })
      return c.body(csv, 200, { ...headers, 'Content-Type': 'text/csv; charset=utf-8' })
    })
  }
  return app
}

// numbers stay numbers in JSON; `<k` stays a string; an undefined ratio is null
const jsonFigure = (text: string) => (text === '' ? null : /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text)
