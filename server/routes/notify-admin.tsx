// Admin routes for consultant notifications: channels per office and the dead-letter list. Every change audited.
import { Hono, type Context } from 'hono'
import type { AppEnv } from '../context.ts'
import { requirePermission } from '../middleware/require-permission.ts'
import { badRequest, describeIssues } from '../respond.tsx'
import { getOffice } from '../../models/offices.ts'
import { listStaff } from '../../models/admin.ts'
import {
  addChannel,
  channelInput,
  deadLetters,
  listChannels,
  removeChannel,
  retryDeadLetter,
} from '../../models/notify.ts'
import { NotifyAdminPage } from '../../views/notify-admin.tsx'
import { auditChange, formFields, inReach, officer } from './console.ts'

// the office named by ?office= (default: the admin's own), only within the admin's developer
async function officeInReach(c: Context<AppEnv>) {
  const officeId = c.req.query('office') ?? officer(c).officeId
  return (await inReach(c, officeId)) ? getOffice(c.var.deps.database.db, officeId) : null
}

export function notifyAdminRoutes() {
  const app = new Hono<AppEnv>()
  const admin = requirePermission({ permission: 'admin:manage' })

  const render = async (c: Context<AppEnv>, officeId: string, timeZone: string, error?: string[]) => {
    const { database } = c.var.deps
    const members = await listStaff(database.db, officeId)
    return c.html(
      <NotifyAdminPage
        lang={c.var.lang}
        csrfToken={c.var.csrfToken}
        account={officer(c)}
        officeId={officeId}
        timeZone={timeZone}
        channels={await listChannels(database.db, officeId, c.var.deps.keys.phone.dataKey)}
        dead={await deadLetters(database.db, officeId)}
        consultants={members.filter((m) => m.role === 'sales' && !m.disabledAt)}
        error={error}
      />,
      error ? 400 : 200,
    )
  }

  app.get('/admin/notifications', admin, async (c) => {
    const office = await officeInReach(c)
    if (!office) return badRequest(c, 'not-found', 404)
    return render(c, office.id, office.timeZone)
  })

  app.post('/admin/notifications/channels', admin, async (c) => {
    const office = await officeInReach(c)
    if (!office) return badRequest(c, 'not-found', 404)
    const fields = await formFields(c)
    const parsed = channelInput.safeParse(fields)
    if (!parsed.success) return render(c, office.id, office.timeZone, describeIssues(parsed.error))
    const { database, clock } = c.var.deps
    const id = await database.write(async (tx) => {
      const id = await addChannel(tx, {
        officeId: office.id,
        input: fields,
        now: clock.now(),
        dataKey: c.var.deps.keys.phone.dataKey,
      })
      // the URL's query holds the robot's token and the secret is a secret: neither goes into the audit log
      if (id)
        await auditChange(tx, c, 'notify.channel-added', id, { office: office.id, kind: parsed.data.kind })
      return id
    })
    if (!id) return render(c, office.id, office.timeZone, ['consultant: not a member of this office'])
    return c.redirect(`/admin/notifications?office=${office.id}`, 303)
  })

  app.post('/admin/notifications/channels/:id/remove', admin, async (c) => {
    const office = await officeInReach(c)
    if (!office) return badRequest(c, 'not-found', 404)
    const removed = await c.var.deps.database.write(async (tx) => {
      const removed = await removeChannel(tx, { officeId: office.id, id: c.req.param('id') })
      if (removed)
        await auditChange(tx, c, 'notify.channel-removed', c.req.param('id'), { office: office.id })
      return removed
    })
    if (!removed) return badRequest(c, 'not-found', 404)
    return c.redirect(`/admin/notifications?office=${office.id}`, 303)
  })

  app.post('/admin/notifications/dead/:id/retry', admin, async (c) => {
    const office = await officeInReach(c)
    if (!office) return badRequest(c, 'not-found', 404)
    const { database, clock, notifier } = c.var.deps
    const retried = await database.write(async (tx) => {
      const ok = await retryDeadLetter(tx, { officeId: office.id, id: c.req.param('id'), now: clock.now() })
      if (ok) await auditChange(tx, c, 'notify.retried', c.req.param('id'), { office: office.id })
      return ok
    })
    if (!retried) return badRequest(c, 'not-found', 404)
    notifier?.wake()
    return c.redirect(`/admin/notifications?office=${office.id}`, 303)
  })
  return app
}
