// Helpers shared by the privacy and admin consoles: the signed-in account, form fields, and audited changes.
import type { AppContext, SignedIn } from '../context.ts'
import { appendAudit } from '../../models/audit.ts'
import type { Db, Tx } from '../../models/db.ts'
import { sameDeveloper } from '../../models/developers.ts'

// the signed-in officer (the route's requirePermission has already let only its permission holders through)
export function officer(c: AppContext): SignedIn {
  return c.var.account!
}

// every change an officer or admin makes is written to the audit log in the same transaction (a read or an export,
// alone: on the database itself)
export async function auditChange(
  tx: Db | Tx,
  c: AppContext,
  action: string,
  target: string | null,
  detail: Record<string, unknown> = {},
) {
  const account = officer(c)
  await appendAudit(tx, {
    at: c.var.deps.clock.now(),
    officeId: account.officeId,
    actorType: 'staff',
    actorId: account.id,
    action,
    target,
    detail,
  })
}

export async function formFields(c: AppContext): Promise<Record<string, string>> {
  const form = await c.req.parseBody()
  return Object.fromEntries(Object.entries(form).filter(([, v]) => typeof v === 'string')) as Record<
    string,
    string
  >
}

// an admin manages the offices of their own developer (开发商) and no other: the rest of the database is
// answered as if it did not exist
export async function inReach(c: AppContext, officeId: string | null | undefined): Promise<boolean> {
  return !!officeId && sameDeveloper(c.var.deps.database.db, officer(c).officeId, officeId)
}
