// Admin routes for staff (invite, role, disable/enable, reset password) and brokers (create, disable/enable).
import { Hono } from 'hono'
import { z } from 'zod'
import type { AppContext, AppEnv } from '../context.ts'
import { badRequest, invalidInput } from '../respond.tsx'
import { requirePermission } from '../middleware/require-permission.ts'
import {
  createBroker,
  createStaff,
  newBrokerInput,
  newStaffInput,
  UsernameTaken,
} from '../../models/staff.ts'
import { generatePassword } from '../../models/passwords.ts'
import {
  getBroker,
  getStaffMember,
  markBrokerMustChangePassword,
  markMustChangePassword,
  resetStaffPassword,
  setBrokerDisabled,
  setStaffDisabled,
  setStaffRole,
} from '../../models/admin.ts'
import { TempPasswordPage } from '../../views/admin.tsx'
import { auditChange, formFields, inReach, officer } from './console.ts'
import { closeAccountSockets } from '../live.ts'
import { can } from '../permissions.ts'

const inviteForm = newStaffInput.omit({ password: true })
const brokerForm = newBrokerInput.omit({ password: true })
const roleForm = z.object({ role: newStaffInput.shape.role })

function showPassword(c: AppContext, username: string, password: string, officeId: string) {
  // shown once, never stored in clear and never cached
  c.header('cache-control', 'no-store')
  return c.html(
    <TempPasswordPage
      lang={c.var.lang}
      csrfToken={c.var.csrfToken}
      account={officer(c)}
      username={username}
      password={password}
      officeId={officeId}
    />,
  )
}

// the target account, refusing the admin's own (no self-lockout, no self-promotion trail gaps)
async function otherStaff(c: AppContext) {
  const member = await getStaffMember(c.var.deps.database.db, c.req.param('id') ?? '')
  if (!member || !(await inReach(c, member.officeId))) return { error: badRequest(c, 'not-found', 404) }
  if (member.id === officer(c).id)
    return { error: badRequest(c, 'invalid-input', 400, ['not your own account']) }
  return { member }
}

export function adminPeopleRoutes() {
  const app = new Hono<AppEnv>()
  const manage = requirePermission({ permission: 'admin:manage' })

  app.post('/admin/staff', manage, async (c) => {
    const parsed = inviteForm.safeParse(await formFields(c))
    if (!parsed.success) return invalidInput(c, parsed.error)
    const { database, clock } = c.var.deps
    if (!(await inReach(c, parsed.data.officeId))) return badRequest(c, 'not-found', 404)
    const password = generatePassword()
    try {
      await database.write(async (tx) => {
        const id = await createStaff({ tx, input: { ...parsed.data, password }, now: clock.now() })
        await markMustChangePassword(tx, id)
        await auditChange(tx, c, 'staff.invited', id, {
          username: parsed.data.username,
          role: parsed.data.role,
        })
      })
    } catch (error) {
      if (error instanceof UsernameTaken) return badRequest(c, 'invalid-input', 409, ['username: taken'])
      throw error
    }
    return showPassword(c, parsed.data.username, password, parsed.data.officeId)
  })

  app.post('/admin/staff/:id/role', manage, async (c) => {
    const parsed = roleForm.safeParse(await formFields(c))
    if (!parsed.success) return invalidInput(c, parsed.error)
    const { member, error } = await otherStaff(c)
    if (error) return error
    const { database, clock } = c.var.deps
    await database.write(async (tx) => {
      const changed = await setStaffRole({
        tx,
        input: { staffId: member.id, role: parsed.data.role },
        now: clock.now(),
      })
      await auditChange(tx, c, 'staff.role-changed', member.id, { was: changed?.was, role: parsed.data.role })
    })
    // a live dashboard the new role may not see is closed now, not at its next reconnect
    if (!can({ role: parsed.data.role }, 'reception:work')) closeAccountSockets(c.var.deps.live, member.id)
    return c.redirect(`/admin?office=${member.officeId}`, 303)
  })

  for (const [action, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    app.post(`/admin/staff/:id/${action}`, manage, async (c) => {
      const { member, error } = await otherStaff(c)
      if (error) return error
      const { database, clock } = c.var.deps
      await database.write(async (tx) => {
        await setStaffDisabled({ tx, input: { staffId: member.id, disabled }, now: clock.now() })
        await auditChange(tx, c, `staff.${action}d`, member.id, { username: member.username })
      })
      if (disabled) closeAccountSockets(c.var.deps.live, member.id)
      return c.redirect(`/admin?office=${member.officeId}`, 303)
    })

    app.post(`/admin/brokers/:id/${action}`, manage, async (c) => {
      const { database, clock } = c.var.deps
      const broker = await getBroker(database.db, c.req.param('id'))
      if (!broker || !(await inReach(c, broker.officeId))) return badRequest(c, 'not-found', 404)
      await database.write(async (tx) => {
        await setBrokerDisabled({ tx, input: { brokerId: broker.id, disabled }, now: clock.now() })
        await auditChange(tx, c, `broker.${action}d`, broker.id, { username: broker.username })
      })
      return c.redirect(`/admin?office=${broker.officeId}`, 303)
    })
  }

  app.post('/admin/staff/:id/reset-password', manage, async (c) => {
    const { member, error } = await otherStaff(c)
    if (error) return error
    const { database, clock } = c.var.deps
    const password = generatePassword()
    await database.write(async (tx) => {
      await resetStaffPassword({ tx, input: { staffId: member.id, password }, now: clock.now() })
      await auditChange(tx, c, 'staff.password-reset', member.id, { username: member.username })
    })
    closeAccountSockets(c.var.deps.live, member.id)
    return showPassword(c, member.username, password, member.officeId)
  })

  app.post('/admin/brokers', manage, async (c) => {
    const parsed = brokerForm.safeParse(await formFields(c))
    if (!parsed.success) return invalidInput(c, parsed.error)
    const { database, clock } = c.var.deps
    if (!(await inReach(c, parsed.data.officeId))) return badRequest(c, 'not-found', 404)
    const password = generatePassword()
    try {
      await database.write(async (tx) => {
        const id = await createBroker({ tx, input: { ...parsed.data, password }, now: clock.now() })
        await markBrokerMustChangePassword(tx, id)
        await auditChange(tx, c, 'broker.created', id, { username: parsed.data.username })
      })
    } catch (error) {
      if (error instanceof UsernameTaken) return badRequest(c, 'invalid-input', 409, ['username: taken'])
      throw error
    }
    return showPassword(c, parsed.data.username, password, parsed.data.officeId)
  })

  return app
}
