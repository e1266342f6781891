// Arrival: entrance screen, phone check-in with an entrance token, the visit pass, and the broker's referral link.
import { Hono, type Context } from 'hono'
import { getCookie, setCookie, deleteCookie } from 'hono/cookie'
import { z } from 'zod'
import type { AppEnv } from '../context.ts'
import { getOffice, getStation } from '../../models/offices.ts'
import { currentNotice } from '../../models/consents.ts'
import { checkInVisit, getVisit } from '../../models/visits.ts'
import { getReferral } from '../../models/referrals.ts'
import { announceReturn } from '../../models/ownership-queue.ts'
import { findActiveBroker } from '../../models/staff.ts'
import { normalisePhone, protectPhone } from '../../models/phone.ts'
import { appendAudit } from '../../models/audit.ts'
import { endOfLocalDay, localDay } from '../../models/time.ts'
import type { TokenFailure, TokenType } from '../tokens.ts'
import {
  entryBindingMs,
  openEntranceCode,
  readEntryBinding,
  redeemEntryBinding,
  type EntryFailure,
} from '../entrance-codes.ts'
import { issueVisitPass, readVisitPass } from '../visit-pass.ts'
import { readReferralLink } from '../referral-links.ts'
import { rateLimit } from '../middleware/rate-limit.ts'
import { badRequest } from '../respond.tsx'
import { qrSvg } from '../qr.ts'
import { publicLink } from '../public-origin.ts'
import { EntrancePage, CheckinPage, PassPage, ReferralLanding, StaffScanPage } from '../../views/checkin.tsx'
import { renderBrokerScan } from './agent.tsx'

export const referralCookie = 'sr_referral'
// time a visitor may take to fill the form after opening a (60 s) entrance code
export const checkinFormGraceMs = entryBindingMs

const checkinInput = z.object({
  t: z.string().min(1).max(4096),
  phone: z.string().trim().max(20).default(''),
})

// a refused token: audited (no token text, only its kind and why), then a page telling the visitor what to do
export async function refuseToken(
  c: Context<AppEnv>,
  typ: TokenType,
  failure: TokenFailure | EntryFailure | 'used',
) {
  await appendAudit(c.var.deps.database.db, {
    at: c.var.deps.clock.now(),
    actorType: 'anonymous',
    action: 'token.rejected',
    target: typ,
    detail: { failure, path: c.req.routePath },
  })
  return badRequest(c, 'token', 400)
}

async function openedReferral(c: Context<AppEnv>) {
  const token = getCookie(c, referralCookie)
  if (!token) return null
  const result = await readReferralLink(c.var.deps, token)
  if (!result.ok) return null
  const { referral } = result
  const broker = await findActiveBroker(c.var.deps.database.db, referral.brokerId)
  return { referral, broker }
}

export function checkinRoutes() {
  const app = new Hono<AppEnv>()

  app.get('/entrance/:stationId', async (c) => {
    const { database } = c.var.deps
    const station = await getStation(database.db, c.req.param('stationId'))
    if (!station || station.kind !== 'entrance') return badRequest(c, 'not-found', 404)
    const office = (await getOffice(database.db, station.officeId))!
    const notice = await currentNotice(database.db, office.id, c.var.lang)
    return c.html(
      <EntrancePage
        lang={c.var.lang}
        csrfToken={c.var.csrfToken}
        stationId={station.id}
        office={office}
        notice={notice?.body ?? null}
      />,
    )
  })

  app.get('/checkin', async (c) => {
    const { clock, database } = c.var.deps
    const token = c.req.query('t') ?? ''
    // opening a still-valid code binds this browser to it: only this browser's form can use it, for a few minutes
    const opened = await openEntranceCode(c, token)
    if (!opened.ok) return refuseToken(c, 'entrance', opened.failure)
    const office = await getOffice(database.db, opened.code.officeId)
    if (!office) return refuseToken(c, 'entrance', 'malformed')
    // staff and brokers are never counted as visitors: a broker's scan is an arrival confirmation instead
    if (c.var.account?.kind === 'broker') return renderBrokerScan(c, token)
    if (c.var.account) return c.html(<StaffScanPage lang={c.var.lang} csrfToken={c.var.csrfToken} />)
    // a second scan today from a phone that already has a pass shows the same visit
    const pass = await readVisitPass(c)
    if (pass && pass.officeId === office.id) {
      const visit = await getVisit(database.db, pass.visitId)
      if (visit && visit.day === localDay(clock.now(), office.timeZone)) {
        return c.redirect('/pass', 303)
      }
    }
    const referral = await openedReferral(c)
    const broker = referral?.broker
      ? { name: referral.broker.displayName, company: referral.broker.company }
      : null
    return c.html(
      <CheckinPage
        lang={c.var.lang}
        csrfToken={c.var.csrfToken}
        token={token}
        office={office}
        broker={broker}
      />,
    )
  })

  app.post('/checkin', rateLimit({ name: 'checkin', max: 120 }), async (c) => {
    const { keys, clock, database, events } = c.var.deps
    const parsed = checkinInput.safeParse(await c.req.parseBody())
    if (!parsed.success) return refuseToken(c, 'entrance', 'malformed')
    if (c.var.account) return c.html(<StaffScanPage lang={c.var.lang} csrfToken={c.var.csrfToken} />, 409)
    const now = clock.now()
    // the code proved presence to the browser that opened it; the form may come a few minutes after it rotated away
    const entry = await readEntryBinding(c, parsed.data.t)
    if (!entry.ok) return refuseToken(c, 'entrance', entry.failure)
    const { code } = entry.binding
    const office = await getOffice(database.db, code.officeId)
    const station = await getStation(database.db, code.stationId)
    if (!office || !station || station.officeId !== office.id) return refuseToken(c, 'entrance', 'malformed')

    let phone = null
    if (parsed.data.phone) {
      const normalised = normalisePhone(parsed.data.phone)
      if (!normalised) {
        const opened = await openedReferral(c)
        const broker = opened?.broker
          ? { name: opened.broker.displayName, company: opened.broker.company }
          : null
        return c.html(
          <CheckinPage
            lang={c.var.lang}
            csrfToken={c.var.csrfToken}
            token={parsed.data.t}
            office={office}
            broker={broker}
            error="badPhone"
            phone={parsed.data.phone}
          />,
          400,
        )
      }
      phone = await protectPhone(keys.phone, normalised)
    }
    const pass = await readVisitPass(c)
    const ownPass = pass?.officeId === office.id ? pass : null
    const opened = await openedReferral(c)
    const checkedIn = await database.write(async (tx) => {
      const redeemed = await redeemEntryBinding(tx, entry.binding, { now, countsAsCheckin: true })
      if (!redeemed.ok) return redeemed
      const outcome = await checkInVisit({
        tx,
        input: {
          officeId: office.id,
          stationId: station.id,
          passVisitId: ownPass?.visitId ?? null,
          passVisitorId: ownPass?.visitorId ?? null,
          // linked server-side to earlier visits of the number; nothing on the page says whether it was
          phone,
          // checkInVisit honours it only from this office or another office of the same developer
          referralId: opened?.referral.id ?? null,
        },
        now,
      })
      await appendAudit(tx, {
        at: now,
        officeId: office.id,
        actorType: 'visitor',
        action: 'entrance.checkin',
        target: code.id,
        detail: { station: station.id, checkins: redeemed.checkins, visit: outcome.visit.id },
      })
      // a returning client's owner is told: written with the check-in, so it cannot be lost after the commit
      const announced = outcome.created ? await announceReturn(tx, outcome.visit) : 0
      return { ok: true as const, outcome, announced }
    })
    if (!checkedIn.ok) return refuseToken(c, 'entrance', checkedIn.failure)
    const { outcome } = checkedIn
    if (checkedIn.announced) c.var.deps.notifier?.wake()
    if (outcome.attribution?.reason === 'referral-used') {
      await appendAudit(database.db, {
        at: now,
        officeId: office.id,
        actorType: 'visitor',
        action: 'token.rejected',
        target: 'referral',
        detail: { failure: 'used', referral: opened?.referral.id },
      })
    }
    await issueVisitPass(
      c,
      {
        visitId: outcome.visit.id,
        visitorId: outcome.visitorId,
        officeId: office.id,
        // the referral this browser opened itself: the only attribution its pages may describe
        referralId: outcome.created ? (opened?.referral.id ?? null) : (ownPass?.referralId ?? null),
      },
      endOfLocalDay(now, office.timeZone),
    )
    deleteCookie(c, referralCookie, { path: '/' })
    if (outcome.created) {
      events?.emit({ type: 'visit.checked-in', officeId: office.id, visitId: outcome.visit.id })
      for (const ruling of outcome.attribution.rulings) {
        const referral = await getReferral(database.db, ruling.referralId)
        if (referral)
          events?.emit({
            type: 'referral.changed',
            // the referral's own office: it may be another office of the same developer
            officeId: referral.officeId,
            referralId: referral.id,
            brokerId: referral.brokerId,
          })
      }
    }
    return c.redirect('/pass', 303)
  })

  app.get('/pass', async (c) => {
    const { database } = c.var.deps
    const pass = await readVisitPass(c)
    const visit = pass ? await getVisit(database.db, pass.visitId) : null
    if (!pass || !visit) return badRequest(c, 'token', 400)
    const office = (await getOffice(database.db, visit.officeId))!
    const broker = visit.brokerId ? await findActiveBroker(database.db, visit.brokerId) : null
    const referral = visit.referralId ? await getReferral(database.db, visit.referralId) : null
    const referralOffice =
      referral && referral.officeId !== office.id ? await getOffice(database.db, referral.officeId) : null
    const qr = await qrSvg(publicLink(c, `/visits/${visit.id}`))
    return c.html(
      <PassPage
        lang={c.var.lang}
        csrfToken={c.var.csrfToken}
        office={office}
        visit={{
          ...visit,
          brokerName: broker?.displayName ?? null,
          referralOffice,
          ownReferral: !!visit.referralId && visit.referralId === pass.referralId,
        }}
        qr={qr}
      />,
    )
  })

  app.get('/r/:token', async (c) => {
    const { clock, database, config } = c.var.deps
    const token = c.req.param('token')
    const result = await readReferralLink(c.var.deps, token)
    if (!result.ok) return refuseToken(c, 'referral', result.failure)
    const { referral } = result
    const broker = await findActiveBroker(database.db, referral.brokerId)
    const office = await getOffice(database.db, referral.officeId)
    if (!broker || !office) return refuseToken(c, 'referral', 'malformed')
    const used = referral.visitId !== null
    await appendAudit(database.db, {
      at: clock.now(),
      officeId: referral.officeId,
      actorType: 'visitor',
      action: 'referral.opened',
      target: referral.id,
    })
    if (!used) {
      setCookie(c, referralCookie, token, {
        httpOnly: true,
        sameSite: 'Lax',
        secure: config.secureCookies,
        path: '/',
        expires: new Date(referral.expiresAt),
      })
    }
    return c.html(
      <ReferralLanding
        lang={c.var.lang}
        csrfToken={c.var.csrfToken}
        office={office}
        broker={{ name: broker.displayName, company: broker.company }}
        referral={{ createdAt: referral.createdAt, expiresAt: referral.expiresAt, used }}
      />,
    )
  })
  return app
}
