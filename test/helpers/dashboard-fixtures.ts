// Dashboard test data: visitors and visits written straight into the tables, plus consultants put on duty.
import { eq } from 'drizzle-orm'
import type { Database } from '../../models/db.ts'
import type { Keys } from '../../server/keys.ts'
import { visits, visitors } from '../../models/visits.ts'
import { staff } from '../../models/staff.ts'
import { offices } from '../../models/offices.ts'
import { newId } from '../../models/ids.ts'
import { localDay } from '../../models/time.ts'
import { protectPhone, normalisePhone } from '../../models/phone.ts'

export type VisitFixture = {
  officeId: string
  at: number
  channel?: 'walk-in' | 'broker'
  brokerId?: string | null
  firstVisit?: boolean
  phone?: string
  attributionReason?: string
  referralId?: string | null
}

// what check-in will create (a visitor with an optional protected phone, a waiting visit); returns the visit id
export async function addVisit(database: Database, keys: Keys, fixture: VisitFixture): Promise<string> {
  const [office] = await database.db.select().from(offices).where(eq(offices.id, fixture.officeId))
  const visitorId = newId()
  const protectedPhone = fixture.phone ? await protectPhone(keys.phone, normalisePhone(fixture.phone)!) : null
  const visitId = newId()
  await database.write(async (tx) => {
    await tx
      .insert(visitors)
      .values({ id: visitorId, officeId: fixture.officeId, createdAt: fixture.at, ...protectedPhone })
    await tx.insert(visits).values({
      id: visitId,
      officeId: fixture.officeId,
      visitorId,
      day: localDay(fixture.at, office!.timeZone),
      checkedInAt: fixture.at,
      channel: fixture.channel ?? 'walk-in',
      brokerId: fixture.brokerId ?? null,
      referralId: fixture.referralId ?? null,
      attributionReason: fixture.attributionReason ?? 'no-referral',
      firstVisit: fixture.firstVisit ?? true,
    })
  })
  return visitId
}

// consultants on duty in the given order (by username)
export async function putOnDuty(database: Database, usernames: string[]): Promise<string[]> {
  const ids: string[] = []
  for (const [i, username] of usernames.entries()) {
    const [row] = await database.db
      .update(staff)
      .set({ onDuty: true, dutyOrder: i + 1 })
      .where(eq(staff.username, username))
      .returning({ id: staff.id })
    ids.push(row!.id)
  }
  return ids
}
