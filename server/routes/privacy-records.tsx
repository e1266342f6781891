// Privacy routes for retention, purge runs, the consent ledger and data-subject requests (mounted by privacy.tsx).
import { Hono } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../context.ts'
import { badRequest, invalidInput } from '../respond.tsx'
import { requirePermission } from '../middleware/require-permission.ts'
import { retentionKinds } from '../../models/privacy.ts'
import {
  BelowFloor,
  listPurgeRuns,
  purgeExpired,
  reclaimFreedSpaceSoon,
  retentionPolicy,
  setRetention,
} from '../../models/retention.ts'
import {
  RequestNotOpen,
  completeDataRequest,
  createDataRequest,
  findVisitorsByPhoneHash,
  getDataRequest,
  sealedPhone,
  listDataRequests,
  visitorDataSummary,
} from '../../models/data-requests.ts'
import { consentLedger, findReceipt } from '../../models/privacy-reports.ts'
import { normalisePhone, phoneHash, revealPhone } from '../../models/phone.ts'
import { RetentionPage, PurgeRunsPage } from '../../views/privacy-retention.tsx'
import { ConsentLedgerPage } from '../../views/privacy-consents.tsx'
import { RequestsPage, RequestPage } from '../../views/privacy-requests.tsx'
import { auditChange, formFields, officer } from './console.ts'

const retentionForm = z.object({
  kind: z.enum(retentionKinds),
  days: z.coerce.number().int().min(1).max(3650),
})
const requestForm = z.object({ visitorId: z.string().min(1).max(64), kind: z.enum(['access', 'delete']) })
const completeForm = z.object({ outcome: z.enum(['done', 'rejected']) })
const revealForm = z.object({ reason: z.string().trim().min(3).max(200) })

export function privacyRecordRoutes() {
  const app = new Hono<AppEnv>()
  const manage = requirePermission({ permission: 'privacy:manage' })

  app.get('/privacy/retention', manage, async (c) => {
    const account = officer(c)
    const policy = await retentionPolicy(c.var.deps.database.db, account.officeId)
    return c.html(
      <RetentionPage lang={c.var.lang} csrfToken={c.var.csrfToken} account={account} policy={policy} />,
    )
  })

  app.post('/privacy/retention', manage, async (c) => {
    const parsed = retentionForm.safeParse(await formFields(c))
    if (!parsed.success) return invalidInput(c, parsed.error)
    const { database, clock } = c.var.deps
    const account = officer(c)
    try {
      await database.write(async (tx) => {
        const before = (await retentionPolicy(tx, account.officeId)).find((p) => p.kind === parsed.data.kind)
        await setRetention({
          tx,
          input: { officeId: account.officeId, ...parsed.data, updatedBy: account.id },
          now: clock.now(),
        })
        await auditChange(tx, c, 'retention.changed', parsed.data.kind, {
          days: parsed.data.days,
          was: before?.days,
        })
      })
    } catch (error) {
      if (error instanceof BelowFloor) return badRequest(c, 'invalid-input', 400, [`days: ≥ ${error.floor}`])
      throw error
    }
    return c.redirect('/privacy/retention', 303)
  })

  app.get('/privacy/purges', manage, async (c) => {
    const runs = await listPurgeRuns(c.var.deps.database.db, { officeId: officer(c).officeId })
    return c.html(
      <PurgeRunsPage lang={c.var.lang} csrfToken={c.var.csrfToken} account={officer(c)} runs={runs} />,
    )
  })

  app.post('/privacy/purges', manage, async (c) => {
    const { database, clock } = c.var.deps
    await database.write((tx) => auditChange(tx, c, 'retention.purge-requested', null))
    // the officer's own office: another company's data is not theirs to purge, even by its own rules
    const officeId = officer(c).officeId
    await purgeExpired({ database, now: clock.now(), trigger: 'manual', clock: clock.now, officeId })
    return c.redirect('/privacy/purges', 303)
  })

  app.get('/privacy/consents', manage, async (c) => {
    const { database, clock } = c.var.deps
    const account = officer(c)
    const ledger = await consentLedger(database.db, account.officeId, { now: clock.now() })
    const receiptId = (c.req.query('receipt') ?? '').trim().slice(0, 64)
    let lookup = null
    if (receiptId) {
      const receipt = await findReceipt(database.db, account.officeId, receiptId)
      // reading one person's consent record is a read of personal data
      await database.write((tx) =>
        auditChange(tx, c, 'consent.looked-up', receiptId, { found: Boolean(receipt) }),
      )
      lookup = { id: receiptId, receipt }
    }
    return c.html(
      <ConsentLedgerPage
        lang={c.var.lang}
        csrfToken={c.var.csrfToken}
        account={account}
        ledger={ledger}
        lookup={lookup}
      />,
    )
  })

  app.get('/privacy/requests', manage, async (c) => {
    const account = officer(c)
    const requests = await listDataRequests(c.var.deps.database.db, account.officeId)
    return c.html(
      <RequestsPage
        lang={c.var.lang}
        csrfToken={c.var.csrfToken}
        account={account}
        requests={requests}
        matches={null}
      />,
    )
  })

  // a request made by phone or in person: the number is hashed and compared, never stored or logged
  app.post('/privacy/requests/lookup', manage, async (c) => {
    const fields = await formFields(c)
    const normalised = normalisePhone(fields.phone ?? '')
    if (!normalised) return badRequest(c, 'invalid-input', 400, ['phone: not a valid number'])
    const { database, keys } = c.var.deps
    const account = officer(c)
    const matches = await findVisitorsByPhoneHash(
      database.db,
      account.officeId,
      await phoneHash(keys.phone, normalised),
    )
    await database.write((tx) =>
      auditChange(tx, c, 'visitor.phone-lookup', null, { matches: matches.map((m) => m.id) }),
    )
    const requests = await listDataRequests(database.db, account.officeId)
    return c.html(
      <RequestsPage
        lang={c.var.lang}
        csrfToken={c.var.csrfToken}
        account={account}
        requests={requests}
        matches={matches}
      />,
    )
  })

  app.post('/privacy/requests', manage, async (c) => {
    const parsed = requestForm.safeParse(await formFields(c))
    if (!parsed.success) return invalidInput(c, parsed.error)
    const { database, clock } = c.var.deps
    const account = officer(c)
    const summary = await visitorDataSummary(database.db, parsed.data.visitorId)
    if (summary?.visitor.officeId !== account.officeId) return badRequest(c, 'not-found', 404)
    const id = await database.write(async (tx) => {
      const id = await createDataRequest({
        tx,
        input: { officeId: account.officeId, ...parsed.data, via: 'officer', handledBy: account.id },
        now: clock.now(),
      })
      await auditChange(tx, c, 'request.created', id, { kind: parsed.data.kind, via: 'officer' })
      return id
    })
    return c.redirect(`/privacy/requests/${id}`, 303)
  })

  app.get('/privacy/requests/:id', manage, async (c) => {
    const { database } = c.var.deps
    const account = officer(c)
    const request = await getDataRequest(database.db, account.officeId, c.req.param('id'))
    if (!request) return badRequest(c, 'not-found', 404)
    let summary = null
    if (request.kind === 'access' && request.visitorId) {
      summary = await visitorDataSummary(database.db, request.visitorId)
      await database.write((tx) =>
        auditChange(tx, c, 'visitor.data-read', request.visitorId, { request: request.id }),
      )
    }
    return c.html(
      <RequestPage
        lang={c.var.lang}
        csrfToken={c.var.csrfToken}
        account={account}
        request={request}
        summary={summary}
      />,
    )
  })

  // the full number, for answering an access request (a copy of one's data) or calling back: audited with a reason
  app.post('/privacy/requests/:id/reveal', manage, async (c) => {
    const parsed = revealForm.safeParse(await formFields(c))
    if (!parsed.success) return invalidInput(c, parsed.error)
    const { database, keys } = c.var.deps
    const account = officer(c)
    const request = await getDataRequest(database.db, account.officeId, c.req.param('id'))
    if (!request || request.kind !== 'access' || !request.visitorId) return badRequest(c, 'not-found', 404)
    const sealed = await sealedPhone(database.db, account.officeId, request.visitorId)
    if (!sealed) return badRequest(c, 'not-found', 404)
    await database.write((tx) =>
      auditChange(tx, c, 'visitor.phone-revealed', request.visitorId, {
        request: request.id,
        reason: parsed.data.reason,
      }),
    )
    const summary = await visitorDataSummary(database.db, request.visitorId)
    c.header('cache-control', 'no-store')
    return c.html(
      <RequestPage
        lang={c.var.lang}
        csrfToken={c.var.csrfToken}
        account={account}
        request={request}
        summary={summary}
        revealed={await revealPhone(keys.phone, sealed)}
      />,
    )
  })

  app.post('/privacy/requests/:id/complete', manage, async (c) => {
    const parsed = completeForm.safeParse(await formFields(c))
    if (!parsed.success) return invalidInput(c, parsed.error)
    const { database, clock } = c.var.deps
    const account = officer(c)
    try {
      const result = await database.write(async (tx) => {
        const result = await completeDataRequest({
          tx,
          input: {
            requestId: c.req.param('id'),
            officeId: account.officeId,
            outcome: parsed.data.outcome,
            handledBy: account.id,
          },
          now: clock.now(),
        })
        if (result) {
          await auditChange(tx, c, 'request.completed', result.request.id, {
            kind: result.request.kind,
            outcome: parsed.data.outcome,
            deleted: result.deleted,
          })
        }
        return result
      })
      if (!result) return badRequest(c, 'not-found', 404)
      // deleted bytes leave the file now, not at the next scheduled purge
      if (result.deleted) await reclaimFreedSpaceSoon(database)
    } catch (error) {
      if (error instanceof RequestNotOpen) return badRequest(c, 'invalid-input', 409, ['request is not open'])
      throw error
    }
    return c.redirect(`/privacy/requests/${c.req.param('id')}`, 303)
  })

  return app
}
