// The queue verb of 客户归属: a returning client waiting for their owner is given to that owner, outside the rotation.
import type { Tx } from './db.ts'
import {
  assignNextInput,
  assignVisit,
  visitInOffice,
  type QueueResult,
  type QueueVerbArgs,
} from './reception.ts'
import { ownersOfDay, routesOf } from './ownership-queries.ts'
import { ownerOfVisit } from './ownership.ts'
import { enqueueNotification, officeChannels } from './notify.ts'

// what the clicker saw: the owned visit and its revision
export const assignOwnerInput = assignNextInput

// "to the owner": the waiting visit goes to its client's owner, who is on duty
export async function assignToOwner({
  tx,
  officeId,
  actorId,
  input,
  now,
}: QueueVerbArgs): Promise<QueueResult<{ visitId: string; consultantId: string }>> {
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

// a returning client checked in: their owner is told (one outbox row per channel), in the check-in's own
// transaction, so a stop right after the commit loses no message; 0 when nobody is. Most offices have no channel
// and most check-ins are nobody's returning client: the channels (read once per transaction) are asked first.
export async function announceReturn(
  tx: Tx,
  visit: { id: string; officeId: string; visitorId: string | null; checkedInAt: number },
): Promise<number> {
  if (!(await officeChannels(tx, visit.officeId)).length) return 0
  const owner = await ownerOfVisit(tx, visit)
  if (!owner) return 0
  return enqueueNotification(tx, {
    officeId: visit.officeId,
    consultantId: owner.ownerId,
    event: 'client.returned',
    at: visit.checkedInAt,
  })
}
