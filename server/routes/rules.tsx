// Manager routes (/rules): channel rules, appeals and their final decisions, commission report; desk confirmation.
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../context.ts'
import { requirePermission } from '../middleware/require-permission.ts'
import { currentRules, saveRules, ruleBody } from '../../models/channel-rules.ts'
import {
  listAppeals,
  evidenceTimeline,
  decideAppeal,
  deskConfirm,
  AppealRefused,
  decisionInput,
} from '../../models/appeals.ts'
import { commissionReport } from '../../models/commission.ts'
import { getReferral, withRulingDetails } from '../../models/referrals.ts'
import { getOffice } from '../../models/offices.ts'
import { developerOffices } from '../../models/developers.ts'
import { inReach } from './console.ts'
import { can } from '../permissions.ts'
import { appendAudit } from '../../models/audit.ts'
import { localDay, startOfLocalDay, endOfLocalDay } from '../../models/time.ts'
import { periodIssue } from '../../models/report-period.ts'
import { badRequest, describeIssues } from '../respond.tsx'
import { csvFile } from '../csv.ts'
import { RulesPage, AppealsPage, AppealPage, CommissionPage } from '../../views/rules.tsx'
import { appeals } from '../../models/channel-rules.ts'
import { findActiveBroker } from '../../models/staff.ts'
import { eq } from 'drizzle-orm'

const rulesForm = z.object({
  minAdvanceMinutes: z.coerce.number().int().min(0).max(10080),
  windowFrom: z
    .string()
    .trim()
    .transform((v) => v || null),
  windowTo: z
    .string()
    .trim()
    .transform((v) => v || null),
  protection: z.string(),
  dailyCap: z
    .string()
    .trim()
    .transform((v) => (v ? Number(v) : null)),
  arrivalProof: z.string(),
})

// overturning would take the client from a broker of another office of the developer
const otherOfficeRefusal = {
  'zh-CN': '胜出的报备属于同一开发商的另一案场：本案场经理不能改判，由开发商管理员决定；可维持原判。',
  en: "The winning registration belongs to another office of the developer: this office cannot overturn it; the developer's admin decides. You may uphold the ruling.",
} as const

// the developer's admin (not an office's manager) decides for every office of the developer
const developerWide = (c: Context<AppEnv>) => can(c.var.account, 'appeals:any-office')

// a manager decides the appeals of their own office; the developer's admin those of every office of it
async function appealInReach(c: Context<AppEnv>, id: string) {
  const [appeal] = await c.var.deps.database.db.select().from(appeals).where(eq(appeals.id, id))
  if (!appeal) return null
  if (appeal.officeId === c.var.account!.officeId) return appeal
  return developerWide(c) && (await inReach(c, appeal.officeId)) ? appeal : null
}

export function rulesRoutes() {
  const app = new Hono<AppEnv>()
  const manageRules = requirePermission({ permission: 'rules:manage' })
  const decideAppeals = requirePermission({ permission: 'appeals:decide' })
  const commission = requirePermission({ permission: 'commission:view' })

  app.get('/rules', manageRules, async (c) => {
    const account = c.var.account!
    const rules = await currentRules(c.var.deps.database.db, account.officeId)
    return c.html(
      <RulesPage
        lang={c.var.lang}
        csrfToken={c.var.csrfToken}
        account={account}
        rules={rules.body}
        version={rules.version}
      />,
    )
  })

  app.post('/rules', manageRules, async (c) => {
    const account = c.var.account!
    const { database, clock } = c.var.deps
    const form = rulesForm.safeParse(await c.req.parseBody())
    const body = form.success ? ruleBody.safeParse(form.data) : null
    if (!form.success || !body?.success) {
      const rules = await currentRules(database.db, account.officeId)
      const issues = !form.success ? describeIssues(form.error) : describeIssues(body!.error!)
      return c.html(
        <RulesPage
          lang={c.var.lang}
          csrfToken={c.var.csrfToken}
          account={account}
          rules={rules.body}
          version={rules.version}
          error={issues}
        />,
        400,
      )
    }
    const now = clock.now()
    await database.write(async (tx) => {
      const version = await saveRules({
        tx,
        input: { officeId: account.officeId, body: body.data, createdBy: account.id },
        now,
      })
      await appendAudit(tx, {
        at: now,
        officeId: account.officeId,
        actorType: 'staff',
        actorId: account.id,
        action: 'rules.saved',
        target: `v${version}`,
        detail: body.data,
      })
    })
    return c.redirect('/rules', 303)
  })

  app.get('/rules/appeals', decideAppeals, async (c) => {
    const account = c.var.account!
    const { database } = c.var.deps
    const office = (await getOffice(database.db, account.officeId))!
    const offices = developerWide(c) ? await developerOffices(database.db, account.officeId) : [office]
    const list = await listAppeals(
      database.db,
      offices.map((o) => o.id),
    )
    return c.html(
      <AppealsPage
        lang={c.var.lang}
        csrfToken={c.var.csrfToken}
        account={account}
        list={list}
        timeZone={office.timeZone}
        offices={offices}
      />,
    )
  })

  const renderAppeal = async (c: Context<AppEnv>, id: string, error?: string[]) => {
    const account = c.var.account!
    const { database, clock } = c.var.deps
    const appeal = await appealInReach(c, id)
    if (!appeal) return badRequest(c, 'not-found', 404)
    const office = (await getOffice(database.db, appeal.officeId))!
    const referral = (await getReferral(database.db, appeal.referralId))!
    const [detailed] = await withRulingDetails(database.db, [referral], clock.now())
    const broker = await findActiveBroker(database.db, appeal.brokerId)
    const evidence = await evidenceTimeline(database.db, referral.id)
    return c.html(
      <AppealPage
        lang={c.var.lang}
        csrfToken={c.var.csrfToken}
        account={account}
        timeZone={office.timeZone}
        appeal={appeal}
        broker={broker?.displayName ?? appeal.brokerId}
        referral={detailed!}
        evidence={evidence}
        error={error}
      />,
      error ? 400 : 200,
    )
  }

  app.get('/rules/appeals/:id', decideAppeals, (c) => renderAppeal(c, c.req.param('id')))

  app.post('/rules/appeals/:id/decide', decideAppeals, async (c) => {
    const account = c.var.account!
    const { database, clock, events } = c.var.deps
    const parsed = decisionInput.safeParse(await c.req.parseBody())
    if (!parsed.success) return renderAppeal(c, c.req.param('id'), describeIssues(parsed.error))
    const now = clock.now()
    const appeal = await appealInReach(c, c.req.param('id'))
    if (!appeal) return badRequest(c, 'not-found', 404)
    const officeId = appeal.officeId
    try {
      const outcome = await database.write(async (tx) => {
        const outcome = await decideAppeal({
          tx,
          input: {
            appealId: appeal.id,
            officeId,
            decidedBy: account.id,
            developerWide: developerWide(c),
            ...parsed.data,
          },
          now,
        })
        await appendAudit(tx, {
          at: now,
          officeId,
          actorType: 'staff',
          actorId: account.id,
          action: 'appeal.decided',
          target: outcome.appeal.referralId,
          detail: { appeal: outcome.appeal.id, decision: parsed.data.decision, reason: parsed.data.reason },
        })
        return outcome
      })
      for (const brokerId of outcome.affectedBrokers) {
        events?.emit({ type: 'referral.changed', officeId, referralId: outcome.appeal.referralId, brokerId })
      }
      if (outcome.visitId) events?.emit({ type: 'visit.updated', officeId, visitId: outcome.visitId })
    } catch (error) {
      if (error instanceof AppealRefused)
        return badRequest(
          c,
          error.message === 'not-found' ? 'not-found' : 'invalid-input',
          error.message === 'not-found' ? 404 : 409,
          [error.message === 'other-office' ? otherOfficeRefusal[c.var.lang] : error.message],
        )
      throw error
    }
    return c.redirect(`/rules/appeals/${c.req.param('id')}`, 303)
  })

  const period = async (c: Context<AppEnv>) => {
    const account = c.var.account!
    const { database, clock } = c.var.deps
    const office = (await getOffice(database.db, account.officeId))!
    const today = localDay(clock.now(), office.timeZone)
    const from = c.req.query('from') || `${today.slice(0, 8)}01`
    const to = c.req.query('to') || today
    // bounded like the reports: a malformed day or a runaway range is refused before any day arithmetic
    const issue = periodIssue(from, to)
    if (issue) return { refused: badRequest(c, 'invalid-input', 400, [issue]) } as const
    // whole local days: from 00:00 of `from` to 24:00 of `to`
    const start = startOfLocalDay(from, office.timeZone)
    const end = endOfLocalDay(startOfLocalDay(to, office.timeZone), office.timeZone)
    const rows = await commissionReport(database.db, { officeId: account.officeId, from: start, to: end })
    return { account, from, to, rows }
  }

  app.get('/rules/commission', commission, async (c) => {
    const result = await period(c)
    if ('refused' in result) return result.refused
    const { account, from, to, rows } = result
    return c.html(
      <CommissionPage
        lang={c.var.lang}
        csrfToken={c.var.csrfToken}
        account={account}
        rows={rows}
        from={from}
        to={to}
      />,
    )
  })

  app.get('/rules/commission.csv', commission, async (c) => {
    const result = await period(c)
    if ('refused' in result) return result.refused
    const { account, from, to, rows } = result
    const { database, clock } = c.var.deps
    await appendAudit(database.db, {
      at: clock.now(),
      officeId: account.officeId,
      actorType: 'staff',
      actorId: account.id,
      action: 'export.commission',
      detail: { from, to, rows: rows.length },
    })
    const columns = [
      'broker',
      'company',
      'registered',
      'valid',
      'disputed',
      'invalid',
      'overturned',
      'brokerPresent',
      'payable',
    ] as const
    const csv = csvFile({ header: columns, rows: rows.map((row) => columns.map((column) => row[column])) })
    c.header('Content-Type', 'text/csv; charset=utf-8')
    c.header('Content-Disposition', `attachment; filename="commission_${from}_${to}.csv"`)
    return c.body(csv)
  })
  return app
}

// the sales desk confirms a broker came with the client (reception:work, from the dashboard or visit page)
export function deskConfirmRoutes() {
  const app = new Hono<AppEnv>()
  app.post('/referrals/:id/desk-confirm', requirePermission({ permission: 'reception:work' }), async (c) => {
    const account = c.var.account!
    const { database, clock, events } = c.var.deps
    const now = clock.now()
    const referral = await database.write(async (tx) => {
      const referral = await deskConfirm({
        tx,
        input: { referralId: c.req.param('id'), officeId: account.officeId, staffId: account.id },
        now,
      })
      if (referral) {
        await appendAudit(tx, {
          at: now,
          officeId: account.officeId,
          actorType: 'staff',
          actorId: account.id,
          action: 'referral.desk-confirmed',
          target: referral.id,
        })
      }
      return referral
    })
    if (!referral) return badRequest(c, 'not-found', 404)
    events?.emit({
      type: 'referral.changed',
      officeId: account.officeId,
      referralId: referral.id,
      brokerId: referral.brokerId,
    })
    const back = c.req.header('hx-request') ? null : `/rules/commission`
    return back ? c.redirect(back, 303) : c.body(null, 204)
  })
  return app
}
