// "My data" for a visitor with a visit pass: see it, download it (an access request), delete it (a delete request).
import { Hono, type Context } from 'hono'
import { deleteCookie } from 'hono/cookie'
import { eq, inArray } from 'drizzle-orm'
import type { AppEnv } from '../context.ts'
import { getOffice } from '../../models/offices.ts'
import { getVisitor, visitsOfVisitor } from '../../models/visits.ts'
import { consents, cameraSessions } from '../../models/consents.ts'
import { stations } from '../../models/offices.ts'
import { deleteVisitorData, recordDataRequest } from '../../models/privacy.ts'
import { reclaimFreedSpaceSoon } from '../../models/retention.ts'
import { appendAudit } from '../../models/audit.ts'
import { readVisitPass, visitPassCookie } from '../visit-pass.ts'
import { rateLimit } from '../middleware/rate-limit.ts'
import { MePage, MeMessagePage, type MyData } from '../../views/me.tsx'

async function collect(c: Context<AppEnv>, visitorId: string): Promise<MyData | null> {
  const { db } = c.var.deps.database
  const visitor = await getVisitor(db, visitorId)
  if (!visitor) return null
  const office = (await getOffice(db, visitor.officeId))!
  const visits = await visitsOfVisitor(db, visitorId)
  const ids = visits.map((v) => v.id)
  const myConsents = ids.length ? await db.select().from(consents).where(inArray(consents.visitId, ids)) : []
  const sessions = ids.length
    ? await db
        .select({ session: cameraSessions, station: stations.name })
        .from(cameraSessions)
        .innerJoin(stations, eq(cameraSessions.stationId, stations.id))
        .where(inArray(cameraSessions.visitId, ids))
    : []
  return {
    timeZone: office.timeZone,
    phoneMasked: visitor.phoneMasked,
    visits: visits.map(({ id, checkedInAt, attributionReason, firstVisit }) => ({
      id,
      checkedInAt,
      attributionReason,
      firstVisit,
    })),
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
    const data = pass ? await collect(c, pass.visitorId) : null
    if (!pass || !data)
      return c.html(<MeMessagePage lang={c.var.lang} csrfToken={c.var.csrfToken} message="noPass" />, 401)
    return c.html(<MePage lang={c.var.lang} csrfToken={c.var.csrfToken} data={data} />)
  })

  app.get('/me/data.json', async (c) => {
    const pass = await readVisitPass(c)
    const data = pass ? await collect(c, pass.visitorId) : null
    if (!pass || !data) return c.json({ error: 'no-pass' }, 401)
    const { database, clock } = c.var.deps
    await database.write((tx) =>
      recordDataRequest({
        tx,
        input: {
          officeId: pass.officeId,
          visitorId: pass.visitorId,
          kind: 'access',
          via: 'self',
          done: true,
        },
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
      const deleted = await deleteVisitorData({ tx, visitorId: pass.visitorId, now })
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
