// Visit detail routes (/visits/:id, permission reception:work): the page, notes, check-out and the audited phone reveal.
import { Hono } from 'hono'
import type { AppContext, AppEnv } from '../context.ts'
import { badRequest, invalidInput } from '../respond.tsx'
import { requirePermission } from '../middleware/require-permission.ts'
import { VisitPage } from '../../views/visit.tsx'
import { getOffice } from '../../models/offices.ts'
import { visitDetail, auditVisitViewed, revealVisitPhone, revealInput } from '../../models/visit-detail.ts'
import {
  addNote,
  noteInput,
  checkOut,
  checkOutInput,
  reassign,
  reassignInput,
} from '../../models/reception.ts'
import { officeStaff } from '../../models/dashboard.ts'

export function visitRoutes() {
  const app = new Hono<AppEnv>()
  const reception = requirePermission({ permission: 'reception:work' })
  const revealPhone = requirePermission({ permission: 'visits:reveal-phone' })

  app.get('/visits/:id', reception, async (c) => {
    const account = c.var.account!
    const { deps } = c.var
    const visitId = c.req.param('id')
    const detail = await visitDetail(deps.database.db, account.officeId, visitId)
    if (!detail) return badRequest(c, 'not-found', 404)
    await deps.database.write((tx) =>
      auditVisitViewed(tx, {
        officeId: account.officeId,
        actorId: account.id,
        visitId,
        now: deps.clock.now(),
      }),
    )
    return renderVisit(c, visitId)
  })

  app.post('/visits/:id/notes', reception, async (c) => {
    const account = c.var.account!
    const { deps } = c.var
    const parsed = noteInput.safeParse({ ...(await c.req.parseBody()), visitId: c.req.param('id') })
    if (!parsed.success) return invalidInput(c, parsed.error)
    const result = await deps.database.write((tx) =>
      addNote({
        tx,
        officeId: account.officeId,
        actorId: account.id,
        input: parsed.data,
        now: deps.clock.now(),
      }),
    )
    if (!result.ok) return badRequest(c, 'not-found', 404)
    return c.redirect(`/visits/${encodeURIComponent(parsed.data.visitId)}`, 303)
  })

  app.post('/visits/:id/checkout', reception, async (c) => {
    const account = c.var.account!
    const { deps } = c.var
    const parsed = checkOutInput.safeParse({ ...(await c.req.parseBody()), visitId: c.req.param('id') })
    if (!parsed.success) return invalidInput(c, parsed.error)
    const result = await deps.database.write((tx) =>
      checkOut({
        tx,
        officeId: account.officeId,
        actorId: account.id,
        input: parsed.data,
        now: deps.clock.now(),
      }),
    )
    if (!result.ok && result.conflict === 'not-found') return badRequest(c, 'not-found', 404)
    if (result.ok)
      deps.events!.emit({ type: 'visit.updated', officeId: account.officeId, visitId: parsed.data.visitId })
    return c.redirect(`/visits/${encodeURIComponent(parsed.data.visitId)}`, 303)
  })

  app.post('/visits/:id/reassign', reception, async (c) => {
    const account = c.var.account!
    const { deps } = c.var
    const parsed = reassignInput.safeParse({ ...(await c.req.parseBody()), visitId: c.req.param('id') })
    if (!parsed.success) return invalidInput(c, parsed.error)
    const { visitId } = parsed.data
    const result = await deps.database.write((tx) =>
      reassign({
        tx,
        officeId: account.officeId,
        actorId: account.id,
        input: parsed.data,
        now: deps.clock.now(),
      }),
    )
    if (!result.ok && result.conflict === 'not-found') return badRequest(c, 'not-found', 404)
    if (result.ok) deps.events!.emit({ type: 'visit.updated', officeId: account.officeId, visitId })
    return c.redirect(`/visits/${encodeURIComponent(visitId)}${result.ok ? '' : '?stale=1'}`, 303)
  })

  app.post('/visits/:id/reveal', revealPhone, async (c) => {
    const account = c.var.account!
    const { deps } = c.var
    const parsed = revealInput.safeParse({ ...(await c.req.parseBody()), visitId: c.req.param('id') })
    if (!parsed.success) return invalidInput(c, parsed.error)
    const result = await deps.database.write((tx) =>
      revealVisitPhone({
        tx,
        keys: deps.keys.phone,
        officeId: account.officeId,
        actorId: account.id,
        input: parsed.data,
        now: deps.clock.now(),
      }),
    )
    if (!result.ok) return badRequest(c, 'not-found', 404)
    // the number is shown once, in this response, and never cached
    c.header('Cache-Control', 'no-store')
    return renderVisit(c, parsed.data.visitId, result.phone)
  })

  return app
}

async function renderVisit(c: AppContext, visitId: string, revealed?: string) {
  const account = c.var.account!
  const detail = await visitDetail(c.var.deps.database.db, account.officeId, visitId)
  if (!detail) return badRequest(c, 'not-found', 404)
  const office = await getOffice(c.var.deps.database.db, account.officeId)
  const members = await officeStaff(c.var.deps.database.db, account.officeId)
  return c.html(
    <VisitPage
      lang={c.var.lang}
      csrfToken={c.var.csrfToken}
      account={account}
      detail={detail}
      timeZone={office?.timeZone ?? 'Asia/Shanghai'}
      revealed={revealed}
      consultants={members.filter((m) => m.role === 'sales')}
      stale={c.req.query('stale') === '1'}
    />,
  )
}
