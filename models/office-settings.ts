// Office settings (admin): names, developer, time zone, processor and contact, address. A new processor or
// contact is a new notice (PIPL art. 17: the notice names them), so saving them republishes the notices.
import { eq } from 'drizzle-orm'
import { forgetInTx } from './tx-memo.ts'
import { z } from 'zod'
import type { Tx } from './db.ts'
import { offices, developers } from './offices.ts'
import { currentNotice, publishNotice, languages, type Language } from './consents.ts'
import { defaultNotice } from './notice-defaults.ts'

const supportedZones = new Set(Intl.supportedValuesOf('timeZone'))

// an IANA zone this runtime knows: a zone it cannot format would break every office-local day and report
export function isTimeZone(zone: string): boolean {
  if (supportedZones.has(zone)) return true
  try {
    // an alias Intl accepts (UTC, Asia/Calcutta) formats like its canonical zone
    return (
      Boolean(zone) && Boolean(new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone)
    )
  } catch {
    return false
  }
}

export const officeSettingsInput = z.object({
  name: z.string().trim().min(1).max(80),
  nameEn: z.string().trim().max(80).default(''),
  developerName: z.string().trim().min(1).max(80),
  developerNameEn: z.string().trim().max(80).default(''),
  timeZone: z.string().trim().refine(isTimeZone, 'unknown time zone'),
  processorName: z.string().trim().min(1).max(120),
  privacyContact: z.string().trim().min(1).max(200),
  address: z.string().trim().max(200).default(''),
})
export type OfficeSettings = z.output<typeof officeSettingsInput>

export type SavedSettings = { changed: string[]; republished: Language[] }

export async function saveOfficeSettings({
  tx,
  officeId,
  input,
  publishedBy,
  now,
}: {
  tx: Tx
  officeId: string
  input: z.input<typeof officeSettingsInput>
  publishedBy: string | null
  now: number
}): Promise<SavedSettings> {
  const valid = officeSettingsInput.parse(input)
  const [office] = await tx.select().from(offices).where(eq(offices.id, officeId))
  if (!office) throw new Error('unknown office')
  const [developer] = office.developerId
    ? await tx.select().from(developers).where(eq(developers.id, office.developerId))
    : []
  const was: Record<string, string> = {
    name: office.name,
    nameEn: office.nameEn,
    timeZone: office.timeZone,
    processorName: office.processorName,
    privacyContact: office.privacyContact,
    address: office.address,
    developerName: developer?.name ?? '',
    developerNameEn: developer?.nameEn ?? '',
  }
  const changed = Object.keys(was).filter((key) => was[key] !== valid[key as keyof OfficeSettings])
  const { developerName, developerNameEn, ...officeFields } = valid
  await tx
    .update(offices)
    .set({ ...officeFields, needsSetup: false })
    .where(eq(offices.id, officeId))
  forgetInTx(tx, 'offices/')
  if (developer) {
    await tx
      .update(developers)
      .set({ name: developerName, nameEn: developerNameEn })
      .where(eq(developers.id, developer.id))
  }
  const republished: Language[] = []
  if (office.needsSetup || changed.includes('processorName') || changed.includes('privacyContact')) {
    for (const lang of languages) {
      const current = await currentNotice(tx, officeId, lang)
      // a first setup replaces the placeholder notices whole; later only the processor's two lines change
      const body =
        current && !office.needsSetup
          ? { ...current.body, processorName: valid.processorName, processorContact: valid.privacyContact }
          : defaultNotice(lang, valid)
      await publishNotice({ tx, input: { officeId, lang, body, publishedBy }, now })
      republished.push(lang)
    }
  }
  return { changed, republished }
}
