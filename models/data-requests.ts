// Data-subject requests (access, delete): made by the visitor at /me or recorded by the officer, and answered.
import { and, desc, eq, inArray, sql } from 'drizzle-orm'
import { z } from 'zod'
import { visitors, visits } from './visits.ts'
import { consents, cameraSessions } from './consents.ts'
import type { Db, Tx } from './db.ts'
import { newId } from './ids.ts'
import { dataRequests, requestKinds, deleteVisitorData } from './privacy.ts'

export const dataRequestInput = z.object({
  officeId: z.string().min(1),
  visitorId: z.string().min(1),
  kind: z.enum(requestKinds),
  via: z.enum(['self', 'officer']),
  handledBy: z.string().nullable().default(null),
})

export async function createDataRequest({
  tx,
  input,
  now,
}: {
  tx: Tx
  input: z.input<typeof dataRequestInput>
  now: number
}) {
  const valid = dataRequestInput.parse(input)
  const id = newId()
  await tx.insert(dataRequests).values({ id, ...valid, status: 'open', createdAt: now })
  return id
}

export class RequestNotOpen extends Error {}

// closes a request; a granted delete request deletes through deleteVisitorData in the same transaction
export async function completeDataRequest({
  tx,
  input,
  now,
}: {
  tx: Tx
  input: { requestId: string; officeId: string; outcome: 'done' | 'rejected'; handledBy: string | null }
  now: number
}) {
  const [request] = await tx
    .select()
    .from(dataRequests)
    .where(and(eq(dataRequests.id, input.requestId), eq(dataRequests.officeId, input.officeId)))
  if (!request) return null
  if (request.status !== 'open') throw new RequestNotOpen(request.status)
  let deleted: Awaited<ReturnType<typeof deleteVisitorData>> = null
  if (input.outcome === 'done' && request.kind === 'delete' && request.visitorId) {
    deleted = await deleteVisitorData({ tx, visitorId: request.visitorId, now })
  }
  await tx
    .update(dataRequests)
    .set({ status: input.outcome, completedAt: now, handledBy: input.handledBy })
    .where(eq(dataRequests.id, request.id))
  return { request, deleted }
}

export async function listDataRequests(db: Db, officeId: string, limit = 100) {
  return db
    .select()
    .from(dataRequests)
    .where(eq(dataRequests.officeId, officeId))
    .orderBy(sql`${dataRequests.status} = 'open' desc`, desc(dataRequests.createdAt))
    .limit(limit)
}

export async function getDataRequest(db: Db, officeId: string, id: string) {
  const [row] = await db
    .select()
    .from(dataRequests)
    .where(and(eq(dataRequests.id, id), eq(dataRequests.officeId, officeId)))
  return row ?? null
}

// what an access request hands over: everything held about one visitor, with the phone masked
export async function visitorDataSummary(db: Db, visitorId: string) {
  const [visitor] = await db.select().from(visitors).where(eq(visitors.id, visitorId))
  if (!visitor) return null
  const visitRows = await db
    .select({
      id: visits.id,
      day: visits.day,
      checkedInAt: visits.checkedInAt,
      checkedOutAt: visits.checkedOutAt,
      channel: visits.channel,
      firstVisit: visits.firstVisit,
    })
    .from(visits)
    .where(eq(visits.visitorId, visitorId))
    .orderBy(desc(visits.checkedInAt))
  const visitIds = visitRows.map((v) => v.id)
  const consentRows = visitIds.length
    ? await db.select().from(consents).where(inArray(consents.visitId, visitIds))
    : []
  const sessionRows = visitIds.length
    ? await db
        .select({
          id: cameraSessions.id,
          dwellMs: cameraSessions.dwellMs,
          attentionMs: cameraSessions.attentionMs,
        })
        .from(cameraSessions)
        .where(inArray(cameraSessions.visitId, visitIds))
    : []
  return {
    visitor: {
      id: visitor.id,
      officeId: visitor.officeId,
      phoneMasked: visitor.phoneMasked,
      createdAt: visitor.createdAt,
    },
    visits: visitRows,
    consents: consentRows,
    sessions: sessionRows,
  }
}

// the officer's phone lookup: only the keyed hash is compared; the number itself is never stored
export async function findVisitorsByPhoneHash(db: Db, officeId: string, phoneHash: string) {
  return db
    .select({ id: visitors.id, phoneMasked: visitors.phoneMasked, createdAt: visitors.createdAt })
    .from(visitors)
    .where(and(eq(visitors.officeId, officeId), eq(visitors.phoneHash, phoneHash)))
}

// the sealed number, for the audited reveal only (the caller audits before opening it)
export async function sealedPhone(db: Db, officeId: string, visitorId: string) {
  const [row] = await db
    .select({ phoneEncrypted: visitors.phoneEncrypted })
    .from(visitors)
    .where(and(eq(visitors.id, visitorId), eq(visitors.officeId, officeId)))
  return row?.phoneEncrypted ?? null
}
