// Office settings routes (admin): show and save an office's details; saving is audited and pushed to its screens.
import { Hono } from 'hono'
import type { AppEnv, AppContext } from '../context.ts'
import { requirePermission } from '../middleware/require-permission.ts'
import { badRequest } from '../respond.tsx'
import { getOffice } from '../../models/offices.ts'
import { getDeveloper } from '../../models/developers.ts'
import { officeSettingsInput, saveOfficeSettings, type OfficeSettings } from '../../models/office-settings.ts'
import { OfficeSettingsPage } from '../../views/office-settings.tsx'
import { auditChange, formFields, inReach, officer } from './console.ts'

export const officeSettingsPath = '/admin/office'

async function currentSettings(c: AppContext, officeId: string) {
  const { db } = c.var.deps.database
  const office = (await inReach(c, officeId)) ? await getOffice(db, officeId) : null
  if (!office) return null
  const developer = office.developerId ? await getDeveloper(db, office.developerId) : null
  const values: OfficeSettings = {
    name: office.name,
    nameEn: office.nameEn,
    developerName: developer?.name ?? '',
    developerNameEn: developer?.nameEn ?? '',
    timeZone: office.timeZone,
    processorName: office.processorName,
    privacyContact: office.privacyContact,
    address: office.address,
  }
  // first start without the demo: the fields hold placeholders the admin must replace, so they start empty
  if (office.needsSetup) Object.assign(values, { processorName: '', privacyContact: '' })
  return { office, values }
}

export function officeSettingsRoutes() {
  const app = new Hono<AppEnv>()
  const manage = requirePermission({ permission: 'admin:manage' })

  app.get(officeSettingsPath, manage, async (c) => {
    const found = await currentSettings(c, c.req.query('office') ?? officer(c).officeId)
    if (!found) return badRequest(c, 'not-found', 404)
    return c.html(
      <OfficeSettingsPage
        lang={c.var.lang}
        csrfToken={c.var.csrfToken}
        account={officer(c)}
        officeId={found.office.id}
        values={found.values}
        firstStart={found.office.needsSetup}
        saved={c.req.query('saved') === '1'}
      />,
    )
  })

  app.post(officeSettingsPath, manage, async (c) => {
    const found = await currentSettings(c, c.req.query('office') ?? officer(c).officeId)
    if (!found) return badRequest(c, 'not-found', 404)
    const fields = await formFields(c)
    const parsed = officeSettingsInput.safeParse(fields)
    if (!parsed.success) {
      // bad input changes nothing: the form comes back with what was typed and what is wrong
      return c.html(
        <OfficeSettingsPage
          lang={c.var.lang}
          csrfToken={c.var.csrfToken}
          account={officer(c)}
          officeId={found.office.id}
          values={{ ...found.values, ...fields } as OfficeSettings}
          firstStart={found.office.needsSetup}
          errors={parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)}
        />,
        400,
      )
    }
    const { database, clock, events } = c.var.deps
    const officeId = found.office.id
    const saved = await database.write(async (tx) => {
      const result = await saveOfficeSettings({
        tx,
        officeId,
        input: parsed.data,
        publishedBy: officer(c).id,
        now: clock.now(),
      })
      await auditChange(tx, c, 'office.settings-changed', officeId, {
        changed: result.changed,
        republished: result.republished,
        firstSetup: found.office.needsSetup,
      })
      return result
    })
    // screens follow at once: kiosks switch to the new notice, entrance screens redraw their text
    for (const lang of saved.republished) events?.emit({ type: 'notice.published', officeId, lang })
    events?.emit({ type: 'office.changed', officeId })
    return c.redirect(`${officeSettingsPath}?office=${officeId}&saved=1`, 303)
  })
  return app
}
