// GET /station/:stationId: the screen page of a station, whatever its kind, so a kiosk browser that was started with a
// (single-use) pairing link can be restarted on its station without knowing the kind.
import { Hono } from 'hono'
import type { AppEnv } from '../context.ts'
import { getStation } from '../../models/offices.ts'
import { badRequest } from '../respond.tsx'

const stationIdPattern = /^[A-Za-z0-9_-]{4,32}$/
const screenKinds = new Set(['kiosk', 'display', 'entrance'])

export function stationOpenRoutes() {
  const app = new Hono<AppEnv>()
  app.get('/station/:stationId', async (c) => {
    const id = c.req.param('stationId')
    const station = stationIdPattern.test(id) ? await getStation(c.var.deps.database.db, id) : null
    if (!station || station.revokedAt || !screenKinds.has(station.kind))
      return badRequest(c, 'not-found', 404)
    return c.redirect(`/${station.kind}/${station.id}`, 302)
  })
  return app
}
