// The developer report (admin only): every office of the admin's developer, on a page and as an audited CSV.
import { Hono } from 'hono'
import type { AppEnv, AppContext } from '../context.ts'
import { requirePermission } from '../middleware/require-permission.ts'
import { badRequest, invalidInput } from '../respond.tsx'
import { appendAudit } from '../../models/audit.ts'
import { filtersQuery, officeToday, resolveFilters } from '../../models/reports.ts'
import { developerMetrics, developerReport, type DeveloperReport } from '../../models/developer-report.ts'
import type { Language } from '../../models/consents.ts'
import {
  DeveloperReportPage,
  developerMetricLabel,
  developerReportText,
  figureText,
  rowLabel,
} from '../../views/developer-report.tsx'
import { pick } from '../../views/i18n.ts'
import { csvFile } from '../csv.ts'

// the period only, by the office reports' preset/from/to rules (today in the admin's own office)
async function periodOf(c: AppContext) {
  const { database, clock } = c.var.deps
  const today = await officeToday(database.db, c.var.account!.officeId, clock.now())
  return resolveFilters(
    { preset: c.req.query('preset'), from: c.req.query('from'), to: c.req.query('to') },
    today,
  )
}

export function developerReportRoutes() {
  const app = new Hono<AppEnv>()
  // other offices' figures: the admin only (sales, managers, marketing and privacy see their own office)
  const viewReport = requirePermission({ permission: 'developer-report:view' })

  app.get('/admin/developer-report', viewReport, async (c) => {
    const { database, clock } = c.var.deps
    const account = c.var.account!
    const resolved = await periodOf(c)
    if (!resolved.ok) return invalidInput(c, resolved.error)
    const { filters } = resolved
    const report = await developerReport(database.db, {
      officeId: account.officeId,
      from: filters.from,
      to: filters.to,
      now: clock.now(),
    })
    if (!report) return badRequest(c, 'not-found', 404)
    c.header('Cache-Control', 'no-store')
    return c.html(
      <DeveloperReportPage
        lang={c.var.lang}
        csrfToken={c.var.csrfToken}
        account={account}
        filters={filters}
        report={report}
        query={periodQuery(filtersQuery(filters))}
      />,
    )
  })

  app.get('/admin/developer-report.csv', viewReport, async (c) => {
    const { database, clock } = c.var.deps
    const account = c.var.account!
    const resolved = await periodOf(c)
    if (!resolved.ok) return invalidInput(c, resolved.error)
    const { filters } = resolved
    const now = clock.now()
    const report = await developerReport(database.db, {
      officeId: account.officeId,
      from: filters.from,
      to: filters.to,
      now,
    })
    if (!report) return badRequest(c, 'not-found', 404)
    // audited before the first byte leaves, like the office exports
    await database.write((tx) =>
      appendAudit(tx, {
        at: now,
        officeId: account.officeId,
        actorType: 'staff',
        actorId: account.id,
        action: 'export.developer-stats',
        target: 'csv',
        detail: {
          preset: filters.preset,
          from: filters.from,
          to: filters.to,
          rows: report.rows.length,
          k: report.k,
        },
      }),
    )
    return new Response(developerCsv(report, c.var.lang), {
      headers: {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="showroom-developer-stats_${report.from}_${report.to}.csv"`,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      },
    })
  })
  return app
}

function periodQuery(query: string): string {
  const params = new URLSearchParams(query)
  return new URLSearchParams({
    preset: params.get('preset') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
  }).toString()
}

// UTF-8 with BOM (Excel reads Chinese right), manifest as comment lines, office names never read as formulas
export function developerCsv(report: DeveloperReport, lang: Language): string {
  const t = pick(developerReportText, lang)
  const developer = report.developer.nameEn
    ? `${report.developer.name} (${report.developer.nameEn})`
    : report.developer.name
  const manifest = [
    '# Showroom cross-office statistics / 跨案场匿名统计 (aggregates only; no personal data)',
    `# developer: ${developer}`,
    `# period: ${report.from} to ${report.to}`,
    `# k: ${report.k} (figures of fewer than ${report.k} people shown as <${report.k}; some others hidden so they cannot be derived from totals)`,
    `# generated: ${report.generatedAt}`,
  ]
  const header = [t.office, ...developerMetrics.map((m) => developerMetricLabel(m, lang))]
  const rows = report.rows.map((row) => [
    rowLabel(row, lang),
    ...developerMetrics.map((m) => figureText(row.figures[m], report.k)),
  ])
  return csvFile({ comments: manifest, header, rows })
}
