// First start without the demo: an admin whose office still has placeholder details is led to its settings first.
import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../context.ts'
import { getOffice } from '../../models/offices.ts'
import { can } from '../permissions.ts'

// the pages an admin lands on; everything else (the settings page itself, sign-out, password) stays reachable
const landings = new Set(['/', '/dashboard', '/admin'])

export function officeSetupGate({ settingsPath }: { settingsPath: string }): MiddlewareHandler<AppEnv> {
  return async function officeSetupGate(c, next) {
    const account = c.var.account
    if (c.req.method !== 'GET' || !landings.has(c.req.path) || account?.kind !== 'staff') return next()
    if (!can(account, 'admin:manage') || account.mustChangePassword) return next()
    const office = await getOffice(c.var.deps.database.db, account.officeId)
    if (office?.needsSetup) return c.redirect(`${settingsPath}?office=${office.id}`, 303)
    return next()
  }
}
