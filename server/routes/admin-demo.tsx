// Admin: remove the demo office and everything of it in one audited action, after a typed confirmation.
import { Hono } from 'hono'
import { count, eq, inArray } from 'drizzle-orm'
import { z } from 'zod'
import type { AppEnv } from '../context.ts'
import { badRequest, invalidInput } from '../respond.tsx'
import { requirePermission } from '../middleware/require-permission.ts'
import { formFields, officer } from './console.ts'
import { demoOfficeIds } from '../../models/demo/office.ts'
import { removeDemo } from '../../models/demo/remove.ts'
import { offices } from '../../models/offices.ts'
import { staff, brokers } from '../../models/staff.ts'
import { visits } from '../../models/visits.ts'
import { DemoRemovalPage, demoConfirmWord } from '../../views/admin-demo.tsx'

const confirmInput = z.object({
  confirm: z
    .string()
    .trim()
    .refine((v) => v.toUpperCase() === demoConfirmWord, `confirm: type ${demoConfirmWord}`),
})

export function adminDemoRoutes() {
  const app = new Hono<AppEnv>()
  const manage = requirePermission({ permission: 'admin:manage' })

  app.get('/admin/demo', manage, async (c) => {
    const { db } = c.var.deps.database
    const demo = await demoOfficeIds(db)
    if (demo.all.length === 0) return badRequest(c, 'not-found', 404)
    const n = async (table: typeof staff | typeof brokers | typeof visits) =>
      (await db.select({ n: count() }).from(table).where(inArray(table.officeId, demo.all)))[0]?.n ?? 0
    const names = await db.select({ name: offices.name }).from(offices).where(eq(offices.demo, true))
    return c.html(
      <DemoRemovalPage
        lang={c.var.lang}
        csrfToken={c.var.csrfToken}
        account={officer(c)}
        summary={{
          offices: names.map((o) => o.name),
          staff: await n(staff),
          brokers: await n(brokers),
          visits: await n(visits),
          adminMoves: demo.all.includes(officer(c).officeId),
        }}
      />,
    )
  })

  app.post('/admin/demo/remove', manage, async (c) => {
    const parsed = confirmInput.safeParse(await formFields(c))
    if (!parsed.success) return invalidInput(c, parsed.error)
    const { database, clock } = c.var.deps
    const removed = await database.write((tx) => removeDemo({ tx, actorId: officer(c).id, now: clock.now() }))
    if (!removed) return badRequest(c, 'not-found', 404)
    return c.redirect('/admin', 303)
  })
  return app
}
