// Broker portal routes (/agent): a broker's own referrals only; registering one returns its signed QR.
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../context.ts'
import { requirePermission } from '../middleware/require-permission.ts'
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
import { AgentPage, ReferralSharePage, BrokerScanPage } from '../../views/agent.tsx'
import { currentRules } from '../../models/channel-rules.ts'
import { rulesInWords } from '../../views/rules-text.ts'
import {
  appealInput,
  fileAppeal,
  AppealRefused,
  appealOfReferral,
  confirmBrokerPresent,
  confirmableReferrals,
} from '../../models/appeals.ts'
import { verifyToken } from '../tokens.ts'
import { refuseToken, checkinFormGraceMs } from './checkin.tsx'

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

async function renderAgentPage(c: Context<AppEnv>, error?: 'badPhone') {
  const account = c.var.account!
  const { database, clock } = c.var.deps
  const office = (await getOffice(database.db, account.officeId))!
  const list = await listBrokerReferrals(database.db, account.id, clock.now())
  const rules = await currentRules(database.db, account.officeId)
  return c.html(
    <AgentPage
      lang={c.var.lang}
      csrfToken={c.var.csrfToken}
      account={account}
      timeZone={office.timeZone}
      list={list}
      rules={rulesInWords(c.var.lang, rules.body, rules.version)}
      error={error}
    />,
    error ? 400 : 200,
  )
}

export function agentRoutes() {
  const app = new Hono<AppEnv>()
  const own = requirePermission({ permission: 'referrals:own' })

  app.get('/agent', own, (c) => renderAgentPage(c))

  app.post('/agent/referrals', own, rateLimit({ name: 'referral', max: 60 }), async (c) => {
    const account = c.var.account!
    const { database, clock, keys, events } = c.var.deps
    const parsed = referralInput.safeParse(await c.req.parseBody())
    if (!parsed.success) return invalidInput(c, parsed.error)
    const office = (await getOffice(database.db, account.officeId))!
    let phone = null
    if (parsed.data.phone) {
      const normalised = normalisePhone(parsed.data.phone)
      if (!normalised) return renderAgentPage(c, 'badPhone')
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

  app.get('/agent/referrals/:id', own, async (c) => {
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
        appeal={await appealOfReferral(database.db, referral.id)}
      />,
    )
  })
  app.post('/agent/referrals/:id/appeal', own, rateLimit({ name: 'appeal', max: 30 }), async (c) => {
    const account = c.var.account!
    const { database, clock, events } = c.var.deps
    const parsed = appealInput.safeParse(await c.req.parseBody())
    if (!parsed.success) return invalidInput(c, parsed.error)
    const now = clock.now()
    try {
      const appeal = await database.write(async (tx) => {
        const appeal = await fileAppeal({
          tx,
          input: { referralId: c.req.param('id'), brokerId: account.id, reason: parsed.data.reason },
          now,
        })
        await appendAudit(tx, {
          at: now,
          officeId: appeal.officeId,
          actorType: 'broker',
          actorId: account.id,
          action: 'appeal.filed',
          target: c.req.param('id'),
        })
        return appeal
      })
      events?.emit({
        type: 'referral.changed',
        officeId: appeal.officeId,
        referralId: c.req.param('id'),
        brokerId: account.id,
      })
    } catch (error) {
      if (error instanceof AppealRefused) {
        return error.message === 'not-yours'
          ? badRequest(c, 'not-found', 404)
          : badRequest(c, 'invalid-input', 409, [error.message])
      }
      throw error
    }
    return c.redirect(`/agent/referrals/${c.req.param('id')}`, 303)
  })

  // 到访确认: the broker scanned the entrance QR (presence) and names the client they came with
  app.post('/agent/present', own, rateLimit({ name: 'present', max: 30 }), async (c) => {
    const account = c.var.account!
    const { database, clock, keys } = c.var.deps
    const parsed = presentInput.safeParse(await c.req.parseBody())
    if (!parsed.success) return invalidInput(c, parsed.error)
    const now = clock.now()
    const proof = await verifyToken(keys, 'entrance', parsed.data.t, now - checkinFormGraceMs)
    if (!proof.ok || proof.claims.office !== account.officeId)
      return refuseToken(c, 'entrance', proof.ok ? 'malformed' : proof.failure)
    const referral = await database.write(async (tx) => {
      const referral = await confirmBrokerPresent({
        tx,
        input: { referralId: parsed.data.referral, brokerId: account.id },
        now,
      })
      if (referral) {
        await appendAudit(tx, {
          at: now,
          officeId: account.officeId,
          actorType: 'broker',
          actorId: account.id,
          action: 'referral.broker-present',
          target: referral.id,
          detail: { station: proof.claims.station },
        })
      }
      return referral
    })
    if (!referral) return badRequest(c, 'not-found', 404)
    return renderBrokerScan(c, parsed.data.t, true)
  })
  return app
}

const presentInput = z.object({ t: z.string().min(1).max(4096), referral: z.string().min(1).max(64) })

export async function renderBrokerScan(c: Context<AppEnv>, token: string, confirmed = false) {
  const account = c.var.account!
  const { database, clock } = c.var.deps
  const office = (await getOffice(database.db, account.officeId))!
  const list = await confirmableReferrals(database.db, account.id, clock.now())
  return c.html(
    <BrokerScanPage
      lang={c.var.lang}
      csrfToken={c.var.csrfToken}
      account={account}
      timeZone={office.timeZone}
      token={token}
      list={list}
      confirmed={confirmed}
    />,
  )
}
