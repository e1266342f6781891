// Broker portal routes (/agent): a broker's own referrals only; registering one returns its signed QR.
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../context.ts'
import { requireRole } from '../middleware/require-role.ts'
import { rateLimit } from '../middleware/rate-limit.ts'
import {
  createReferral,
  listBrokerReferrals,
  getReferral,
  withRulingDetails,
} from '../../models/referrals.ts'
import { getOffice } from '../../models/offices.ts'
import { normalisePhone, protectPhone } from '../../models/phone.ts'
import { appendAudit } from '../../models/audit.ts'
import { signToken } from '../tokens.ts'
import { qrSvg } from '../qr.ts'
import { badRequest, invalidInput } from '../respond.tsx'
import { AgentPage, ReferralSharePage } from '../../views/agent.tsx'

const referralInput = z.object({
  clientLabel: z.string().trim().max(40).default(''),
  phone: z.string().trim().max(20).default(''),
})

async function referralLink(
  c: Context<AppEnv>,
  referral: { id: string; officeId: string; brokerId: string; expiresAt: number },
) {
  const { keys, clock } = c.var.deps
  const { token } = await signToken(
    keys,
    'referral',
    { office: referral.officeId, broker: referral.brokerId, referral: referral.id },
    { now: clock.now(), expiresAt: referral.expiresAt },
  )
  return `${new URL(c.req.url).origin}/r/${token}`
}

export function agentRoutes() {
  const app = new Hono<AppEnv>()
  app.use('/agent', requireRole({ role: 'broker' }))
  app.use('/agent/*', requireRole({ role: 'broker' }))

  app.get('/agent', async (c) => {
    const account = c.var.account!
    const { database, clock } = c.var.deps
    const office = (await getOffice(database.db, account.officeId))!
    const list = await listBrokerReferrals(database.db, account.id, clock.now())
    return c.html(
      <AgentPage
        lang={c.var.lang}
        csrfToken={c.var.csrfToken}
        account={account}
        timeZone={office.timeZone}
        list={list}
      />,
    )
  })

  app.post('/agent/referrals', rateLimit({ name: 'referral', max: 60 }), async (c) => {
    const account = c.var.account!
    const { database, clock, keys, events } = c.var.deps
    const parsed = referralInput.safeParse(await c.req.parseBody())
    if (!parsed.success) return invalidInput(c, parsed.error)
    const office = (await getOffice(database.db, account.officeId))!
    let phone = null
    if (parsed.data.phone) {
      const normalised = normalisePhone(parsed.data.phone)
      if (!normalised) {
        const list = await listBrokerReferrals(database.db, account.id, clock.now())
        return c.html(
          <AgentPage
            lang={c.var.lang}
            csrfToken={c.var.csrfToken}
            account={account}
            timeZone={office.timeZone}
            list={list}
            error="badPhone"
          />,
          400,
        )
      }
      phone = await protectPhone(keys.phone, normalised)
    }
    const now = clock.now()
    const created = await database.write(async (tx) => {
      const created = await createReferral({
        tx,
        input: { officeId: account.officeId, brokerId: account.id, clientLabel: parsed.data.clientLabel },
        phone,
        now,
      })
      await appendAudit(tx, {
        at: now,
        officeId: account.officeId,
        actorType: 'broker',
        actorId: account.id,
        action: 'referral.created',
        target: created.id,
        detail: { status: created.status },
      })
      return created
    })
    events?.emit({
      type: 'referral.changed',
      officeId: account.officeId,
      referralId: created.id,
      brokerId: account.id,
    })
    return c.redirect(`/agent/referrals/${created.id}`, 303)
  })

  app.get('/agent/referrals/:id', async (c) => {
    const account = c.var.account!
    const { database, clock } = c.var.deps
    const referral = await getReferral(database.db, c.req.param('id'))
    // a broker sees only their own referrals; another's id reads as not found
    if (!referral || referral.brokerId !== account.id) return badRequest(c, 'not-found', 404)
    const office = (await getOffice(database.db, referral.officeId))!
    const [shown] = (await listBrokerReferrals(database.db, account.id, clock.now())).filter(
      (r) => r.id === referral.id,
    )
    const url = await referralLink(c, referral)
    return c.html(
      <ReferralSharePage
        lang={c.var.lang}
        csrfToken={c.var.csrfToken}
        account={account}
        timeZone={office.timeZone}
        referral={shown!}
        url={url}
        qr={await qrSvg(url)}
      />,
    )
  })
  return app
}
