// Developer scope (开发商): which offices share referral protection and the developer report.
import { eq, inArray } from 'drizzle-orm'
import { memoInTx } from './tx-memo.ts'
import { z } from 'zod'
import type { Db, Tx } from './db.ts'
import { newId } from './ids.ts'
import { createOffice, createStation, developers, getOffice, newOfficeInput, offices } from './offices.ts'
import { languages, publishNotice } from './consents.ts'
import { defaultNotice } from './notice-defaults.ts'
import { rulesVersion } from './channel-rules.ts'
import { protectionLength } from './rulings.ts'
import { endOfLocalDay } from './time.ts'

export const newDeveloperInput = z.object({
  name: z.string().trim().min(1).max(80),
  nameEn: z.string().trim().max(80).default(''),
})

export async function createDeveloper({
  tx,
  input,
  now,
}: {
  tx: Tx
  input: z.input<typeof newDeveloperInput>
  now: number
}) {
  const valid = newDeveloperInput.parse(input)
  const id = newId()
  await tx.insert(developers).values({ id, ...valid, createdAt: now })
  return id
}

export async function getDeveloper(db: Db | Tx, id: string) {
  const [row] = await db.select().from(developers).where(eq(developers.id, id))
  return row ?? null
}

export type SiblingOffice = { id: string; name: string; nameEn: string; timeZone: string }

// the offices of the same developer as `officeId`, itself first; an office without a developer stands alone
export function developerOffices(db: Db | Tx, officeId: string): Promise<SiblingOffice[]> {
  return memoInTx(db, `offices/developer:${officeId}`, async () => {
    const columns = { id: offices.id, name: offices.name, nameEn: offices.nameEn, timeZone: offices.timeZone }
    const own = await getOffice(db, officeId)
    if (!own) return []
    const self = { id: own.id, name: own.name, nameEn: own.nameEn, timeZone: own.timeZone }
    if (!own.developerId) return [self]
    const others = await db
      .select(columns)
      .from(offices)
      .where(eq(offices.developerId, own.developerId))
      .orderBy(offices.createdAt, offices.id)
    return [self, ...others.filter((o) => o.id !== own.id)]
  })
}

// true when both offices belong to one developer (or are the same office)
export async function sameDeveloper(db: Db | Tx, officeId: string, otherOfficeId: string) {
  if (officeId === otherOfficeId) return true
  const rows = await db
    .select({ developerId: offices.developerId })
    .from(offices)
    .where(inArray(offices.id, [officeId, otherOfficeId]))
  return rows.length === 2 && rows[0]!.developerId !== null && rows[0]!.developerId === rows[1]!.developerId
}

// an office's name in the reader's language
export function officeName(office: { name: string; nameEn: string }, lang: string) {
  return lang === 'en' ? office.nameEn || office.name : office.name
}

export const newDeveloperOfficeInput = newOfficeInput.omit({ developerId: true, demo: true }).extend({
  // a blank field takes the default name
  entranceName: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.string().trim().min(1).max(80).default('入口签到屏 Entrance'),
  ),
})

// another sales office of a developer, ready for visitors: its entrance station and default notices
export async function addDeveloperOffice({
  tx,
  input,
  now,
}: {
  tx: Tx
  input: { developerId: string | null } & z.input<typeof newDeveloperOfficeInput>
  now: number
}) {
  const { entranceName, ...office } = newDeveloperOfficeInput.parse(input)
  const officeId = await createOffice({ tx, input: { ...office, developerId: input.developerId }, now })
  const entranceStationId = await createStation({
    tx,
    input: { officeId, kind: 'entrance', name: entranceName, zone: 'entrance' },
    now,
  })
  for (const lang of languages) {
    await publishNotice({ tx, input: { officeId, lang, body: defaultNotice(lang, office) }, now })
  }
  return { officeId, entranceStationId }
}

// the protection window and minimum advance of a sibling office's referral, from the rules it was made under
export async function siblingRules(
  tx: Tx,
  row: { officeId: string; ruleVersion: number },
  siblings: SiblingOffice[],
  now: number,
): Promise<{ officeId: string; protectionMs: number; minAdvanceMs: number }> {
  const timeZone = siblings.find((o) => o.id === row.officeId)?.timeZone ?? 'Asia/Shanghai'
  const rules = await rulesVersion(tx, row.officeId, row.ruleVersion)
  return {
    officeId: row.officeId,
    protectionMs: protectionLength(rules, now, (at) => endOfLocalDay(at, timeZone)),
    minAdvanceMs: rules.minAdvanceMinutes * 60_000,
  }
}
