// Staff accounts (置业顾问, managers, marketing, privacy officer, admin) and broker (渠道) accounts.
import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core'
import { and, eq, isNull } from 'drizzle-orm'
import { z } from 'zod'
import { offices } from './offices.ts'
import type { Db, Tx } from './db.ts'
import { newId } from './ids.ts'
import { hashPassword, verifyPassword } from './passwords.ts'

// what each role may do is a set of permissions (server/permissions.ts), not a rank
// manager = 案场经理: sets the channel rules and decides appeals
export const staffRoles = ['sales', 'manager', 'marketing', 'privacy', 'admin'] as const
export type StaffRole = (typeof staffRoles)[number]

export const staff = sqliteTable(
  'staff',
  {
    id: text().primaryKey(),
    officeId: text()
      .notNull()
      .references(() => offices.id),
    username: text().notNull().unique(),
    displayName: text().notNull(),
    role: text({ enum: staffRoles }).notNull(),
    passwordHash: text().notNull(),
    // set when an admin created or reset the password: the next login must change it
    mustChangePassword: integer({ mode: 'boolean' }).notNull().default(false),
    // session tokens carry the generation they were issued in; moving it on signs every older session out
    sessionGeneration: integer().notNull().default(0),
    disabledAt: integer(),
    // reception rotation (轮岗): consultants on duty, in order
    onDuty: integer({ mode: 'boolean' }).notNull().default(false),
    dutyOrder: integer().notNull().default(0),
    createdAt: integer().notNull(),
  },
  (t) => [
    // serves: the reception queue (on-duty consultants of an office in order)
    index('staff_office_duty_idx').on(t.officeId, t.onDuty, t.dutyOrder),
  ],
)

export const brokers = sqliteTable(
  'brokers',
  {
    id: text().primaryKey(),
    officeId: text()
      .notNull()
      .references(() => offices.id),
    username: text().notNull().unique(),
    displayName: text().notNull(),
    company: text().notNull().default(''),
    passwordHash: text().notNull(),
    // set when an admin issued the password: the broker's first sign-in must change it
    mustChangePassword: integer({ mode: 'boolean' }).notNull().default(false),
    // as staff.sessionGeneration
    sessionGeneration: integer().notNull().default(0),
    disabledAt: integer(),
    createdAt: integer().notNull(),
  },
  (t) => [
    // serves: admin broker list per office
    index('brokers_office_idx').on(t.officeId),
  ],
)

export type Account =
  | {
      kind: 'staff'
      id: string
      officeId: string
      role: StaffRole
      displayName: string
      passwordHash: string
      sessionGeneration: number
    }
  | {
      kind: 'broker'
      id: string
      officeId: string
      role: 'broker'
      displayName: string
      passwordHash: string
      sessionGeneration: number
    }

// one login form serves staff and brokers; usernames are unique across both (checked on create)
export async function findAccountByUsername(db: Db, username: string): Promise<Account | null> {
  const [member] = await db
    .select()
    .from(staff)
    .where(and(eq(staff.username, username), isNull(staff.disabledAt)))
  if (member) return { kind: 'staff', ...member }
  const [broker] = await db
    .select()
    .from(brokers)
    .where(and(eq(brokers.username, username), isNull(brokers.disabledAt)))
  if (broker) return { kind: 'broker', ...broker, role: 'broker' }
  return null
}

export async function findActiveStaff(db: Db, id: string) {
  const [member] = await db
    .select({
      id: staff.id,
      officeId: staff.officeId,
      role: staff.role,
      displayName: staff.displayName,
      mustChangePassword: staff.mustChangePassword,
      sessionGeneration: staff.sessionGeneration,
    })
    .from(staff)
    .where(and(eq(staff.id, id), isNull(staff.disabledAt)))
  return member ?? null
}

export const passwordChangeInput = z
  .object({
    current: z.string().min(1).max(256),
    next: z.string().min(10, 'new password: at least 10 characters').max(256),
    repeat: z.string().max(256),
  })
  .refine((v) => v.next === v.repeat, { message: 'the two new passwords differ', path: ['repeat'] })
  .refine((v) => v.next !== v.current, {
    message: 'choose a password different from the current one',
    path: ['next'],
  })

// a staff member or broker sets their own password (after an admin reset, an issued or a printed one);
// signing out the other sessions moves the generation on. Answers the new generation, or null if refused.
export async function changeOwnPassword({
  tx,
  input,
}: {
  tx: Tx
  input: { kind: 'staff' | 'broker'; id: string; current: string; next: string; signOutOthers: boolean }
}): Promise<number | null> {
  const table = input.kind === 'staff' ? staff : brokers
  const [account] = await tx
    .select({ passwordHash: table.passwordHash, sessionGeneration: table.sessionGeneration })
    .from(table)
    .where(eq(table.id, input.id))
  if (!account || !(await verifyPassword(input.current, account.passwordHash))) return null
  const sessionGeneration = account.sessionGeneration + (input.signOutOthers ? 1 : 0)
  await tx
    .update(table)
    .set({ passwordHash: await hashPassword(input.next), mustChangePassword: false, sessionGeneration })
    .where(eq(table.id, input.id))
  return sessionGeneration
}

export async function findActiveBroker(db: Db, id: string) {
  const [broker] = await db
    .select({
      id: brokers.id,
      officeId: brokers.officeId,
      displayName: brokers.displayName,
      company: brokers.company,
      mustChangePassword: brokers.mustChangePassword,
      sessionGeneration: brokers.sessionGeneration,
    })
    .from(brokers)
    .where(and(eq(brokers.id, id), isNull(brokers.disabledAt)))
  return broker ?? null
}

export const newStaffInput = z.object({
  officeId: z.string().min(1),
  username: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9._-]{1,31}$/, 'username: 2–32 of a–z, 0–9, . _ -'),
  displayName: z.string().trim().min(1).max(64),
  role: z.enum(staffRoles),
  password: z.string().min(10).max(256),
})

export async function createStaff({
  tx,
  input,
  now,
}: {
  tx: Tx
  input: z.input<typeof newStaffInput>
  now: number
}) {
  const valid = newStaffInput.parse(input)
  await assertUsernameFree(tx, valid.username)
  const id = newId()
  await tx.insert(staff).values({
    id,
    officeId: valid.officeId,
    username: valid.username,
    displayName: valid.displayName,
    role: valid.role,
    passwordHash: await hashPassword(valid.password),
    createdAt: now,
  })
  return id
}

export const newBrokerInput = newStaffInput
  .omit({ role: true })
  .extend({ company: z.string().trim().max(64).default('') })

export async function createBroker({
  tx,
  input,
  now,
}: {
  tx: Tx
  input: z.input<typeof newBrokerInput>
  now: number
}) {
  const valid = newBrokerInput.parse(input)
  await assertUsernameFree(tx, valid.username)
  const id = newId()
  await tx.insert(brokers).values({
    id,
    officeId: valid.officeId,
    username: valid.username,
    displayName: valid.displayName,
    company: valid.company,
    passwordHash: await hashPassword(valid.password),
    createdAt: now,
  })
  return id
}

export class UsernameTaken extends Error {}

async function assertUsernameFree(tx: Tx, username: string) {
  const [a] = await tx.select({ id: staff.id }).from(staff).where(eq(staff.username, username))
  const [b] = await tx.select({ id: brokers.id }).from(brokers).where(eq(brokers.username, username))
  if (a || b) throw new UsernameTaken(username)
}
