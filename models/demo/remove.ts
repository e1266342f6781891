// Removing the demo: its developer, offices, accounts, screens and every row that hangs off them, found by walking
// the schema's foreign keys (so tables added later are covered), nothing of any other office touched.
import { and, asc, eq, sql } from 'drizzle-orm'
import type { Tx } from '../db.ts'
import { offices } from '../offices.ts'
import { staff } from '../staff.ts'
import { auditGuard, appendAudit } from '../audit.ts'
import { createDeveloper, addDeveloperOffice } from '../developers.ts'
import { demoOfficeIds } from './office.ts'

// links that are not foreign keys: rows that name an office or a station by id without a constraint
const softLinks: { table: string; column: string; parent: string; parentColumn: string }[] = [
  { table: 'audit_log', column: 'office_id', parent: 'offices', parentColumn: 'id' },
  { table: 'station_events', column: 'station_id', parent: 'stations', parentColumn: 'id' },
  // a purge run asked for by one office (runs of the whole database name none and stay: counts only)
  { table: 'purge_runs', column: 'office_id', parent: 'offices', parentColumn: 'id' },
]
// tables that belong to no office: migrations, the audit switch, spent token ids
const keep = new Set(['__drizzle_migrations', 'audit_guard', 'used_tokens'])

type Link = { table: string; column: string; parent: string; parentColumn: string }

async function schemaLinks(tx: Tx): Promise<{ tables: string[]; links: Link[] }> {
  const tables = (
    await tx.all<{ name: string }>(
      sql`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
    )
  )
    .map((r) => r.name)
    .filter((name) => !keep.has(name))
  const links: Link[] = [...softLinks]
  for (const table of tables) {
    const keys = await tx.all<{ table: string; from: string; to: string | null }>(
      sql`SELECT "table", "from", "to" FROM pragma_foreign_key_list(${table})`,
    )
    for (const key of keys)
      links.push({ table, column: key.from, parent: key.table, parentColumn: key.to ?? 'rowid' })
  }
  return { tables, links }
}

const ident = (name: string) => sql.raw(`"${name.replace(/"/g, '""')}"`)

export type DemoRemoval = { offices: number; rows: Record<string, number>; adminOfficeId: string }

// one transaction: the acting admin moves to a real office (a new, empty one if there is none), then every row
// reachable from the demo offices and their developer is deleted, children first; the removal is audited
export async function removeDemo({
  tx,
  actorId,
  now,
}: {
  tx: Tx
  actorId: string
  now: number
}): Promise<DemoRemoval | null> {
  const demo = await demoOfficeIds(tx)
  if (demo.all.length === 0) return null
  const [actor] = await tx.select().from(staff).where(eq(staff.id, actorId))
  if (!actor) throw new Error('unknown actor')
  let adminOfficeId = actor.officeId
  if (demo.all.includes(actor.officeId)) {
    // a real office of the same developer, if the admin opened one; never another developer's (that would hand
    // the admin offices they do not manage)
    const [own] = await tx.select().from(offices).where(eq(offices.id, actor.officeId))
    const [real] = own?.developerId
      ? await tx
          .select({ id: offices.id })
          .from(offices)
          .where(and(eq(offices.demo, false), eq(offices.developerId, own.developerId)))
          .orderBy(asc(offices.createdAt))
          .limit(1)
      : []
    adminOfficeId = real?.id ?? (await emptyOffice(tx, now))
    await tx.update(staff).set({ officeId: adminOfficeId }).where(eq(staff.id, actor.id))
  }

  const { tables, links } = await schemaLinks(tx)
  const doomed = new Map<string, Set<number>>(tables.map((t) => [t, new Set()]))
  const mark = async (table: string, where: ReturnType<typeof sql>) => {
    const rows = await tx.all<{ rid: number }>(sql`SELECT rowid AS rid FROM ${ident(table)} WHERE ${where}`)
    let added = 0
    for (const { rid } of rows) {
      const set = doomed.get(table)!
      if (!set.has(rid)) (set.add(rid), added++)
    }
    return added
  }
  const list = (table: string) => JSON.stringify([...doomed.get(table)!])
  await mark('offices', sql`demo = 1`)
  // the demo developer goes too, unless a real office was opened under it
  await mark(
    'developers',
    sql`id IN (SELECT developer_id FROM offices WHERE demo = 1) AND id NOT IN (SELECT developer_id FROM offices WHERE demo = 0 AND developer_id IS NOT NULL)`,
  )
  for (let changed = true; changed;) {
    changed = false
    for (const link of links) {
      if (!doomed.has(link.table) || !doomed.get(link.parent)?.size) continue
      const added = await mark(
        link.table,
        sql`${ident(link.column)} IN (SELECT ${ident(link.parentColumn)} FROM ${ident(link.parent)} WHERE rowid IN (SELECT value FROM json_each(${list(link.parent)})))`,
      )
      if (added) changed = true
    }
  }

  // deleted bytes are overwritten: the local writer connection runs with secure_delete on
  await tx.update(auditGuard).set({ purging: 1 }).where(eq(auditGuard.id, 1))
  const rows: Record<string, number> = {}
  // children before parents: a table is emptied of demo rows before any table it points at
  for (const table of deleteOrder(tables, links)) {
    const set = doomed.get(table)!
    if (set.size === 0) continue
    await tx.run(
      sql`DELETE FROM ${ident(table)} WHERE rowid IN (SELECT value FROM json_each(${list(table)}))`,
    )
    rows[table] = set.size
  }
  await tx.update(auditGuard).set({ purging: 0 }).where(eq(auditGuard.id, 1))
  await appendAudit(tx, {
    at: now,
    officeId: adminOfficeId,
    actorType: 'staff',
    actorId,
    action: 'demo.removed',
    target: 'demo',
    detail: { offices: demo.all.length, rows },
  })
  return { offices: demo.all.length, rows, adminOfficeId }
}

function deleteOrder(tables: string[], links: Link[]): string[] {
  const order: string[] = []
  const placed = new Set<string>()
  const visit = (table: string, path: Set<string>) => {
    if (placed.has(table) || path.has(table)) return
    path.add(table)
    // every table that points at this one goes first
    for (const link of links) if (link.parent === table && link.table !== table) visit(link.table, path)
    path.delete(table)
    placed.add(table)
    order.push(table)
  }
  for (const table of tables) visit(table, new Set())
  return order
}

// where the admin lands when the demo was the only office: what a first start without the demo makes
async function emptyOffice(tx: Tx, now: number): Promise<string> {
  const developerId = await createDeveloper({
    tx,
    input: { name: '我的开发商', nameEn: 'My developer' },
    now,
  })
  const { officeId } = await addDeveloperOffice({
    tx,
    input: {
      developerId,
      name: '我的售楼处',
      nameEn: 'My sales office',
      processorName: '（请在隐私设置中填写个人信息处理者名称）',
      privacyContact: '（请填写联系方式）',
    },
    now,
  })
  return officeId
}
