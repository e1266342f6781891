// Access by permission: each route names the permission it needs (server/permissions.ts); signed-out browsers go to sign in.
import type { MiddlewareHandler } from 'hono'
import { matchedRoutes } from 'hono/route'
import type { AppEnv } from '../context.ts'
import { can, type Permission } from '../permissions.ts'
import { appendAudit } from '../../models/audit.ts'
import { badRequest } from '../respond.tsx'
import { log } from '../log.ts'

export type PermissionGuard = MiddlewareHandler<AppEnv> & { permission: Permission }

export function requirePermission({ permission }: { permission: Permission }): PermissionGuard {
  async function requirePermission(...[c, next]: Parameters<MiddlewareHandler<AppEnv>>) {
    const account = c.var.account
    if (!account) {
      if (c.req.path.startsWith('/api/')) return badRequest(c, 'signed-out', 401)
      const back = encodeURIComponent(c.req.path + (new URL(c.req.url).search || ''))
      return c.redirect(`/login?next=${back}`, 303)
    }
    // a password set by someone else (admin reset, first start) is changed before anything else
    const pendingChange = account.mustChangePassword
    if (pendingChange && permission !== 'account:own' && !c.req.path.startsWith('/api/')) {
      return c.redirect('/account/password', 303)
    }
    if (!can(account, permission)) {
      await appendAudit(c.var.deps.database.db, {
        at: c.var.deps.clock.now(),
        officeId: account.officeId,
        actorType: account.kind,
        actorId: account.id,
        action: 'access.denied',
        target: c.req.path,
        detail: { needed: permission, had: account.role },
      })
      return badRequest(c, 'forbidden', 403)
    }
    await next()
  }
  return Object.assign(requirePermission, { permission })
}

// the pages of signed-in people; a route there that names no permission is refused, not left open
export const signedInAreas = ['/dashboard', '/visits', '/rules', '/referrals', '/reports', '/exports'].concat(
  ['/privacy', '/admin', '/agent', '/account', '/content'],
)

const inArea = (path: string) => signedInAreas.some((area) => path === area || path.startsWith(`${area}/`))

export function refuseUnnamedRoutes(): MiddlewareHandler<AppEnv> {
  return async function refuseUnnamedRoutes(c, next) {
    if (inArea(c.req.path)) {
      const routes = matchedRoutes(c).filter((r) => r.method !== 'ALL')
      const named = routes.some((r) => (r.handler as Partial<PermissionGuard>).permission)
      if (routes.length && !named) {
        log({ msg: 'route names no permission', route: routes.at(-1)!.path }, 'error')
        return badRequest(c, 'forbidden', 403)
      }
    }
    await next()
  }
}
