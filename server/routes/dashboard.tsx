// Sales dashboard routes (permission reception:work): the page, its fragments, the queue verbs and the live socket.
import { Hono } from 'hono'
import type { ZodType } from 'zod'
import type { AppContext, AppEnv } from '../context.ts'
import { requirePermission } from '../middleware/require-permission.ts'
import { badRequest, invalidInput } from '../respond.tsx'
import { DashboardPage, renderFragments } from '../../views/dashboard.tsx'
import { dashboardSocketPath } from '../../views/dashboard-text.ts'
import { dashboardSnapshot } from '../../models/dashboard.ts'
import {
  assignNext,
  assignNextInput,
  changeDuty,
  dutyInput,
  queueConflicts,
  type QueueResult,
} from '../../models/reception.ts'
import { dashboardSocket, refreshDashboards } from '../dashboard-live.ts'
import { visitRoutes } from './visits.tsx'

export function dashboardRoutes() {
  const app = new Hono<AppEnv>()
  const reception = requirePermission({ permission: 'reception:work' })

  app.get('/dashboard', reception, async (c) => {
    const account = c.var.account!
    const snapshot = await dashboardSnapshot(c.var.deps.database.db, account.officeId, c.var.deps.clock.now())
    // after a plain (no-JS) form post that lost a race, say so once
    const conflict = queueConflicts.find((q) => q === c.req.query('conflict'))
    return c.html(
      <DashboardPage
        lang={c.var.lang}
        csrfToken={c.var.csrfToken}
        account={account}
        snapshot={snapshot}
        conflict={conflict}
      />,
    )
  })

  app.post('/dashboard/queue/next', reception, (c) =>
    queueAction(c, assignNextInput, (input, { tx, officeId, actorId, now }) =>
      assignNext({ tx, officeId, actorId, input, now }),
    ),
  )
  app.post('/dashboard/duty', reception, (c) =>
    queueAction(c, dutyInput, (input, { tx, officeId, now }) => changeDuty({ tx, officeId, input, now })),
  )

  app.get(dashboardSocketPath, reception, async (c, next) => {
    const upgrade = c.var.deps.upgradeWebSocket
    if (!upgrade) return badRequest(c, 'not-found', 404)
    const { deps, account, lang } = c.var
    return upgrade(() => dashboardSocket(deps, account!, lang))(c, next)
  })

  app.route('/', visitRoutes())
  return app
}

type VerbContext = Parameters<Parameters<AppContext['var']['deps']['database']['write']>[0]>[0]

// validate, run the verb in one write transaction, announce the change, answer with the current state
async function queueAction<T>(
  c: AppContext,
  schema: ZodType<T>,
  verb: (
    input: T,
    ctx: { tx: VerbContext; officeId: string; actorId: string; now: number },
  ) => Promise<QueueResult<{ visitId?: string; staffId?: string }>>,
) {
  const parsed = schema.safeParse(await c.req.parseBody())
  if (!parsed.success) return invalidInput(c, parsed.error)
  const { deps } = c.var
  const account = c.var.account!
  const now = deps.clock.now()
  const result = await deps.database.write((tx) =>
    verb(parsed.data, { tx, officeId: account.officeId, actorId: account.id, now }),
  )
  if (result.ok) {
    const visitId = result.value.visitId
    if (visitId) deps.events!.emit({ type: 'visit.updated', officeId: account.officeId, visitId })
    // a duty change is no domain event of its own; the other dashboards still need the new rotation
    else void refreshDashboards(deps, account.officeId)
  }
  if (!c.req.header('hx-request')) {
    return c.redirect(result.ok ? '/dashboard' : `/dashboard?conflict=${result.conflict}`, 303)
  }
  const snapshot = await dashboardSnapshot(deps.database.db, account.officeId, deps.clock.now())
  // the loser of a race gets 409 and the queue as it now is, with a sentence saying what happened
  return c.html(
    renderFragments(c.var.lang, snapshot, c.var.csrfToken, result.ok ? null : result.conflict),
    result.ok ? 200 : 409,
  )
}
