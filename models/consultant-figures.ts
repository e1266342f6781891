// Per-consultant figures for the manager: served, first visits, returns, credited, conversion to a second visit.
import { and, eq, gte, isNotNull, lt, sql } from 'drizzle-orm'
import type { Db } from './db.ts'
import { visits } from './visits.ts'
import { staff } from './staff.ts'
import { ownershipConflicts, receptionCredits } from './ownership.ts'
import { suppressionPattern } from './anonymity.ts'

export type ConsultantFigures = {
  consultantId: string
  name: string
  served: number
  firstVisits: number
  returns: number
  // visits that count for this consultant: served by them, on their behalf (代接), kept or split in a conflict
  credited: number
  // first visits served in the period whose client came back later (any time up to now)
  secondVisits: number
}

// visits of the period by check-in time, over visits_office_day_idx's office prefix
export async function consultantFigures(
  db: Db,
  { officeId, from, to }: { officeId: string; from: number; to: number },
): Promise<ConsultantFigures[]> {
  const rows = await db
    .select({
      consultantId: visits.consultantId,
      firstVisit: visits.firstVisit,
      // written out: an alias of the same table inside sql`` is not declared by drizzle, and columns would be
      // unqualified there
      cameBack: sql<number>`EXISTS (SELECT 1 FROM "visits" AS "later" WHERE "later"."visitor_id" = "visits"."visitor_id" AND "later"."checked_in_at" > "visits"."checked_in_at")`,
    })
    .from(visits)
    .where(
      and(
        eq(visits.officeId, officeId),
        isNotNull(visits.consultantId),
        gte(visits.checkedInAt, from),
        lt(visits.checkedInAt, to),
      ),
    )
  const credits = await db
    .select({ creditedTo: receptionCredits.creditedTo, splitWith: ownershipConflicts.ownerId })
    .from(receptionCredits)
    .innerJoin(visits, eq(visits.id, receptionCredits.visitId))
    .leftJoin(
      ownershipConflicts,
      and(eq(ownershipConflicts.visitId, receptionCredits.visitId), eq(ownershipConflicts.decision, 'split')),
    )
    .where(
      and(eq(receptionCredits.officeId, officeId), gte(visits.checkedInAt, from), lt(visits.checkedInAt, to)),
    )
  const members = await db
    .select({ id: staff.id, name: staff.displayName, role: staff.role })
    .from(staff)
    .where(eq(staff.officeId, officeId))
  const byId = new Map<string, ConsultantFigures>()
  const of = (id: string) => {
    let f = byId.get(id)
    if (!f) {
      const name = members.find((m) => m.id === id)?.name ?? id
      byId.set(
        id,
        (f = { consultantId: id, name, served: 0, firstVisits: 0, returns: 0, credited: 0, secondVisits: 0 }),
      )
    }
    return f
  }
  for (const m of members) if (m.role === 'sales') of(m.id)
  for (const r of rows) {
    const f = of(r.consultantId!)
    f.served++
    if (r.firstVisit) {
      f.firstVisits++
      if (r.cameBack) f.secondVisits++
    } else f.returns++
  }
  for (const c of credits) {
    of(c.creditedTo).credited++
    if (c.splitWith && c.splitWith !== c.creditedTo) of(c.splitWith).credited++
  }
  return [...byId.values()].sort((a, b) => b.served - a.served || a.name.localeCompare(b.name))
}

// for figures that leave the office (CSV): first visits and returns per consultant through the reports' small-cell
// suppression (k), so that no cell tells of fewer than k visits; hidden cells are null
export function releaseFigures(figures: ConsultantFigures[], k: number) {
  const pattern = suppressionPattern(
    figures.map((f) => [f.firstVisits, f.returns]),
    k,
  )
  return figures.map((f, i) => {
    const [firstHidden, returnsHidden] = pattern.cells[i]!
    const servedHidden = pattern.rowTotals[i]!
    return {
      consultant: f.name,
      served: servedHidden ? null : f.served,
      firstVisits: firstHidden ? null : f.firstVisits,
      returns: returnsHidden ? null : f.returns,
      // a share of a hidden (small) count would tell it
      secondVisitShare:
        firstHidden || f.firstVisits === 0 ? null : Math.round((f.secondVisits / f.firstVisits) * 100) / 100,
    }
  })
}
