// Offices (sales offices, 案场) and their stations: the places and screens everything else belongs to.
import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core'
import { eq } from 'drizzle-orm'
import { z } from 'zod'
import type { Db, Tx } from './db.ts'
import { newId } from './ids.ts'
import { isTimeZone } from './time.ts'
import { forgetInTx, memoInTx } from './tx-memo.ts'

export const stationKinds = ['entrance', 'kiosk', 'display'] as const
export type StationKind = (typeof stationKinds)[number]
export const modelVariants = ['full', 'short'] as const

// a developer (开发商, a property group) owns sales offices; a broker's 报备 protects the client at every one of them
export const developers = sqliteTable('developers', {
  id: text().primaryKey(),
  name: text().notNull(),
  nameEn: text().notNull().default(''),
  createdAt: integer().notNull(),
})

export const offices = sqliteTable(
  'offices',
  {
    id: text().primaryKey(),
    // null: an office on its own (sees no other office's referrals)
    developerId: text().references(() => developers.id),
    name: text().notNull(),
    nameEn: text().notNull().default(''),
    // IANA zone: a visit's "day" and report hours are local to the office
    timeZone: text().notNull().default('Asia/Shanghai'),
    processorName: text().notNull(),
    privacyContact: text().notNull(),
    // street address shown on the entrance screen and in the notice's contact line
    address: text().notNull().default(''),
    // true from a first start without the demo until the admin has filled the office settings: screens then show
    // "being set up" instead of placeholder processor and contact text
    needsSetup: integer({ mode: 'boolean' }).notNull().default(false),
    // how long a broker's 报备 protects the claim
    protectionDays: integer().notNull().default(30),
    // k-anonymity threshold for reports and exports
    kAnonymity: integer().notNull().default(5),
    // the demo office seeded at first start: every page of it is marked, and the admin can remove it whole
    demo: integer({ mode: 'boolean' }).notNull().default(false),
    createdAt: integer().notNull(),
  },
  (t) => [
    // serves: the offices of a developer (cross-office referral protection, the developer report)
    index('offices_developer_idx').on(t.developerId),
  ],
)

export const stations = sqliteTable(
  'stations',
  {
    id: text().primaryKey(),
    officeId: text()
      .notNull()
      .references(() => offices.id),
    kind: text({ enum: stationKinds }).notNull(),
    name: text().notNull(),
    // zone the station shows content for (沙盘, 样板间, price wall); reports group by it
    zone: text().notNull().default(''),
    modelVariant: text({ enum: modelVariants }).notNull().default('full'),
    // jti of the device token currently allowed; null = not paired or revoked
    deviceTokenId: text(),
    pairedAt: integer(),
    // pairing links carry the generation they were issued in; a pairing or a revoke moves it on, voiding older links
    pairingGeneration: integer().notNull().default(0),
    revokedAt: integer(),
    lastSeenAt: integer(),
    // the screen's last report of itself (camera, detector, fps, fail-closed blur) as JSON: no personal data
    lastState: text(),
    createdAt: integer().notNull(),
  },
  (t) => [
    // serves: list stations of an office (admin, reports by zone)
    index('stations_office_idx').on(t.officeId),
  ],
)

export const newOfficeInput = z.object({
  developerId: z.string().min(1).nullable().default(null),
  name: z.string().trim().min(1).max(80),
  nameEn: z.string().trim().max(80).default(''),
  timeZone: z
    .string()
    .refine(isTimeZone, 'not a known time zone (e.g. Asia/Shanghai)')
    .default('Asia/Shanghai'),
  processorName: z.string().trim().min(1).max(120),
  privacyContact: z.string().trim().min(1).max(200),
  protectionDays: z.number().int().min(1).max(365).default(30),
  kAnonymity: z.number().int().min(2).max(100).default(5),
  demo: z.boolean().default(false),
})

export async function createOffice({
  tx,
  input,
  now,
}: {
  tx: Tx
  input: z.input<typeof newOfficeInput>
  now: number
}) {
  const valid = newOfficeInput.parse(input)
  const id = newId()
  await tx.insert(offices).values({ id, ...valid, createdAt: now })
  forgetInTx(tx, 'offices/')
  return id
}

export const newStationInput = z.object({
  officeId: z.string().min(1),
  kind: z.enum(stationKinds),
  name: z.string().trim().min(1).max(80),
  zone: z.string().trim().max(80).default(''),
  modelVariant: z.enum(modelVariants).default('full'),
})

export async function createStation({
  tx,
  input,
  now,
}: {
  tx: Tx
  input: z.input<typeof newStationInput>
  now: number
}) {
  const valid = newStationInput.parse(input)
  const id = newId(8)
  await tx.insert(stations).values({ id, ...valid, createdAt: now })
  return id
}

export async function getOffice(db: Db | Tx, id: string) {
  return memoInTx(db, `offices/row:${id}`, async () => {
    const [office] = await db.select().from(offices).where(eq(offices.id, id))
    return office ?? null
  })
}

export async function listOffices(db: Db) {
  return db.select().from(offices).orderBy(offices.createdAt)
}

export async function listStations(db: Db, officeId: string) {
  return db
    .select()
    .from(stations)
    .where(eq(stations.officeId, officeId))
    .orderBy(stations.kind, stations.name)
}

export async function getStation(db: Db, id: string) {
  const [station] = await db.select().from(stations).where(eq(stations.id, id))
  return station ?? null
}

// a screen's report of itself: when it was last heard from and what it said
export async function recordStationState(
  db: Db | Tx,
  { stationId, state, now }: { stationId: string; state: Record<string, unknown>; now: number },
) {
  await db
    .update(stations)
    .set({ lastSeenAt: now, lastState: JSON.stringify(state) })
    .where(eq(stations.id, stationId))
}
