// Reads of reports, always within the user's scope (a unit subtree).
import { sql } from 'kysely'
import type { DB } from '../../db/db'
import type { SessionUser } from '../auth/session.server'

function scoped<T extends { where: Function }>(q: T, user: SessionUser): T {
  return user.role === 'admin' ? q : (q.where('units.path', 'like', `${user.unitPath}%`) as T)
}

export async function listReportsForUser(db: DB, user: SessionUser) {
  const q = db
    .selectFrom('reports')
    .innerJoin('units', 'units.id', 'reports.unit_id')
    .select(eb => [
      'reports.id',
      'reports.filename',
      'reports.status',
      'reports.error',
      'reports.agency_name',
      'reports.year',
      'reports.created_at',
      eb.selectFrom('report_items').whereRef('report_items.report_id', '=', 'reports.id').where('kind', '=', 'problem').select(e => e.fn.countAll<number>().as('n')).as('problems'),
      eb.selectFrom('report_items').whereRef('report_items.report_id', '=', 'reports.id').where('kind', '=', 'plan').select(e => e.fn.countAll<number>().as('n')).as('plans'),
    ])
    .orderBy('reports.created_at', 'desc')
    .limit(500)
  return scoped(q, user).execute()
}

export async function getReportForUser(db: DB, { id, user }: { id: string; user: SessionUser }) {
  const q = db
    .selectFrom('reports')
    .innerJoin('units', 'units.id', 'reports.unit_id')
    .select(['reports.id', 'reports.filename', 'reports.status', 'reports.error', 'reports.text', 'reports.encoding', 'reports.format', 'reports.agency_name', 'reports.agency_confidence', 'reports.year', 'reports.year_confidence', 'reports.sections', 'reports.published_at', 'reports.title', 'reports.created_at', 'reports.unit_id', 'units.name as unit_name'])
    .where('reports.id', '=', id)
  const report = await scoped(q, user).executeTakeFirst()
  if (!report) return null
  const items = await db.selectFrom('report_items').selectAll().where('report_id', '=', id).orderBy('seq').execute()
  return { report, items }
}

/**
 * Every year a report is for, newest first: one probe of the (year, …) index per year, where
 * DISTINCT would read every report (10 ms a page at 10,000 reports on PostgreSQL).
 */
export async function reportYears(db: DB): Promise<number[]> {
  const { rows } = await sql<{ year: number }>`
    with recursive y(year) as (
      select (select year from reports where year is not null order by year desc limit 1)
      union all
      select (select r.year from reports r where r.year < y.year order by r.year desc limit 1) from y where y.year is not null
    )
    select year from y where year is not null`.execute(db)
  return rows.map(r => Number(r.year))
}

/** Reports extracted and not yet confirmed, in the user's scope, oldest first (the 待办 page), with their number. */
export async function reportsAwaitingReview(db: DB, user: SessionUser, limit = 5) {
  const base = scoped(db.selectFrom('reports').innerJoin('units', 'units.id', 'reports.unit_id').where('reports.status', '=', 'extracted'), user)
  const [rows, count] = await Promise.all([
    base.select(['reports.id', 'reports.filename', 'reports.agency_name', 'reports.year', 'reports.title', 'reports.created_at']).orderBy('reports.created_at').orderBy('reports.id').limit(limit).execute(),
    base.select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  return { count: Number(count.n), rows }
}
