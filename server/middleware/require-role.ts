// Access by role: staff roles are ordered (sales < marketing < privacy < admin); brokers only reach /agent.
import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../context.ts'
import { roleRank, type StaffRole } from '../../models/staff.ts'
import { appendAudit } from '../../models/audit.ts'
import { badRequest } from '../respond.tsx'

export function requireRole({ role }: { role: StaffRole | 'broker' }): MiddlewareHandler<AppEnv> {
  return async function requireRole(c, next) {
    const account = c.var.account
    if (!account) {
      if (c.req.path.startsWith('/api/')) return badRequest(c, 'signed-out', 401)
      const next = encodeURIComponent(c.req.path + (new URL(c.req.url).search || ''))
      return c.redirect(`/login?next=${next}`, 303)
    }
    // a password set by someone else (admin reset, first start) is changed before anything else
    if (account.kind === 'staff' && account.mustChangePassword && !c.req.path.startsWith('/api/')) {
      return c.redirect('/account/password', 303)
    }
    const allowed =
      role === 'broker'
        ? account.kind === 'broker'
        : account.kind === 'staff' && roleRank[account.role] >= roleRank[role]
    if (!allowed) {
      await appendAudit(c.var.deps.database.db, {
        at: c.var.deps.clock.now(),
        officeId: account.officeId,
        actorType: account.kind,
        actorId: account.id,
        action: 'access.denied',
        target: c.req.path,
        detail: { needed: role, had: account.role },
      })
      return badRequest(c, 'forbidden', 403)
    }
    await next()
  }
}
