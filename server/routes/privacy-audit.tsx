// Privacy routes for the audit log (filter, export for an inspector) and the impact assessment (mounted by privacy.tsx).
import { Hono } from 'hono'
import type { AppContext, AppEnv } from '../context.ts'
import { badRequest } from '../respond.tsx'
import { csvFile } from '../csv.ts'
import { requirePermission } from '../middleware/require-permission.ts'
import { getOffice } from '../../models/offices.ts'
import { endOfLocalDay, startOfLocalDay } from '../../models/time.ts'
import { isCalendarDay } from '../../models/report-period.ts'
import { getAssessment, listAssessments, saveAssessment } from '../../models/privacy.ts'
import {
  assessmentSnapshot,
  searchAudit,
  type AssessmentBody,
  type AuditFilter,
} from '../../models/privacy-reports.ts'
import { AuditPage, type AuditQuery } from '../../views/privacy-audit.tsx'
import { AssessmentPage } from '../../views/privacy-assessment.tsx'
import { auditChange, officer } from './console.ts'

async function auditQuery(c: AppContext): Promise<{ query: AuditQuery; filter: AuditFilter } | null> {
  const query: AuditQuery = {
    actor: (c.req.query('actor') ?? '').trim().slice(0, 64),
    action: (c.req.query('action') ?? '').trim().slice(0, 64),
    from: c.req.query('from') ?? '',
    to: c.req.query('to') ?? '',
  }
  // a filter, not per-day work: either end may be open, but both must be real days and in order
  if ((query.from && !isCalendarDay(query.from)) || (query.to && !isCalendarDay(query.to))) return null
  if (query.from && query.to && query.from > query.to) return null
  const office = await getOffice(c.var.deps.database.db, officer(c).officeId)
  const timeZone = office?.timeZone ?? 'Asia/Shanghai'
  return {
    query,
    filter: {
      actor: query.actor || undefined,
      action: query.action || undefined,
      from: query.from ? startOfLocalDay(query.from, timeZone) : undefined,
      // "to" is inclusive: up to the end of that local day
      to: query.to ? endOfLocalDay(startOfLocalDay(query.to, timeZone), timeZone) : undefined,
    },
  }
}

export function privacyAuditRoutes() {
  const app = new Hono<AppEnv>()
  const manage = requirePermission({ permission: 'privacy:manage' })
  const audit = requirePermission({ permission: 'audit:read' })

  app.get('/privacy/audit', audit, async (c) => {
    const parsed = await auditQuery(c)
    if (!parsed) return badRequest(c, 'invalid-input', 400, ['from/to: YYYY-MM-DD'])
    const account = officer(c)
    const rows = await searchAudit(c.var.deps.database.db, account.officeId, parsed.filter)
    return c.html(
      <AuditPage
        lang={c.var.lang}
        csrfToken={c.var.csrfToken}
        account={account}
        query={parsed.query}
        rows={rows}
      />,
    )
  })

  app.get('/privacy/audit/export.csv', audit, async (c) => {
    const parsed = await auditQuery(c)
    if (!parsed) return badRequest(c, 'invalid-input', 400, ['from/to: YYYY-MM-DD'])
    const { database, clock } = c.var.deps
    const account = officer(c)
    // the export is itself audited, before the rows are read, so it appears in the next export
    await database.write((tx) => auditChange(tx, c, 'audit.exported', null, { filter: parsed.query }))
    const rows = await searchAudit(database.db, account.officeId, parsed.filter, 1_000_000)
    const csv = csvFile({
      header: ['id', 'at', 'actor_type', 'actor_id', 'actor_username', 'action', 'target', 'detail'],
      rows: rows.map((r) => [
        r.id,
        new Date(r.at).toISOString(),
        r.actorType,
        r.actorId ?? '',
        r.actorName ?? '',
        r.action,
        r.target ?? '',
        r.detail,
      ]),
    })
    const stamp = new Date(clock.now()).toISOString().slice(0, 10)
    c.header('content-disposition', `attachment; filename="audit-${stamp}.csv"`)
    c.header('cache-control', 'no-store')
    return c.body(csv, 200, { 'content-type': 'text/csv; charset=utf-8' })
  })

  app.get('/privacy/assessment', manage, async (c) => {
    const { database } = c.var.deps
    const account = officer(c)
    const archive = await listAssessments(database.db, account.officeId)
    const latest = archive[0] ? await getAssessment(database.db, account.officeId, archive[0].id) : null
    return c.html(
      <AssessmentPage
        lang={c.var.lang}
        csrfToken={c.var.csrfToken}
        account={account}
        archive={archive}
        shown={latest ? { id: latest.id, body: latest.body as AssessmentBody } : null}
      />,
    )
  })

  app.get('/privacy/assessment/:id', manage, async (c) => {
    const { database } = c.var.deps
    const account = officer(c)
    const shown = await getAssessment(database.db, account.officeId, c.req.param('id'))
    if (!shown) return badRequest(c, 'not-found', 404)
    const archive = await listAssessments(database.db, account.officeId)
    return c.html(
      <AssessmentPage
        lang={c.var.lang}
        csrfToken={c.var.csrfToken}
        account={account}
        archive={archive}
        shown={{ id: shown.id, body: shown.body as AssessmentBody }}
      />,
    )
  })

  app.post('/privacy/assessment', manage, async (c) => {
    const { database, clock } = c.var.deps
    const account = officer(c)
    const now = clock.now()
    const body = await assessmentSnapshot(database.db, account.officeId, now)
    const id = await database.write(async (tx) => {
      const id = await saveAssessment({
        tx,
        input: { officeId: account.officeId, generatedBy: account.id, body },
        now,
      })
      await auditChange(tx, c, 'assessment.generated', id)
      return id
    })
    return c.redirect(`/privacy/assessment/${id}`, 303)
  })

  return app
}
