// Admin verbs over offices, stations, staff and brokers: rename, role, disable, password reset. No personal data read.
import { and, eq, sql } from 'drizzle-orm'
import { z } from 'zod'
import type { Db, Tx } from './db.ts'
import { offices, stations } from './offices.ts'
import { staff, brokers, staffRoles } from './staff.ts'
import { hashPassword } from './passwords.ts'

export const renameStationInput = z.object({
  name: z.string().trim().min(1).max(80),
  zone: z.string().trim().max(80).default(''),
})

export async function renameStation({
  tx,
  input,
}: {
  tx: Tx
  input: { stationId: string; officeId: string } & z.input<typeof renameStationInput>
  now: number
}) {
  const valid = renameStationInput.parse(input)
  const renamed = await tx
    .update(stations)
    .set(valid)
    .where(and(eq(stations.id, input.stationId), eq(stations.officeId, input.officeId)))
    .returning({ id: stations.id })
  return renamed.length > 0
}

export async function setStaffRole({
  tx,
  input,
}: {
  tx: Tx
  input: { staffId: string; role: string }
  now: number
}) {
  const role = z.enum(staffRoles).parse(input.role)
  const [before] = await tx.select({ role: staff.role }).from(staff).where(eq(staff.id, input.staffId))
  if (!before) return null
  await tx.update(staff).set({ role }).where(eq(staff.id, input.staffId))
  return { was: before.role, role }
}

export async function setStaffDisabled({
  tx,
  input,
  now,
}: {
  tx: Tx
  input: { staffId: string; disabled: boolean }
  now: number
}) {
  const changed = await tx
    .update(staff)
    .set({ disabledAt: input.disabled ? now : null, onDuty: false })
    .where(eq(staff.id, input.staffId))
    .returning({ id: staff.id })
  return changed.length > 0
}

// a new password the admin hands over once; the next sign-in must change it
export async function resetStaffPassword({
  tx,
  input,
}: {
  tx: Tx
  input: { staffId: string; password: string }
  now: number
}) {
  const password = z.string().min(10).parse(input.password)
  const changed = await tx
    .update(staff)
    // a reset also signs the account out everywhere: whoever held a session may be why it was reset
    .set({
      passwordHash: await hashPassword(password),
      mustChangePassword: true,
      sessionGeneration: sql`${staff.sessionGeneration} + 1`,
    })
    .where(eq(staff.id, input.staffId))
    .returning({ id: staff.id })
  return changed.length > 0
}

export async function markMustChangePassword(tx: Tx, staffId: string) {
  await tx.update(staff).set({ mustChangePassword: true }).where(eq(staff.id, staffId))
}

// a broker's password issued by an admin is theirs to replace at the first sign-in
export async function markBrokerMustChangePassword(tx: Tx, brokerId: string) {
  await tx.update(brokers).set({ mustChangePassword: true }).where(eq(brokers.id, brokerId))
}

export async function setBrokerDisabled({
  tx,
  input,
  now,
}: {
  tx: Tx
  input: { brokerId: string; disabled: boolean }
  now: number
}) {
  const changed = await tx
    .update(brokers)
    .set({ disabledAt: input.disabled ? now : null })
    .where(eq(brokers.id, input.brokerId))
    .returning({ id: brokers.id })
  return changed.length > 0
}

// what the admin page lists: names, roles and states, never a password hash
export async function listStaff(db: Db, officeId: string) {
  return db
    .select({
      id: staff.id,
      username: staff.username,
      displayName: staff.displayName,
      role: staff.role,
      disabledAt: staff.disabledAt,
      mustChangePassword: staff.mustChangePassword,
    })
    .from(staff)
    .where(eq(staff.officeId, officeId))
    .orderBy(staff.username)
}

export async function listBrokers(db: Db, officeId: string) {
  return db
    .select({
      id: brokers.id,
      username: brokers.username,
      displayName: brokers.displayName,
      company: brokers.company,
      disabledAt: brokers.disabledAt,
    })
    .from(brokers)
    .where(eq(brokers.officeId, officeId))
    .orderBy(brokers.username)
}

export async function getStaffMember(db: Db, id: string) {
  const [row] = await db
    .select({ id: staff.id, officeId: staff.officeId, username: staff.username, role: staff.role })
    .from(staff)
    .where(eq(staff.id, id))
  return row ?? null
}

export async function getBroker(db: Db, id: string) {
  const [row] = await db
    .select({ id: brokers.id, officeId: brokers.officeId, username: brokers.username })
    .from(brokers)
    .where(eq(brokers.id, id))
  return row ?? null
}

export async function officeExists(db: Db | Tx, id: string) {
  const [row] = await db.select({ id: offices.id }).from(offices).where(eq(offices.id, id))
  return Boolean(row)
}
