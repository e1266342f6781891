// Which offices are the demo: read by the page mark and by the admin's removal of the demo.
import { count, eq } from 'drizzle-orm'
import type { Db, Tx } from '../db.ts'
import { offices } from '../offices.ts'

// the demo offices, and whether they are all there is (a fresh demo install: every page is the demo's)
export async function demoOfficeIds(db: Db | Tx): Promise<{ all: string[]; only: boolean }> {
  const rows = await db.select({ id: offices.id }).from(offices).where(eq(offices.demo, true))
  if (rows.length === 0) return { all: [], only: false }
  const [total] = await db.select({ n: count() }).from(offices)
  return { all: rows.map((r) => r.id), only: (total?.n ?? 0) === rows.length }
}
