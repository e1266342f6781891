// Test fixtures for privacy tests: a visitor with a protected phone, a visit, a consent and a camera session.
import { eq } from 'drizzle-orm'
import type { Database } from '../../models/db.ts'
import { visitors, visits } from '../../models/visits.ts'
import { consents, cameraSessions, currentNotice } from '../../models/consents.ts'
import { referrals } from '../../models/referrals.ts'
import { brokers } from '../../models/staff.ts'
import { stations } from '../../models/offices.ts'
import { protectPhone, normalisePhone, type PhoneKeys } from '../../models/phone.ts'
import { newId } from '../../models/ids.ts'
import { localDay } from '../../models/time.ts'

export async function addVisitor(
  database: Database,
  { officeId, phone, keys, at }: { officeId: string; phone?: string; keys: PhoneKeys; at: number },
) {
  const protectedPhone = phone ? await protectPhone(keys, normalisePhone(phone)!) : null
  const id = newId()
  await database.write(async (tx) => {
    await tx.insert(visitors).values({ id, officeId, ...(protectedPhone ?? {}), createdAt: at })
  })
  return { id, ...protectedPhone }
}

export async function addVisit(
  database: Database,
  { officeId, visitorId, at }: { officeId: string; visitorId: string | null; at: number },
) {
  const id = newId()
  await database.write(async (tx) => {
    await tx.insert(visits).values({
      id,
      officeId,
      visitorId,
      day: localDay(at, 'Asia/Shanghai'),
      checkedInAt: at,
      firstVisit: true,
    })
  })
  return id
}

// a consent under the current notice and one camera session recorded under it
export async function addConsentWithSession(
  database: Database,
  { officeId, visitId, at }: { officeId: string; visitId: string | null; at: number },
) {
  const notice = (await currentNotice(database.db, officeId, 'zh-CN'))!
  const [station] = await database.db.select().from(stations).where(eq(stations.officeId, officeId))
  const consentId = newId()
  const sessionId = newId()
  await database.write(async (tx) => {
    await tx.insert(consents).values({
      id: consentId,
      officeId,
      visitId,
      noticeId: notice.id,
      noticeSha256: notice.sha256,
      grantedAt: at,
    })
    await tx.insert(cameraSessions).values({
      id: sessionId,
      officeId,
      stationId: station!.id,
      consentId,
      visitId,
      startedAt: at,
      lastEventAt: at,
      dwellMs: 5000,
    })
  })
  return { consentId, sessionId }
}

export async function addReferral(
  database: Database,
  {
    officeId,
    at,
    days,
    phoneHash = null,
  }: { officeId: string; at: number; days: number; phoneHash?: string | null },
) {
  const [broker] = await database.db.select().from(brokers).where(eq(brokers.officeId, officeId))
  const id = newId()
  await database.write(async (tx) => {
    await tx.insert(referrals).values({
      id,
      officeId,
      brokerId: broker!.id,
      phoneHash,
      phoneMasked: phoneHash ? '138****5678' : null,
      clientLabel: '王先生',
      createdAt: at,
      expiresAt: at + days * 86400_000,
    })
  })
  return id
}
