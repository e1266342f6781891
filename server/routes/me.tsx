// "My data" for a visitor with a visit pass: see it, download it (an access request), delete it (a delete request).
import { Hono, type Context } from 'hono'
import { deleteCookie } from 'hono/cookie'
import { eq } from 'drizzle-orm'
import type { AppEnv } from '../context.ts'
import { getOffice } from '../../models/offices.ts'
import { getVisit, getVisitor } from '../../models/visits.ts'
import { consents, cameraSessions } from '../../models/consents.ts'
import { stations } from '../../models/offices.ts'
import { deleteVisitData, recordDataRequest, recordSelfAccess } from '../../models/privacy.ts'
import { reclaimFreedSpaceSoon } from '../../models/retention.ts'
import { appendAudit } from '../../models/audit.ts'
import { readVisitPass, visitPassCookie, type VisitPass } from '../visit-pass.ts'
import { rateLimit } from '../middleware/rate-limit.ts'
import { MePage, MeMessagePage, type MyData } from '../../views/me.tsx'

// what this browser's pass covers: the one visit it created, its consents and camera sessions. Earlier
// visits linked to the same phone number are never shown here: typing a number must grant nothing (the
// privacy officer's request flow, with identity checked by staff, serves the whole history)
async function collect(c: Context<AppEnv>, pass: VisitPass): Promise<MyData | null> {
  const { db } = c.var.deps.database
  const visit = await getVisit(db, pass.visitId)
  if (!visit || visit.visitorId !== pass.visitorId) return null
  const visitor = await getVisitor(db, pass.visitorId)
  if (!visitor) return null
  const office = (await getOffice(db, visit.officeId))!
  const myConsents = await db.select().from(consents).where(eq(consents.visitId, visit.id))
  const sessions = await db
    .select({ session: cameraSessions, station: stations.name })
    .from(cameraSessions)
    .innerJoin(stations, eq(cameraSessions.stationId, stations.id))
    .where(eq(cameraSessions.visitId, visit.id))
  return {
    timeZone: office.timeZone,
    privacyContact: office.privacyContact,
    phoneMasked: visitor.phoneMasked,
    visits: [
      {
        id: visit.id,
        checkedInAt: visit.checkedInAt,
        // the channel only when the referral this browser opened decided it (see PassPage)
        attributionReason:
          visit.referralId && visit.referralId === pass.referralId ? visit.attributionReason : null,
      },
    ],
    consents: myConsents.map(({ id, grantedAt, withdrawnAt, noticeSha256 }) => ({
      id,
      grantedAt,
      withdrawnAt,
      noticeSha256,
    })),
    sessions: sessions.map(({ session, station }) => ({
      id: session.id,
      station,
      startedAt: session.startedAt,
      dwellMs: session.dwellMs,
      attentionMs: session.attentionMs,
    })),
  }
}

export function meRoutes() {
  const app = new Hono<AppEnv>()

  app.get('/me', async (c) => {
    const pass = await readVisitPass(c)
    const data = pass ? await collect(c, pass) : null
    if (!pass || !data)
      return c.html(<MeMessagePage lang={c.var.lang} csrfToken={c.var.csrfToken} message="noPass" />, 401)
    return c.html(<MePage lang={c.var.lang} csrfToken={c.var.csrfToken} data={data} />)
  })

  // each download is recorded as an access request: a flood would fill the officer's queue
  app.get('/me/data.json', rateLimit({ name: 'me-data', max: 20, methods: ['GET'] }), async (c) => {
    const pass = await readVisitPass(c)
    const data = pass ? await collect(c, pass) : null
    if (!pass || !data) return c.json({ error: 'no-pass' }, 401)
    const { database, clock } = c.var.deps
    await database.write((tx) =>
      recordSelfAccess({
        tx,
        input: { officeId: pass.officeId, visitorId: pass.visitorId },
        now: clock.now(),
      }),
    )
    c.header('Content-Disposition', 'attachment; filename="showroom-my-data.json"')
    return c.json(data)
  })

  app.post('/me/delete', rateLimit({ name: 'me-delete', max: 20 }), async (c) => {
    const pass = await readVisitPass(c)
    if (!pass)
      return c.html(<MeMessagePage lang={c.var.lang} csrfToken={c.var.csrfToken} message="noPass" />, 401)
    const { database, clock, events } = c.var.deps
    const now = clock.now()
    const deleted = await database.write(async (tx) => {
      const deleted = await deleteVisitData({ tx, visitId: pass.visitId, now })
      await recordDataRequest({
        tx,
        input: { officeId: pass.officeId, visitorId: null, kind: 'delete', via: 'self', done: true },
        now,
      })
      await appendAudit(tx, {
        at: now,
        officeId: pass.officeId,
        actorType: 'visitor',
        action: 'visitor.deleted',
        detail: deleted ?? {},
      })
      return deleted
    })
    // deleted bytes leave the database file now, not at the next scheduled purge
    await reclaimFreedSpaceSoon(database)
    deleteCookie(c, visitPassCookie, { path: '/' })
    if (deleted) events?.emit({ type: 'visit.updated', officeId: pass.officeId, visitId: pass.visitId })
    return c.html(<MeMessagePage lang={c.var.lang} csrfToken={c.var.csrfToken} message="deleted" />)
  })
  return app
}
