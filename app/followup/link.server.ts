// Links a report to the same agency's reports of the year before and after, and stores the
// follow-up engine's findings as suggestions. Safe to run again: links and suggestions are keyed.
import type { DB } from '../../db/db'
import { newId, nowIso } from '../../db/ids'
import type { ReportItem } from '../../db/schema'
import type { Extraction } from '../extract/types'
import { agencyParts, followUp, reportAgency, type ReportForFollowUp } from './index'

interface StoredReport {
  id: string
  year: number
  report: ReportForFollowUp
  items: ReportItem[]
}

async function loadReport(db: DB, id: string): Promise<StoredReport | null> {
  const r = await db.selectFrom('reports').select(['id', 'text', 'year', 'agency_name', 'published_at', 'title', 'status']).where('id', '=', id).executeTakeFirst()
  if (!r || r.text === null || r.year === null || (r.status !== 'extracted' && r.status !== 'confirmed')) return null
  const items = await db.selectFrom('report_items').selectAll().where('report_id', '=', id).orderBy('start_offset').execute()
  const extraction: Extraction = {
    agency: r.agency_name,
    agencyNormalized: null,
    year: r.year,
    publishedAt: r.published_at,
    title: r.title,
    // The reviewed items, as the supervisor left them, not a fresh extraction.
    items: items.map(i => ({ kind: i.kind, title: i.title, text: i.text, start: i.start_offset, end: i.end_offset, answers: [], due: i.due_date })),
  }
  return { id: r.id, year: r.year, items, report: { text: r.text, extraction } }
}

/**
 * Candidates: the reports of the year before and after that name the same innermost place (or no
 * agency at all). Agency rows are not trusted here: names drift between years (short forms,
 * traditional script), which is what the engine's agency match is for.
 */
async function candidates(db: DB, me: StoredReport): Promise<string[]> {
  const agency = reportAgency(me.report)
  const place = agency ? agencyParts(agency).places.at(-1)?.replace(/(?:省|市|县|区|镇|乡|自治州|自治县|街道)$/, '') : undefined
  let q = db.selectFrom('reports').select('id').where('id', '!=', me.id).where('year', 'in', [me.year - 1, me.year + 1]).where('status', 'in', ['extracted', 'confirmed'])
  if (place && place.length >= 2) q = q.where(eb => eb.or([eb('agency_name', 'like', `%${place}%`), eb('agency_name', 'is', null)]))
  return (await q.limit(500).execute()).map(r => r.id)
}

export async function linkReport(db: DB, reportId: string): Promise<{ links: number; suggestions: number }> {
  const me = await loadReport(db, reportId)
  if (!me) return { links: 0, suggestions: 0 }
  let links = 0
  let suggestions = 0
  for (const otherId of await candidates(db, me)) {
    const other = await loadReport(db, otherId)
    if (!other) continue
    const [earlier, later] = other.year < me.year ? [other, me] : [me, other]
    const result = followUp(earlier.report, later.report)
    if (!result.sameAgency.match) continue
    const now = nowIso()
    await db.transaction().execute(async trx => {
      const link = await trx
        .insertInto('report_links')
        .values({ earlier_report_id: earlier.id, later_report_id: later.id, score: result.sameAgency.score, created_at: now })
        .onConflict(oc => oc.columns(['earlier_report_id', 'later_report_id']).doNothing())
        .executeTakeFirst()
      links += Number(link.numInsertedOrUpdatedRows ?? 0)
      const itemByText = (items: ReportItem[], kind: 'problem' | 'plan', text: string) => items.find(i => i.kind === kind && i.text === text)
      const rows = []
      for (const e of result.evidence) {
        const plan = itemByText(earlier.items, 'plan', e.plan)
        if (!plan) continue
        rows.push({ kind: 'evidence' as const, earlier_item_id: plan.id, later_item_id: null, passage: e.passage, start_offset: e.start, end_offset: e.end, score: e.score, dedupe_key: `evidence:${plan.id}:${later.id}:${e.start}` })
      }
      for (const r of result.recurring) {
        const a = itemByText(earlier.items, 'problem', r.earlier)
        const b = itemByText(later.items, 'problem', r.later)
        if (!a || !b) continue
        rows.push({ kind: 'recurring' as const, earlier_item_id: a.id, later_item_id: b.id, passage: b.text, start_offset: b.start_offset, end_offset: b.end_offset, score: r.score, dedupe_key: `recurring:${a.id}:${later.id}:${b.id}` })
      }
      for (const row of rows) {
        const res = await trx
          .insertInto('followup_suggestions')
          .values({ id: newId(), ...row, earlier_report_id: earlier.id, later_report_id: later.id, status: 'pending', decided_by: null, decided_at: null, created_at: now })
          .onConflict(oc => oc.column('dedupe_key').doNothing())
          .executeTakeFirst()
        suggestions += Number(res.numInsertedOrUpdatedRows ?? 0)
      }
    })
  }
  return { links, suggestions }
}
