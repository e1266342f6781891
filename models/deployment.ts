// Facts about the deployment kept in the database itself: which key set signed and hashed its data.
import { sqliteTable, text, integer } from 'drizzle-orm/sqlite-core'
import { count, eq } from 'drizzle-orm'
import type { Db, Tx } from './db.ts'
import { staff } from './staff.ts'

export const deploymentKeys = sqliteTable('deployment_keys', {
  // one row: the key set of the whole database (every process on a shared server must hold it)
  id: integer().primaryKey(),
  // a fingerprint of keys.json (signing key thumbprint and a MAC under the phone-hash key), never a key
  fingerprint: text().notNull(),
  recordedAt: integer().notNull(),
})

export async function storedKeyFingerprint(db: Db | Tx): Promise<string | null> {
  const [row] = await db.select().from(deploymentKeys).where(eq(deploymentKeys.id, 1))
  return row?.fingerprint ?? null
}

export async function recordKeyFingerprint(tx: Tx, fingerprint: string, now: number): Promise<void> {
  await tx.insert(deploymentKeys).values({ id: 1, fingerprint, recordedAt: now }).onConflictDoNothing()
}

// a database that already has accounts was made with some key set, recorded or not
export async function hasAccounts(db: Db | Tx): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(staff)
  return (row?.n ?? 0) > 0
}
