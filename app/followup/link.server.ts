// The follow-up step of a report: link it to its agency's reports of the year before and after (or
// of the nearest year beyond a missing one), store the engine's findings as suggestions, and remind
// about the agency's open earlier tasks.
// It runs as its own job after extraction and again after an agency merge or split; every part is
// keyed (links, suggestions, reminders), so running it again adds nothing.
import type { DB } from '../../db/db'
import { newId, nowIso } from '../../db/ids'
import type { FollowupSuggestionTable, Report, ReportItem } from '../../db/schema'
import type { Extraction } from '../extract/types'
import { unitIdsInLineWith } from '../auth/scope.server'
import { reportUnitPath } from '../org/org.server'
import { notifyOpenPriorYearTasks } from '../reminders/prior-year.server'
import { agencyParts } from '../agencies/match'
import { reportAgency } from '../agencies/report-agency'
import { distinctPair } from '../agencies/resolve'
import { followUp, type FollowUp, type ReportForFollowUp } from './index'

interface StoredReport {
  id: string
  year: number
  agencyId: string | null
  report: ReportForFollowUp
  items: ReportItem[]
}

const REPORT_COLUMNS = ['id', 'text', 'year', 'agency_id', 'agency_name', 'published_at', 'title', 'status'] as const
type ReportRow = Pick<Report, (typeof REPORT_COLUMNS)[number]>

/** Extracted or confirmed reports with their items, in two queries whatever their number. */
async function loadReports(db: DB, ids: string[]): Promise<Map<string, StoredReport>> {
  if (!ids.length) return new Map()
  return withItems(db, await db.selectFrom('reports').select(REPORT_COLUMNS).where('id', 'in', ids).execute())
}

/** These report rows (the extracted or confirmed ones with a text and a year) with their items, in one query. */
async function withItems(db: DB, reports: ReportRow[]): Promise<Map<string, StoredReport>> {
  const out = new Map<string, StoredReport>()
  const usable = reports.filter(r => r.text !== null && r.year !== null && (r.status === 'extracted' || r.status === 'confirmed'))
  if (!usable.length) return out
  const items = await db
    .selectFrom('report_items')
    .selectAll()
    .where(
      'report_id',
      'in',
      usable.map(r => r.id),
    )
    .orderBy('report_id')
    .orderBy('start_offset')
    .execute()
  const itemsOf = new Map<string, ReportItem[]>()
  for (const i of items) {
    const list = itemsOf.get(i.report_id)
    if (list) list.push(i)
    else itemsOf.set(i.report_id, [i])
  }
  for (const r of usable) {
    const mine = itemsOf.get(r.id) ?? []
    const extraction: Extraction = {
      agency: r.agency_name,
      agencyNormalized: null,
      agencyConfidence: null,
      year: r.year,
      publishedAt: r.published_at,
      title: r.title,
      // The reviewed items, as the supervisor left them, not a fresh extraction.
      items: mine.map(i => ({
        kind: i.kind,
        title: i.title,
        text: i.text,
        start: i.start_offset,
        end: i.end_offset,
        answers: [],
        due: i.due_date,
      })),
    }
    out.set(r.id, { id: r.id, year: r.year!, agencyId: r.agency_id, items: mine, report: { text: r.text!, extraction } })
  }
  return out
}

async function loadReport(db: DB, id: string): Promise<StoredReport | null> {
  return (await loadReports(db, [id])).get(id) ?? null
}

/**
 * Candidates: the same agency's reports of these years (the agency rows, which
 * administrators merge and split, decide), and neighbouring reports filed under no agency (我局
 * with no name in the title, a name that identifies no one) that name the same innermost place,
 * for the engine's agency match to judge. A report under no agency is judged that way against all
 * its neighbours of the same place.
 */
async function candidates(db: DB, me: StoredReport, years: number[]): Promise<string[]> {
  const agency = reportAgency(me.report)
  const place = agency
    ? agencyParts(agency)
        .places.at(-1)
        ?.replace(/(?:省|市|县|区|镇|乡|自治州|自治县|街道)$/, '')
    : undefined
  const byPlace = !!place && place.length >= 2
  // A neighbour already linked was compared when the link was made (by its own step, which found
  // this report extracted), from the same texts and items: not loaded and compared again.
  const base = () =>
    db
      .selectFrom('reports')
      .select('id')
      .where('id', '!=', me.id)
      .where('year', 'in', years)
      .where('status', 'in', ['extracted', 'confirmed'])
      .where('id', 'not in', db.selectFrom('report_links').select('later_report_id').where('earlier_report_id', '=', me.id))
      .where('id', 'not in', db.selectFrom('report_links').select('earlier_report_id').where('later_report_id', '=', me.id))
  const samePlace = <Q extends ReturnType<typeof base>>(q: Q): Q =>
    byPlace ? (q.where(eb => eb.or([eb('agency_name', 'like', `%${place}%`), eb('agency_name', 'is', null)])) as Q) : q
  // Only reports of units on one line with this one's (decision: a forged or foreign copy cannot link).
  const myPath = await reportUnitPath(db, me.id)
  if (!myPath) return []
  const inLine = <Q extends ReturnType<typeof base>>(q: Q): Q => q.where('unit_id', 'in', unitIdsInLineWith(db, myPath)) as Q
  const agencyId = me.agencyId
  if (!agencyId) return (await inLine(samePlace(base())).limit(500).execute()).map(r => r.id)
  // The agency's own reports and the unfiled ones, each read from the (agency, year) index: one
  // query with OR between them read every report of both years (a province: 20,000 per report).
  const own = await inLine(base().where('agency_id', '=', agencyId))
    .limit(500)
    .execute()
  const unfiled = await inLine(samePlace(base().where('agency_id', 'is', null)))
    .limit(500 - own.length)
    .execute()
  return [...own, ...unfiled].map(r => r.id)
}

/** The engine's comparison of two reports; the worker runs it in its extraction threads. */
export type CompareReports = (earlier: ReportForFollowUp, later: ReportForFollowUp) => FollowUp | Promise<FollowUp>

export interface LinkOptions {
  compare?: CompareReports
}

/** A link the step will write, with its suggestions: decided from reads and the engine, before any write. */
interface PlannedLink {
  earlierId: string
  laterId: string
  score: number
  suggestions: Omit<
    FollowupSuggestionTable,
    'id' | 'earlier_report_id' | 'later_report_id' | 'status' | 'decided_by' | 'decided_at' | 'created_at'
  >[]
}

/** Years without a report of the agency that a link may skip (2019 → 2021 when 2020 is missing). */
export const MAX_MISSING_YEARS = 2

/**
 * The links of a report: to its agency's reports of the year before and after, and, in a direction
 * where there is none and no link yet, to the nearest year within MAX_MISSING_YEARS beyond
 * (a 2021 report follows up 2019's commitments when 2020's report is missing).
 */
async function planLinks(db: DB, me: StoredReport, compare: CompareReports): Promise<PlannedLink[]> {
  const planned = await planLinksIn(db, me, compare, [me.year - 1, me.year + 1])
  for (const dir of [-1, 1]) {
    const covered = (p: PlannedLink) => (dir < 0 ? p.laterId === me.id : p.earlierId === me.id)
    if (planned.some(covered) || (await linkedTowards(db, me, dir))) continue
    for (let gap = 2; gap <= MAX_MISSING_YEARS + 1; gap++) {
      const found = await planLinksIn(db, me, compare, [me.year + dir * gap])
      if (!found.length) continue
      planned.push(...found)
      break
    }
  }
  return planned
}

/** Whether the report already has a link to an earlier (dir −1) or later (dir 1) report. */
async function linkedTowards(db: DB, me: StoredReport, dir: number): Promise<boolean> {
  const row = await db
    .selectFrom('report_links')
    .select('earlier_report_id')
    .where(dir < 0 ? 'later_report_id' : 'earlier_report_id', '=', me.id)
    .limit(1)
    .executeTakeFirst()
  return !!row
}

async function planLinksIn(db: DB, me: StoredReport, compare: CompareReports, years: number[]): Promise<PlannedLink[]> {
  const planned: PlannedLink[] = []
  const ids = await candidates(db, me, years)
  const others = await loadReports(db, ids)
  for (const otherId of ids) {
    const other = others.get(otherId)
    if (!other) continue
    // Two agencies that are not one never link, whatever their names say.
    if (me.agencyId && other.agencyId && me.agencyId !== other.agencyId) continue
    const byAgency = !!me.agencyId && me.agencyId === other.agencyId
    const [earlier, later] = other.year < me.year ? [other, me] : [me, other]
    const result = await compare(earlier.report, later.report)
    if (!byAgency && !result.sameAgency.match) continue
    // One agency row: the names may not say so (an administrator merged them); then the link is certain.
    const score = result.sameAgency.match ? result.sameAgency.score : 1
    const itemByText = (items: ReportItem[], kind: 'problem' | 'plan', text: string) => items.find(i => i.kind === kind && i.text === text)
    const suggestions: PlannedLink['suggestions'] = []
    for (const e of result.evidence) {
      const plan = itemByText(earlier.items, 'plan', e.plan)
      if (!plan) continue
      suggestions.push({
        kind: 'evidence',
        earlier_item_id: plan.id,
        later_item_id: null,
        passage: e.passage,
        start_offset: e.start,
        end_offset: e.end,
        score: e.score,
        dedupe_key: `evidence:${plan.id}:${later.id}:${e.start}`,
      })
    }
    for (const r of result.recurring) {
      const a = itemByText(earlier.items, 'problem', r.earlier)
      const b = itemByText(later.items, 'problem', r.later)
      if (!a || !b) continue
      suggestions.push({
        kind: 'recurring',
        earlier_item_id: a.id,
        later_item_id: b.id,
        passage: b.text,
        start_offset: b.start_offset,
        end_offset: b.end_offset,
        score: r.score,
        dedupe_key: `recurring:${a.id}:${later.id}:${b.id}`,
      })
    }
    planned.push({ earlierId: earlier.id, laterId: later.id, score, suggestions })
  }
  return planned
}

/** Links to an agency an administrator split from this one's are stale and go; the planned links are added (keyed: none twice). */
async function writeLinks(trx: DB, me: StoredReport, planned: PlannedLink[]): Promise<{ links: number; suggestions: number }> {
  // Only a report of an agency that was split from another can have such links.
  if (
    me.agencyId &&
    (await trx
      .selectFrom('agency_distinct')
      .select('agency_a')
      .where(eb => eb.or([eb('agency_a', '=', me.agencyId!), eb('agency_b', '=', me.agencyId!)]))
      .limit(1)
      .executeTakeFirst())
  )
    await unlinkOtherAgencies(trx, [me.id], 'distinct')
  if (!planned.length) return { links: 0, suggestions: 0 }
  const now = nowIso()
  // A report has a link or two (the year before and after): one statement for them all.
  const inserted = await trx
    .insertInto('report_links')
    .values(planned.map(p => ({ earlier_report_id: p.earlierId, later_report_id: p.laterId, score: p.score, created_at: now })))
    .onConflict(oc => oc.columns(['earlier_report_id', 'later_report_id']).doNothing())
    .executeTakeFirst()
  const rows = planned.flatMap(p =>
    p.suggestions.map(row => ({
      id: newId(),
      ...row,
      earlier_report_id: p.earlierId,
      later_report_id: p.laterId,
      status: 'pending' as const,
      decided_by: null,
      decided_at: null,
      created_at: now,
    })),
  )
  let suggestions = 0
  // In chunks: PostgreSQL takes at most 65,535 parameters a statement.
  for (let i = 0; i < rows.length; i += 500) {
    const res = await trx
      .insertInto('followup_suggestions')
      .values(rows.slice(i, i + 500))
      .onConflict(oc => oc.column('dedupe_key').doNothing())
      .executeTakeFirst()
    suggestions += Number(res.numInsertedOrUpdatedRows ?? 0)
  }
  return { links: Number(inserted.numInsertedOrUpdatedRows ?? 0), suggestions }
}

/** Links a report to its neighbours of the year before and after, or beyond a missing year (see runFollowUp, which also marks it done). */
export async function linkReport(db: DB, reportId: string, opts: LinkOptions = {}): Promise<{ links: number; suggestions: number }> {
  const me = await loadReport(db, reportId)
  if (!me) return { links: 0, suggestions: 0 }
  const planned = await planLinks(db, me, opts.compare ?? followUp)
  return db.transaction().execute(trx => writeLinks(trx, me, planned))
}

/**
 * Removes the links between these reports and reports filed under another agency (every other
 * agency, or only those an administrator split from theirs), with the links' still-pending
 * suggestions. Confirmed and rejected suggestions stay: they are already history on the timelines.
 */
export async function unlinkOtherAgencies(db: DB, reportIds: string[], which: 'all' | 'distinct'): Promise<number> {
  if (!reportIds.length) return 0
  const links = await db
    .selectFrom('report_links as l')
    .innerJoin('reports as e', 'e.id', 'l.earlier_report_id')
    .innerJoin('reports as la', 'la.id', 'l.later_report_id')
    .select(['l.earlier_report_id', 'l.later_report_id', 'e.agency_id as earlier_agency', 'la.agency_id as later_agency'])
    .where(eb => eb.or([eb('l.earlier_report_id', 'in', reportIds), eb('l.later_report_id', 'in', reportIds)]))
    .execute()
  let stale = links.filter(l => l.earlier_agency && l.later_agency && l.earlier_agency !== l.later_agency)
  if (which === 'distinct' && stale.length) {
    const pairs = stale.map(l => distinctPair(l.earlier_agency!, l.later_agency!))
    const rows = await db
      .selectFrom('agency_distinct')
      .select(['agency_a', 'agency_b'])
      .where(eb => eb.or(pairs.map(([a, b]) => eb.and([eb('agency_a', '=', a), eb('agency_b', '=', b)]))))
      .execute()
    const distinct = new Set(rows.map(r => `${r.agency_a} ${r.agency_b}`))
    stale = stale.filter(l => distinct.has(distinctPair(l.earlier_agency!, l.later_agency!).join(' ')))
  }
  for (const l of stale) {
    await db
      .deleteFrom('followup_suggestions')
      .where('earlier_report_id', '=', l.earlier_report_id)
      .where('later_report_id', '=', l.later_report_id)
      .where('status', '=', 'pending')
      .execute()
    await db
      .deleteFrom('report_links')
      .where('earlier_report_id', '=', l.earlier_report_id)
      .where('later_report_id', '=', l.later_report_id)
      .execute()
  }
  return stale.length
}

// ─── The follow-up step as a job ───────────────────────────────────────────────────────────────

/** A request to run the follow-up step of a report; the generation makes the job's business key. */
export interface FollowUpRequest {
  reportId: string
  generation: number
}

export interface FollowUpResult {
  reminders: number
  links: number
  suggestions: number
  /** False when the report was changed (merged, split) meanwhile: a newer request runs it again. */
  done: boolean
}

/**
 * The follow-up job: prior-year reminders, then linking, then followup_done_at — unless another
 * request came in meanwhile (its own job, or the worker's resync, runs the step again on fresh data).
 * Null for a report that is not extracted.
 */
export async function runFollowUp(db: DB, reportId: string, opts: LinkOptions = {}): Promise<FollowUpResult | null> {
  const r = await db
    .selectFrom('reports')
    .select([...REPORT_COLUMNS, 'followup_generation'])
    .where('id', '=', reportId)
    .executeTakeFirst()
  if (!r || (r.status !== 'extracted' && r.status !== 'confirmed')) return null
  const reminders = await notifyOpenPriorYearTasks(db, r)
  // Reads and the engine first, then every write of the step in one transaction: one commit per
  // report instead of one per link and one for the mark (a batch import's follow-ups share
  // SQLite's single writer with everything else).
  const me = (await withItems(db, [r])).get(reportId)
  const planned = me ? await planLinks(db, me, opts.compare ?? followUp) : []
  return db.transaction().execute(async trx => {
    const linked = me ? await writeLinks(trx, me, planned) : { links: 0, suggestions: 0 }
    const res = await trx
      .updateTable('reports')
      .set({ followup_done_at: nowIso() })
      .where('id', '=', reportId)
      .where('followup_generation', '=', r.followup_generation)
      .executeTakeFirst()
    return { reminders: reminders.recorded, ...linked, done: Number(res.numUpdatedRows) > 0 }
  })
}

/** Asks for the follow-up step to run again on these reports (after an agency merge or split). */
export async function requestFollowUp(db: DB, reportIds: string[]): Promise<FollowUpRequest[]> {
  if (!reportIds.length) return []
  await db
    .updateTable('reports')
    .set(eb => ({ followup_done_at: null, followup_generation: eb('followup_generation', '+', 1) }))
    .where('id', 'in', reportIds)
    .execute()
  return pendingFollowUps(db, reportIds)
}

/** Of these reports, those whose follow-up step is due (extracted or confirmed, not done). */
export async function pendingFollowUps(db: DB, reportIds: string[]): Promise<FollowUpRequest[]> {
  if (!reportIds.length) return []
  const rows = await db
    .selectFrom('reports')
    .select(['id', 'followup_generation'])
    .where('id', 'in', reportIds)
    .where('followup_done_at', 'is', null)
    .where('status', 'in', ['extracted', 'confirmed'])
    .execute()
  return rows.map(r => ({ reportId: r.id, generation: r.followup_generation }))
}

/**
 * Every report whose follow-up step is due: the worker re-queues them at start and on each resync.
 * A report changed in the last `olderThanMs` (just extracted: its step is running in the reports
 * job) is left to that. Ledger imports are typed-in tasks, not a year's report, and are not followed up.
 */
export async function listFollowUpsDue(
  db: DB,
  { limit = 1000, olderThanMs = 0 }: { limit?: number; olderThanMs?: number } = {},
): Promise<FollowUpRequest[]> {
  const before = new Date(Date.now() - olderThanMs).toISOString()
  const rows = await db
    .selectFrom('reports')
    .select(['id', 'followup_generation'])
    .where('followup_done_at', 'is', null)
    .where('updated_at', '<=', before)
    .where('status', 'in', ['extracted', 'confirmed'])
    .where(eb => eb.or([eb('format', 'is', null), eb('format', '!=', 'ledger')]))
    .orderBy('updated_at')
    .limit(limit)
    .execute()
  return rows.map(r => ({ reportId: r.id, generation: r.followup_generation }))
}
