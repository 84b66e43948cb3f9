// Reads what promise-keeping is computed from, for reports already scoped by the caller (the agency
// page's reports): their items and the confirmed follow-up findings between them.
import type { DB } from '../../db/db'
import { promiseKeeping, type PromiseYear } from './promises'

export async function promiseFigures(db: DB, reports: readonly { id: string; year: number }[]): Promise<PromiseYear[]> {
  if (reports.length < 2) return []
  const ids = reports.map(r => r.id)
  const yearOf = new Map(reports.map(r => [r.id, r.year]))
  const [items, findings] = await Promise.all([
    db.selectFrom('report_items').select(['id', 'kind', 'report_id']).where('report_id', 'in', ids).execute(),
    db
      .selectFrom('followup_suggestions')
      .select(['kind', 'earlier_item_id', 'later_report_id'])
      .where('status', '=', 'confirmed')
      .where('earlier_report_id', 'in', ids)
      .where('later_report_id', 'in', ids)
      .execute(),
  ])
  return promiseKeeping(
    items.map(i => ({ id: i.id, kind: i.kind, year: yearOf.get(i.report_id)! })),
    findings.map(f => ({ kind: f.kind, earlierItemId: f.earlier_item_id, laterYear: yearOf.get(f.later_report_id)! })),
  )
}
