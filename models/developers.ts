// Developer scope (开发商): which offices share referral protection and the developer report.
import { eq, inArray } from 'drizzle-orm'
import { z } from 'zod'
import type { Db, Tx } from './db.ts'
import { newId } from './ids.ts'
import { developers, offices } from './offices.ts'

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
export async function developerOffices(db: Db | Tx, officeId: string): Promise<SiblingOffice[]> {
  const columns = { id: offices.id, name: offices.name, nameEn: offices.nameEn, timeZone: offices.timeZone }
  const [own] = await db
    .select({ ...columns, developerId: offices.developerId })
    .from(offices)
    .where(eq(offices.id, officeId))
  if (!own) return []
  const self = { id: own.id, name: own.name, nameEn: own.nameEn, timeZone: own.timeZone }
  if (!own.developerId) return [self]
  const others = await db
    .select(columns)
    .from(offices)
    .where(eq(offices.developerId, own.developerId))
    .orderBy(offices.createdAt, offices.id)
  return [self, ...others.filter((o) => o.id !== own.id)]
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
