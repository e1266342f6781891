// Admin routes (permission admin:manage): offices and stations here, staff and brokers in admin-people.tsx. Every change audited.
import { Hono } from 'hono'
import type { AppEnv } from '../context.ts'
import { requirePermission } from '../middleware/require-permission.ts'
import { badRequest, invalidInput } from '../respond.tsx'
import { issuePairingToken, revokeStation } from '../stations.ts'
import { qrSvg } from '../qr.ts'
import { addDeveloperOffice, getDeveloper, newDeveloperOfficeInput } from '../../models/developers.ts'
import {
  createStation,
  getOffice,
  getStation,
  listOffices,
  listStations,
  newStationInput,
} from '../../models/offices.ts'
import { listBrokers, listStaff, renameStation, renameStationInput } from '../../models/admin.ts'
import { AdminPage, PairingPage } from '../../views/admin.tsx'
import { auditChange, formFields, inReach, officer } from './console.ts'
import { adminPeopleRoutes } from './admin-people.tsx'
import { developerReportRoutes } from './developer-report.tsx'

export function adminRoutes() {
  const app = new Hono<AppEnv>()
  const manage = requirePermission({ permission: 'admin:manage' })

  app.get('/admin', manage, async (c) => {
    const { database } = c.var.deps
    const account = officer(c)
    const officeId = c.req.query('office') ?? account.officeId
    const office = (await inReach(c, officeId)) ? await getOffice(database.db, officeId) : null
    if (!office) return badRequest(c, 'not-found', 404)
    const own = await getOffice(database.db, account.officeId)
    const developer = own?.developerId ? await getDeveloper(database.db, own.developerId) : null
    return c.html(
      <AdminPage
        lang={c.var.lang}
        csrfToken={c.var.csrfToken}
        account={account}
        officeList={(await listOffices(database.db)).filter(
          (o) => o.id === own?.id || (!!own?.developerId && o.developerId === own.developerId),
        )}
        developer={developer}
        office={office}
        stationList={await listStations(database.db, office.id)}
        staffList={await listStaff(database.db, office.id)}
        brokerList={await listBrokers(database.db, office.id)}
      />,
    )
  })

  // a further office of the admin's own developer (开发商): it shares referral protection and the developer
  // report with the developer's other offices, and starts with an entrance station and the default notices
  app.post('/admin/offices', manage, async (c) => {
    const parsed = newDeveloperOfficeInput.safeParse(await formFields(c))
    if (!parsed.success) return invalidInput(c, parsed.error)
    const { database, clock } = c.var.deps
    const own = await getOffice(database.db, officer(c).officeId)
    if (!own) return badRequest(c, 'not-found', 404)
    const id = await database.write(async (tx) => {
      const created = await addDeveloperOffice({
        tx,
        input: { ...parsed.data, developerId: own.developerId },
        now: clock.now(),
      })
      await auditChange(tx, c, 'office.created', created.officeId, {
        name: parsed.data.name,
        developer: own.developerId,
        entranceStation: created.entranceStationId,
      })
      return created.officeId
    })
    return c.redirect(`/admin?office=${id}`, 303)
  })

  app.post('/admin/stations', manage, async (c) => {
    const parsed = newStationInput.safeParse(await formFields(c))
    if (!parsed.success) return invalidInput(c, parsed.error)
    const { database, clock } = c.var.deps
    if (!(await inReach(c, parsed.data.officeId))) return badRequest(c, 'not-found', 404)
    await database.write(async (tx) => {
      const id = await createStation({ tx, input: parsed.data, now: clock.now() })
      await auditChange(tx, c, 'station.created', id, { kind: parsed.data.kind, name: parsed.data.name })
    })
    return c.redirect(`/admin?office=${parsed.data.officeId}`, 303)
  })

  app.post('/admin/stations/:id/rename', manage, async (c) => {
    const parsed = renameStationInput.safeParse(await formFields(c))
    if (!parsed.success) return invalidInput(c, parsed.error)
    const { database, clock } = c.var.deps
    const station = await getStation(database.db, c.req.param('id'))
    if (!station || !(await inReach(c, station.officeId))) return badRequest(c, 'not-found', 404)
    await database.write(async (tx) => {
      await renameStation({
        tx,
        input: { stationId: station.id, officeId: station.officeId, ...parsed.data },
        now: clock.now(),
      })
      await auditChange(tx, c, 'station.renamed', station.id, { was: station.name, name: parsed.data.name })
    })
    return c.redirect(`/admin?office=${station.officeId}`, 303)
  })

  // a single-use pairing link (and its QR) for the screen; pairing replaces any older device credential
  app.post('/admin/stations/:id/pair', manage, async (c) => {
    const { database } = c.var.deps
    const station = await getStation(database.db, c.req.param('id'))
    if (!station || !(await inReach(c, station.officeId))) return badRequest(c, 'not-found', 404)
    const token = await issuePairingToken(c.var.deps, station.id)
    await database.write((tx) => auditChange(tx, c, 'station.pairing-issued', station.id))
    const link = `${new URL(c.req.url).origin}/pair/${token}`
    c.header('cache-control', 'no-store')
    return c.html(
      <PairingPage
        lang={c.var.lang}
        csrfToken={c.var.csrfToken}
        account={officer(c)}
        station={station}
        link={link}
        qr={await qrSvg(link)}
      />,
    )
  })

  app.post('/admin/stations/:id/revoke', manage, async (c) => {
    const station = await getStation(c.var.deps.database.db, c.req.param('id'))
    if (!station || !(await inReach(c, station.officeId))) return badRequest(c, 'not-found', 404)
    // revokeStation audits and closes the station's socket at once
    await revokeStation(c.var.deps, { stationId: station.id, actorId: officer(c).id })
    return c.redirect(`/admin?office=${station.officeId}`, 303)
  })

  app.route('/', adminPeopleRoutes())
  app.route('/', developerReportRoutes())
  return app
}
