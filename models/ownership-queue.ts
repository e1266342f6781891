// The queue verb of 客户归属: a returning client waiting for their owner is given to that owner, outside the rotation.
import type { z } from 'zod'
import type { Database, Tx } from './db.ts'
import { assignNextInput, assignVisit, visitInOffice, type QueueResult } from './reception.ts'
import { ownersOfDay, routesOf } from './ownership-queries.ts'
import { ownerOfVisit } from './ownership.ts'
import { enqueueNotification, notifyChannels } from './notify.ts'
import { visits } from './visits.ts'
import { eq } from 'drizzle-orm'

// what the clicker saw: the owned visit and its revision
export const assignOwnerInput = assignNextInput

// "to the owner": the waiting visit goes to its client's owner, who is on duty
export async function assignToOwner({
  tx,
  officeId,
  actorId,
  input,
  now,
}: {
  tx: Tx
  officeId: string
  actorId: string
  input: z.input<typeof assignOwnerInput>
  now: number
}): Promise<QueueResult<{ visitId: string; consultantId: string }>> {
  const seen = assignOwnerInput.parse(input)
  const visit = await visitInOffice(tx, officeId, seen.visitId)
  if (!visit) return { ok: false, conflict: 'not-found' }
  if (visit.status !== 'waiting' || visit.revision !== seen.revision) return { ok: false, conflict: 'stale' }
  const route = (await routesOf(tx, officeId, await ownersOfDay(tx, officeId, visit.day, [visit.id]))).get(
    visit.id,
  )
  if (route?.kind !== 'owner') return { ok: false, conflict: 'stale' }
  return assignVisit(tx, {
    officeId,
    actorId,
    visitId: visit.id,
    revision: visit.revision,
    consultantId: route.ownerId,
    by: 'owner',
    now,
  })
}

// a returning client checked in: their owner is told (one outbox row per channel); false when nobody is.
// Read first, outside the write queue: most check-ins are nobody's returning client, or the office has no channel.
export async function announceReturn(database: Database, visitId: string, now: number): Promise<boolean> {
  const [visit] = await database.db.select().from(visits).where(eq(visits.id, visitId))
  if (!visit) return false
  const [channel] = await database.db
    .select({ id: notifyChannels.id })
    .from(notifyChannels)
    .where(eq(notifyChannels.officeId, visit.officeId))
    .limit(1)
  if (!channel) return false
  const owner = await ownerOfVisit(database.db, visit)
  if (!owner) return false
  const queued = await database.write((tx) =>
    enqueueNotification(tx, {
      officeId: visit.officeId,
      consultantId: owner.ownerId,
      event: 'client.returned',
      at: Math.min(now, visit.checkedInAt),
    }),
  )
  return queued > 0
}
