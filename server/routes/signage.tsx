// Station screens (/kiosk/:id, /display/:id) and /s/:id, where a visitor with camera consent starts a session.
import { Hono } from 'hono'
import type { AppEnv } from '../context.ts'
import { getStation } from '../../models/offices.ts'
import { currentNotice } from '../../models/consents.ts'
import { KioskPage, DisplayPage, StationStartPage } from '../../views/signage.tsx'
import { badRequest } from '../respond.tsx'
import { qrSvg } from '../qr.ts'
import { publicLink } from '../public-origin.ts'
import { startVisitorSession } from '../signage.ts'
import { readVisitPass } from '../visit-pass.ts'

const stationIdPattern = /^[A-Za-z0-9_-]{4,32}$/

export function signageRoutes() {
  const app = new Hono<AppEnv>()

  app.get('/kiosk/:stationId', async (c) => {
    const station = await stationOfKind(c.var.deps, c.req.param('stationId'), 'kiosk')
    if (!station) return badRequest(c, 'not-found', 404)
    const notice = await currentNotice(c.var.deps.database.db, station.officeId, c.var.lang)
    return c.html(<KioskPage lang={c.var.lang} station={station} notice={notice} />)
  })

  app.get('/display/:stationId', async (c) => {
    const station = await stationOfKind(c.var.deps, c.req.param('stationId'), 'display')
    if (!station) return badRequest(c, 'not-found', 404)
    const url = publicLink(c, `/s/${station.id}`)
    return c.html(<DisplayPage lang={c.var.lang} station={station} qrSvg={await qrSvg(url)} />)
  })

  app.get('/s/:stationId', async (c) => {
    const station = await stationOfKind(c.var.deps, c.req.param('stationId'), 'display', 'kiosk')
    if (!station) return badRequest(c, 'not-found', 404)
    const pass = await readVisitPass(c)
    const outcome =
      !pass || pass.officeId !== station.officeId
        ? 'need-pass'
        : await startVisitorSession(c.var.deps, station, pass.visitId)
    return c.html(
      <StationStartPage lang={c.var.lang} csrfToken={c.var.csrfToken} station={station} outcome={outcome} />,
      outcome === 'started' ? 200 : outcome === 'offline' ? 503 : 403,
    )
  })

  return app
}

async function stationOfKind(deps: AppEnv['Variables']['deps'], id: string, ...kinds: string[]) {
  if (!stationIdPattern.test(id)) return null
  const station = await getStation(deps.database.db, id)
  return station && kinds.includes(station.kind) && !station.revokedAt ? station : null
}
