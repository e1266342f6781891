// Visitor consent: the notice, the separate choice, the receipt and its one-step withdrawal.
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../context.ts'
import { currentNotice, grantConsent, withdrawConsent, getConsent, notices } from '../../models/consents.ts'
import type { NoticeBody } from '../../models/notice-defaults.ts'
import { getOffice, listOffices } from '../../models/offices.ts'
import { appendAudit } from '../../models/audit.ts'
import { readVisitPass } from '../visit-pass.ts'
import { issueReceipt, readReceipt, signedReceipt, type ReceiptFacts } from '../receipts.ts'
import { rateLimit } from '../middleware/rate-limit.ts'
import { badRequest, invalidInput } from '../respond.tsx'
import { refuseToken } from './checkin.tsx'
import { qrSvg } from '../qr.ts'
import { publicLink } from '../public-origin.ts'
import { NoticePage, ConsentPage, NeedPassPage, ReceiptPage } from '../../views/consent.tsx'
import { eq } from 'drizzle-orm'

const choiceInput = z.object({ choice: z.enum(['agree', 'decline']), notice: z.string().min(1).max(64) })

export function consentRoutes() {
  const app = new Hono<AppEnv>()

  app.get('/notice', async (c) => {
    const { database } = c.var.deps
    const pass = await readVisitPass(c)
    const officeId = c.req.query('office') ?? pass?.officeId ?? (await listOffices(database.db))[0]?.id
    const notice = officeId ? await currentNotice(database.db, officeId, c.var.lang) : null
    if (!notice) return badRequest(c, 'not-found', 404)
    return c.html(<NoticePage lang={c.var.lang} csrfToken={c.var.csrfToken} notice={notice} />)
  })

  app.get('/consent', async (c) => {
    const pass = await readVisitPass(c)
    if (!pass) return c.html(<NeedPassPage lang={c.var.lang} csrfToken={c.var.csrfToken} />, 401)
    const notice = await currentNotice(c.var.deps.database.db, pass.officeId, c.var.lang)
    if (!notice) return badRequest(c, 'not-found', 404)
    return c.html(<ConsentPage lang={c.var.lang} csrfToken={c.var.csrfToken} notice={notice} />)
  })

  app.post('/consent', rateLimit({ name: 'consent', max: 60 }), async (c) => {
    const { database, clock, events } = c.var.deps
    const pass = await readVisitPass(c)
    if (!pass) return c.html(<NeedPassPage lang={c.var.lang} csrfToken={c.var.csrfToken} />, 401)
    const parsed = choiceInput.safeParse(await c.req.parseBody())
    if (!parsed.success) return invalidInput(c, parsed.error)
    // consent is tied to the exact notice the page showed, which must be one of this office's versions
    const [shown] = await database.db.select().from(notices).where(eq(notices.id, parsed.data.notice))
    if (!shown || shown.officeId !== pass.officeId)
      return badRequest(c, 'invalid-input', 400, ['notice: unknown version'])
    const now = clock.now()
    if (parsed.data.choice === 'decline') {
      await appendAudit(database.db, {
        at: now,
        officeId: pass.officeId,
        actorType: 'visitor',
        action: 'consent.declined',
        target: pass.visitId,
        detail: { notice: shown.sha256 },
      })
      const notice = { ...shown, body: JSON.parse(shown.body) as NoticeBody }
      return c.html(<ConsentPage lang={c.var.lang} csrfToken={c.var.csrfToken} notice={notice} declined />)
    }
    const consent = await database.write(async (tx) => {
      const consent = await grantConsent({
        tx,
        input: { officeId: pass.officeId, visitId: pass.visitId, noticeId: shown.id, givenAt: 'phone' },
        now,
      })
      await appendAudit(tx, {
        at: now,
        officeId: pass.officeId,
        actorType: 'visitor',
        action: 'consent.granted',
        target: consent.id,
        detail: { notice: shown.sha256, version: shown.version, lang: shown.lang },
      })
      return consent
    })
    events?.emit({
      type: 'consent.changed',
      officeId: pass.officeId,
      consentId: consent.id,
      visitId: pass.visitId,
      granted: true,
    })
    const token = await issueReceipt(c.var.deps, consent)
    return c.redirect(`/receipt/${token}`, 303)
  })

  app.get('/receipt/:token', async (c) => {
    const receipt = await readReceipt(c.var.deps, c.req.param('token'))
    if (!receipt.ok) return refuseToken(c, 'receipt', receipt.failure)
    return renderReceipt(c, c.req.param('token'), receipt.consentId, false)
  })

  // the signed Kantara receipt, one click away from the page its QR opens (the QR itself carries only the link)
  app.get('/receipt/:token/receipt.jwt', async (c) => {
    const token = c.req.param('token')
    const receipt = await readReceipt(c.var.deps, token)
    if (!receipt.ok) return refuseToken(c, 'receipt', receipt.failure)
    const facts = await receiptFacts(c, token, receipt.consentId)
    if (!facts) return badRequest(c, 'not-found', 404)
    c.header('Content-Type', 'application/jwt')
    c.header('Content-Disposition', `attachment; filename="consent-receipt-${receipt.consentId}.jwt"`)
    c.header('Cache-Control', 'no-store')
    return c.body(await signedReceipt(c.var.deps, facts))
  })

  app.post('/receipt/:token/withdraw', rateLimit({ name: 'withdraw', max: 60 }), async (c) => {
    const { database, clock, events } = c.var.deps
    const token = c.req.param('token')
    const receipt = await readReceipt(c.var.deps, token)
    if (!receipt.ok) return refuseToken(c, 'receipt', receipt.failure)
    const now = clock.now()
    const outcome = await database.write(async (tx) => {
      const outcome = await withdrawConsent({ tx, consentId: receipt.consentId, now })
      if (outcome && !outcome.alreadyWithdrawn) {
        await appendAudit(tx, {
          at: now,
          officeId: outcome.consent.officeId,
          actorType: 'visitor',
          action: 'consent.withdrawn',
          target: receipt.consentId,
          detail: { sessionsDeleted: outcome.sessionsDeleted },
        })
      }
      return outcome
    })
    if (!outcome) return badRequest(c, 'not-found', 404)
    events?.emit({
      type: 'consent.changed',
      officeId: outcome.consent.officeId,
      consentId: receipt.consentId,
      visitId: outcome.consent.visitId,
      granted: false,
    })
    return renderReceipt(c, token, receipt.consentId, true)
  })
  return app
}

async function renderReceipt(c: Context<AppEnv>, token: string, consentId: string, justWithdrawn: boolean) {
  const { database } = c.var.deps
  const consent = await getConsent(database.db, consentId)
  if (!consent) return badRequest(c, 'not-found', 404)
  const office = (await getOffice(database.db, consent.officeId))!
  const [shown] = await database.db.select().from(notices).where(eq(notices.id, consent.noticeId))
  const body = JSON.parse(shown!.body) as NoticeBody
  const qr = await qrSvg(publicLink(c, `/receipt/${token}`))
  return c.html(
    <ReceiptPage
      lang={c.var.lang}
      csrfToken={c.var.csrfToken}
      token={token}
      qr={qr}
      justWithdrawn={justWithdrawn}
      receipt={{
        id: consent.id,
        grantedAt: consent.grantedAt,
        withdrawnAt: consent.withdrawnAt,
        noticeSha256: consent.noticeSha256,
        processorName: body.processorName,
        processorContact: body.processorContact,
        purpose: body.purpose,
        dataKinds: body.dataKinds,
        timeZone: office.timeZone,
      }}
    />,
  )
}

async function receiptFacts(
  c: Context<AppEnv>,
  token: string,
  consentId: string,
): Promise<ReceiptFacts | null> {
  const { database } = c.var.deps
  const consent = await getConsent(database.db, consentId)
  if (!consent) return null
  const office = (await getOffice(database.db, consent.officeId))!
  const [shown] = await database.db.select().from(notices).where(eq(notices.id, consent.noticeId))
  return {
    consent,
    notice: { lang: shown!.lang, version: shown!.version, body: JSON.parse(shown!.body) as NoticeBody },
    office,
    policyUrl: publicLink(c, `/notice?office=${office.id}&lang=${shown!.lang}`),
    withdrawUrl: publicLink(c, `/receipt/${token}`),
  }
}
