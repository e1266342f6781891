// 客户归属 routes: the manager's conflicts (撞单) and per-consultant figures, the consultant's own view.
import { Hono, type Context } from 'hono'
import type { AppEnv } from '../context.ts'
import { requirePermission } from '../middleware/require-permission.ts'
import { badRequest, describeIssues } from '../respond.tsx'
import { getOffice } from '../../models/offices.ts'
import { auditChange } from './console.ts'
import { localDay } from '../../models/time.ts'
import { listConflicts, myClients, myDay } from '../../models/ownership-queries.ts'
import {
  conflictDecisionInput,
  conflictEvidence,
  decideConflict,
  ConflictRefused,
} from '../../models/ownership-conflicts.ts'
import { consultantFigures, releaseFigures } from '../../models/consultant-figures.ts'
import { ConflictsPage, ConflictPage, ConsultantsPage, MinePage } from '../../views/ownership.tsx'
import { localPeriod } from './rules.tsx'
import { csvFile } from '../csv.ts'

export function ownershipRoutes() {
  const app = new Hono<AppEnv>()
  // the manager decides 撞单 on the same evidence page as appeals, and sees figures beside the commission report
  const decideConflicts = requirePermission({ permission: 'appeals:decide' })
  const figuresView = requirePermission({ permission: 'commission:view' })
  const reception = requirePermission({ permission: 'reception:work' })

  app.get('/rules/conflicts', decideConflicts, async (c) => {
    const account = c.var.account!
    const { database } = c.var.deps
    const office = (await getOffice(database.db, account.officeId))!
    const rows = await listConflicts(database.db, { officeId: office.id })
    return c.html(
      <ConflictsPage
        lang={c.var.lang}
        csrfToken={c.var.csrfToken}
        account={account}
        rows={rows}
        timeZone={office.timeZone}
      />,
    )
  })

  const renderConflict = async (c: Context<AppEnv>, id: string, error?: string[]) => {
    const account = c.var.account!
    const { database } = c.var.deps
    const office = (await getOffice(database.db, account.officeId))!
    const [row] = await listConflicts(database.db, { officeId: office.id, conflictId: id })
    if (!row) return badRequest(c, 'not-found', 404)
    const evidence = await conflictEvidence(database.db, row.conflict)
    await auditChange(database.db, c, 'ownership.conflict-viewed', id)
    return c.html(
      <ConflictPage
        lang={c.var.lang}
        csrfToken={c.var.csrfToken}
        account={account}
        row={row}
        evidence={evidence}
        timeZone={office.timeZone}
        error={error}
      />,
      error ? 400 : 200,
    )
  }

  app.get('/rules/conflicts/:id', decideConflicts, (c) => renderConflict(c, c.req.param('id')))

  app.post('/rules/conflicts/:id/decide', decideConflicts, async (c) => {
    const account = c.var.account!
    const { database, clock, events } = c.var.deps
    const id = c.req.param('id')
    const parsed = conflictDecisionInput.safeParse(await c.req.parseBody())
    if (!parsed.success) return renderConflict(c, id, describeIssues(parsed.error))
    try {
      const decided = await database.write((tx) =>
        decideConflict({
          tx,
          input: { conflictId: id, officeId: account.officeId, decidedBy: account.id, ...parsed.data },
          now: clock.now(),
        }),
      )
      // the notify listener wakes the sender for what the decision enqueued
      events?.emit({ type: 'visit.updated', officeId: account.officeId, visitId: decided.visitId })
    } catch (error) {
      if (error instanceof ConflictRefused)
        return error.message === 'not-found'
          ? badRequest(c, 'not-found', 404)
          : badRequest(c, 'invalid-input', 409, [error.message])
      throw error
    }
    return c.redirect(`/rules/conflicts/${id}`, 303)
  })

  app.get('/rules/consultants', figuresView, async (c) => {
    const period = await localPeriod(c)
    if (period.refused) return period.refused
    const { account, from, to, start, end } = period
    const figures = await consultantFigures(c.var.deps.database.db, {
      officeId: account.officeId,
      from: start,
      to: end,
    })
    return c.html(
      <ConsultantsPage
        lang={c.var.lang}
        csrfToken={c.var.csrfToken}
        account={account}
        figures={figures}
        from={from}
        to={to}
      />,
    )
  })

  // what leaves the office goes through the reports' small-cell suppression, and is audited
  app.get('/rules/consultants.csv', figuresView, async (c) => {
    const period = await localPeriod(c)
    if (period.refused) return period.refused
    const { account, office, from, to, start, end } = period
    const { database } = c.var.deps
    const figures = await consultantFigures(database.db, { officeId: account.officeId, from: start, to: end })
    const rows = releaseFigures(figures, office.kAnonymity)
    await auditChange(database.db, c, 'export.consultants', null, {
      from,
      to,
      rows: rows.length,
      k: office.kAnonymity,
    })
    const hidden = `<${office.kAnonymity}`
    const csv = csvFile({
      header: ['consultant', 'served', 'firstVisits', 'returns', 'secondVisitShare'],
      rows: rows.map((r) => [
        r.consultant,
        r.served ?? hidden,
        r.firstVisits ?? hidden,
        r.returns ?? hidden,
        r.secondVisitShare ?? '',
      ]),
    })
    c.header('Content-Type', 'text/csv; charset=utf-8')
    c.header('Content-Disposition', `attachment; filename="consultants_${from}_${to}.csv"`)
    return c.body(csv)
  })

  app.get('/dashboard/mine', reception, async (c) => {
    const account = c.var.account!
    const { database, clock } = c.var.deps
    const office = (await getOffice(database.db, account.officeId))!
    const now = clock.now()
    const day = await myDay(database.db, {
      officeId: office.id,
      consultantId: account.id,
      day: localDay(now, office.timeZone),
    })
    const conflicts = await listConflicts(database.db, { officeId: office.id, consultantId: account.id })
    const owned = await myClients(database.db, account.id, now)
    return c.html(
      <MinePage
        lang={c.var.lang}
        csrfToken={c.var.csrfToken}
        account={account}
        day={{ ...day, conflicts }}
        timeZone={office.timeZone}
        ownedCount={owned.length}
      />,
    )
  })
  return app
}
