// Marketing reports (permission reports:view): the /reports page and the anonymous, audited exports.
import { Hono } from 'hono'
import { z } from 'zod'
import type { AppEnv, AppContext } from '../context.ts'
import { requirePermission } from '../middleware/require-permission.ts'
import { invalidInput } from '../respond.tsx'
import { appendAudit } from '../../models/audit.ts'
import {
  anonymousReport,
  filtersQuery,
  officeToday,
  reportChannels,
  resolveFilters,
  type ReportFilters,
} from '../../models/reports.ts'
import { ReportsPage, ReportResults, ReportDates, reportIds } from '../../views/reports.tsx'
import { csvStream, jsonStream, exportFileName, exportRecordCount } from '../report-files.ts'

const exportOptions = z.object({
  epsilon: z.preprocess(
    (v) => (v === '' || v === undefined ? null : v),
    z.coerce.number().min(0.01, 'epsilon: at least 0.01').max(10, 'epsilon: at most 10').nullable(),
  ),
})

async function filtersOf(c: AppContext) {
  const { database, clock } = c.var.deps
  const account = c.var.account!
  const today = await officeToday(database.db, account.officeId, clock.now())
  const query = { ...c.req.query() }
  delete query.epsilon
  delete query.lang
  return resolveFilters(query, today)
}

export function reportRoutes() {
  const app = new Hono<AppEnv>()
  const reports = requirePermission({ permission: 'reports:view' })

  app.get('/reports', reports, async (c) => {
    const { database, clock } = c.var.deps
    const account = c.var.account!
    const resolved = await filtersOf(c)
    if (!resolved.ok) return invalidInput(c, resolved.error)
    const { filters } = resolved
    const { released, manifest } = await anonymousReport(database.db, {
      officeId: account.officeId,
      filters,
      now: clock.now(),
    })
    const view = { lang: c.var.lang, filters, released, manifest, query: filtersQuery(filters) }
    c.header('Cache-Control', 'no-store')
    c.header('Vary', 'HX-Request')
    if (c.req.header('hx-request') && c.req.header('hx-target') === reportIds.results) {
      return c.html(
        <>
          <ReportResults {...view} />
          <ReportDates lang={c.var.lang} filters={filters} oob />
        </>,
      )
    }
    const channels = await reportChannels(database.db, account.officeId)
    return c.html(<ReportsPage {...view} csrfToken={c.var.csrfToken} account={account} channels={channels} />)
  })

  for (const format of ['csv', 'json'] as const) {
    app.get(`/exports/stats.${format}`, reports, async (c) => {
      const { database, clock } = c.var.deps
      const account = c.var.account!
      const resolved = await filtersOf(c)
      if (!resolved.ok) return invalidInput(c, resolved.error)
      const options = exportOptions.safeParse({ epsilon: c.req.query('epsilon') })
      if (!options.success) return invalidInput(c, options.error)
      const { filters } = resolved
      const { epsilon } = options.data
      const now = clock.now()
      const { released, manifest } = await anonymousReport(database.db, {
        officeId: account.officeId,
        filters,
        epsilon,
        now,
      })
      const rows = exportRecordCount(released, filters)
      // audited before the first byte leaves: an export that is cut off midway was still an export
      await database.write((tx) =>
        appendAudit(tx, {
          at: now,
          officeId: account.officeId,
          actorType: 'staff',
          actorId: account.id,
          action: 'export.stats',
          target: format,
          detail: { filters: auditFilters(filters), rows, k: released.k, epsilon },
        }),
      )
      const body =
        format === 'csv'
          ? csvStream(released, manifest, filters, c.var.lang)
          : jsonStream(released, manifest, filters, c.var.lang)
      return new Response(body, {
        headers: {
          'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
          'Content-Disposition': `attachment; filename="${exportFileName(manifest, format)}"`,
          'Cache-Control': 'no-store',
          'X-Content-Type-Options': 'nosniff',
        },
      })
    })
  }
  return app
}

function auditFilters(f: ReportFilters) {
  return { preset: f.preset, from: f.from, to: f.to, group: f.group, split: f.split, channel: f.channel }
}
