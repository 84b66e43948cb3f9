// Reads what a section 五 draft is written from: the agency's report of the year (when it is in the
// system) and the earlier report it follows (its report link, else the agency's latest earlier
// year), both confirmed and within the actor's scope. Null when the actor sees no report of the agency.
import { z } from 'zod'
import type { DB } from '../../db/db'
import { todayInShanghai } from '../tasks/dates'
import type { Actor } from '../auth/scope'
import { loadReportRecord } from './record.server'
import { buildSectionFiveDraft, type SectionFiveDraft } from './section-five'
import { inSubtree } from '../auth/scope.server'

/** Which draft: the agency and the year of the report being written. */
export const DraftQuery = z.object({ agency: z.string().min(1).max(100), year: z.coerce.number().int().min(2000).max(2100) })

function confirmedReports(db: DB, actor: Actor, agencyId: string) {
  let q = db
    .selectFrom('reports')
    .innerJoin('units', 'units.id', 'reports.unit_id')
    .select(['reports.id', 'reports.year'])
    .where('reports.agency_id', '=', agencyId)
    .where('reports.status', '=', 'confirmed')
    .where('reports.year', 'is not', null)
  q = q.where(inSubtree(actor, 'units.path'))
  return q
}

export async function loadSectionFiveDraft(
  db: DB,
  actor: Actor,
  agencyId: string,
  year: number,
  today = todayInShanghai(),
): Promise<SectionFiveDraft | null> {
  const agency = await db.selectFrom('agencies').select(['id', 'name']).where('id', '=', agencyId).executeTakeFirst()
  if (!agency) return null
  const current = await confirmedReports(db, actor, agencyId)
    .where('reports.year', '=', year)
    .orderBy('reports.created_at', 'desc')
    .executeTakeFirst()
  const linked = current
    ? await db
        .selectFrom('report_links')
        .innerJoin('reports', 'reports.id', 'report_links.earlier_report_id')
        .select('reports.id')
        .where('report_links.later_report_id', '=', current.id)
        .where('reports.status', '=', 'confirmed')
        .orderBy('reports.year', 'desc')
        .executeTakeFirst()
    : undefined
  const prior =
    linked ??
    (await confirmedReports(db, actor, agencyId)
      .where('reports.year', '<', year)
      .orderBy('reports.year', 'desc')
      .orderBy('reports.created_at', 'desc')
      .executeTakeFirst())
  if (!current && !prior) return null
  // loadReportRecord checks the scope again (a linked report may lie outside it).
  const [priorRecord, currentRecord] = await Promise.all([
    prior ? loadReportRecord(db, actor, prior.id, today) : null,
    current ? loadReportRecord(db, actor, current.id, today) : null,
  ])
  if (!priorRecord && !currentRecord) return null
  return buildSectionFiveDraft({ agencyId: agency.id, agencyName: agency.name, year, prior: priorRecord, current: currentRecord })
}

/** Agencies with a confirmed report in the actor's scope, newest year first: what a draft can be written for. */
export async function draftableAgencies(db: DB, actor: Actor) {
  let q = db
    .selectFrom('reports')
    .innerJoin('units', 'units.id', 'reports.unit_id')
    .innerJoin('agencies', 'agencies.id', 'reports.agency_id')
    .select(eb => ['agencies.id', 'agencies.name', eb.fn.max('reports.year').as('year')])
    .where('reports.status', '=', 'confirmed')
    .where('reports.year', 'is not', null)
    .groupBy(['agencies.id', 'agencies.name'])
    .orderBy('agencies.name')
    .limit(500)
  q = q.where(inSubtree(actor, 'units.path'))
  return (await q.execute()).map(r => ({ id: r.id, name: r.name, year: Number(r.year) }))
}
