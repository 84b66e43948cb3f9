// Search over reports, report items (not yet tasks) and tasks, within the actor's scope: tasks as
// the task lists see them (scopedTasks: the unit subtree, plus what the actor owns), reports and
// their items by the report's unit. Newest first; counts stop at COUNT_CAP so a common word costs
// no more than a rare one. A scope of fewer than SCAN_BELOW tasks is read directly, a
// larger one through the trigram index (engine.server.ts), so a city's supervisor does not wade
// through the whole province's matches. Results carry the matches as offsets (query.ts), never HTML.
import { sql, type SelectQueryBuilder } from 'kysely'
import type { DB } from '../../db/db'
import type { ReportStatus, SearchKind, TaskStatus } from '../../db/schema'
import { daysOverdue, todayInShanghai } from '../tasks/dates'
import { scopedTasks } from '../tasks/queries.server'
import { seesEverything, type Actor } from '../auth/scope'
import { coversWholeTree, inSubtree, scopeRoot, unitIdsUnder } from '../auth/scope.server'
import { matchDocuments, type Docs, type MatchMode } from './engine.server'
import { allVariants } from './variants.server'
import { isShortTerm, markAll, parseQuery, SEARCH_KINDS, snippet, type Marked, type SearchInput, type SearchQuery } from './query'

export type { SearchInput } from './query'

export const PAGE_SIZE = 20
/** Hits per group when all kinds are shown together. */
export const PREVIEW_SIZE = 5
/** Counted exactly up to this (ten pages); beyond it the page says "more than" and asks for more words. */
export const COUNT_CAP = 200
/**
 * Below this many tasks in scope, the scope's rows are read and checked; above, the index finds
 * the matches and the scope is checked on them. Reading the scope costs its size; the index costs
 * about COUNT_CAP ÷ (the scope's share of all documents) matches for a common word. The two meet
 * near √(COUNT_CAP × all documents): 9,000 at 400,000 tasks.
 */
export const SCAN_BELOW = 10_000

export interface SearchHit {
  kind: SearchKind
  id: string
  href: string
  title: Marked
  /** Where the words occur in the text; null for a report whose text does not contain them. */
  snippet: Marked | null
  itemKind: 'problem' | 'plan' | null
  reportStatus: ReportStatus | null
  taskStatus: TaskStatus | null
  agencyName: string | null
  year: number | null
  unitName: string | null
  filename: string
  dueDate: string | null
  overdueDays: number | null
}

export interface SearchGroup {
  kind: SearchKind
  /** Matches in scope, counted up to COUNT_CAP + 1. */
  total: number
  /** There are more than COUNT_CAP. */
  capped: boolean
  hits: SearchHit[]
  page: number
  pageCount: number
}

export interface SearchResult {
  query: SearchQuery
  groups: SearchGroup[]
  /** A 1–2 character word matched too many index entries: some results may be missing. */
  partial: boolean
  /** Some word has fewer than 3 characters (shown as a hint: longer words find more precisely). */
  shortTerms: boolean
}

interface Filters {
  path: string | null
  /** A small scope's units, listed (set when the scope is read directly): an index can start from them. */
  unitIds?: string[]
  /** The scope is not every unit: check it on the documents too (their unit copy), before any join. */
  docsScope: boolean
  /** The scope's units listed (up to MAX_LISTED_UNITS), for the check on the documents: a list gives the planner a fair estimate, a subquery does not. */
  docUnits?: string[]
  year?: number
  unitId?: string
  status?: TaskStatus
}

async function taskQuery(db: DB, actor: Actor, f: Filters, mode: MatchMode, docs: Docs) {
  let q = (await scopedTasks(db, actor, { status: f.status ? [f.status] : undefined, year: f.year, unitId: f.unitId }))
    .innerJoin(docs as 'search_docs_task as d', 'd.ref_id', 'tasks.id')
    .select([
      'd.title',
      'd.body',
      'tasks.id',
      'tasks.kind as item_kind',
      'tasks.status',
      'tasks.due_date',
      'tasks.report_id',
      'reports.agency_name',
      'reports.filename',
      'reports.year',
      'reports.title as report_title',
      'units.name as unit_name',
    ])
  // The same scope again, as a list the task-by-unit index can start from: reading a small scope
  // begins with its units (scopedTasks's path test alone gives the planner no index to start from).
  const ids = f.unitIds
  if (ids && mode === 'scan')
    q = q.where(eb =>
      seesEverything(actor) ? eb('tasks.unit_id', 'in', ids) : eb.or([eb('tasks.unit_id', 'in', ids), eb('tasks.owner_id', '=', actor.id)]),
    )
  // The filters once more on the document's copies, so they are checked before the joins.
  const path = f.path
  const docUnits = f.docUnits ?? (path ? unitIdsUnder(db, path) : null)
  if (docUnits && f.docsScope)
    q = q.where(eb =>
      seesEverything(actor) ? eb('d.unit_id', 'in', docUnits) : eb.or([eb('d.unit_id', 'in', docUnits), eb('d.owner_id', '=', actor.id)]),
    )
  if (f.year) q = q.where('d.year', '=', f.year)
  if (f.status) q = q.where('d.status', '=', f.status)
  return q
}

function reportQuery(db: DB, f: Filters, docs: Docs) {
  let q = db
    .selectFrom('reports')
    .innerJoin('units', 'units.id', 'reports.unit_id')
    .innerJoin(docs as 'search_docs_report as d', 'd.ref_id', 'reports.id')
    .select([
      'd.title',
      'd.body',
      'reports.id',
      'reports.status',
      'reports.agency_name',
      'reports.filename',
      'reports.year',
      'reports.title as report_title',
      'units.name as unit_name',
    ])
  if (f.unitIds) q = q.where('reports.unit_id', 'in', f.unitIds)
  else if (f.path) q = q.where('reports.unit_id', 'in', unitIdsUnder(db, f.path))
  if (f.path && f.docsScope) q = q.where('d.unit_id', 'in', f.docUnits ?? unitIdsUnder(db, f.path))
  if (f.year) q = q.where('reports.year', '=', f.year).where('d.year', '=', f.year)
  return q
}

function itemQuery(db: DB, f: Filters, docs: Docs) {
  let q = db
    .selectFrom('report_items')
    .innerJoin('reports', 'reports.id', 'report_items.report_id')
    .innerJoin('units', 'units.id', 'reports.unit_id')
    .innerJoin(docs as 'search_docs_item as d', 'd.ref_id', 'report_items.id')
    .select([
      'd.title',
      'd.body',
      'report_items.id',
      'report_items.kind as item_kind',
      'report_items.report_id',
      'reports.status',
      'reports.agency_name',
      'reports.filename',
      'reports.year',
      'reports.title as report_title',
      'units.name as unit_name',
    ])
  if (f.unitIds) q = q.where('reports.unit_id', 'in', f.unitIds)
  else if (f.path) q = q.where('reports.unit_id', 'in', unitIdsUnder(db, f.path))
  if (f.path && f.docsScope) q = q.where('d.unit_id', 'in', f.docUnits ?? unitIdsUnder(db, f.path))
  if (f.year) q = q.where('reports.year', '=', f.year).where('d.year', '=', f.year)
  return q
}

type Row = Record<string, unknown> & {
  id: string
  title: string
  body: string
  agency_name: string | null
  filename: string
  year: number | null
  report_title: string | null
  unit_name: string | null
}

function toHit(kind: SearchKind, r: Row, words: readonly string[], today: string): SearchHit {
  const terms = allVariants(words)
  const base = {
    kind,
    id: r.id,
    agencyName: r.agency_name,
    year: r.year === null ? null : Number(r.year),
    unitName: r.unit_name,
    filename: r.filename,
    itemKind: null,
    reportStatus: null,
    taskStatus: null,
    dueDate: null,
    overdueDays: null,
  }
  if (kind === 'report') {
    const text = snippet(r.body, terms)
    return {
      ...base,
      href: `/reports/${r.id}`,
      title: markAll(r.report_title || r.agency_name || r.filename, terms),
      snippet: text.highlights.length ? text : null,
      reportStatus: r.status as ReportStatus,
    }
  }
  const itemKind = r.item_kind as 'problem' | 'plan'
  if (kind === 'item')
    return {
      ...base,
      href: `/reports/${r.report_id}#mark-${r.id}`,
      title: markAll(r.title, terms),
      snippet: snippet(r.body, terms),
      itemKind,
      reportStatus: r.status as ReportStatus,
    }
  const status = r.status as TaskStatus
  const dueDate = (r.due_date as string | null) ?? null
  return {
    ...base,
    href: `/tasks/${r.id}`,
    title: markAll(r.title, terms),
    snippet: snippet(r.body, terms),
    itemKind,
    taskStatus: status,
    dueDate,
    overdueDays: daysOverdue(dueDate, status, today),
  }
}

/** A scope with more units than this is large, whatever its tasks. */
const MAX_LISTED_UNITS = 2000

/**
 * How to match in this scope: 'scan' (with the scope's units listed) when it holds fewer than
 * `scanBelow` tasks, else 'index'. Reads at most `scanBelow` index entries; none when the scope is
 * every unit (`whole`).
 */
async function matchMode(
  db: DB,
  path: string | null,
  scanBelow: number,
): Promise<{ mode: MatchMode; unitIds?: string[]; listed?: string[]; whole: boolean }> {
  if (!path) return { mode: 'index', whole: true }
  if (await coversWholeTree(db, path)) return { mode: 'index', whole: true }
  if (scanBelow <= 0) return { mode: 'index', whole: false }
  const units = (
    await unitIdsUnder(db, path)
      .limit(MAX_LISTED_UNITS + 1)
      .execute()
  ).map(u => u.id)
  if (!units.length || units.length > MAX_LISTED_UNITS) return { mode: 'index', whole: false }
  const listed = db.selectFrom('tasks').select('tasks.id').where('tasks.unit_id', 'in', units).limit(scanBelow)
  const n = await db
    .selectFrom(listed.as('s'))
    .select(eb => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(n.n) < scanBelow ? { mode: 'scan', unitIds: units, whole: false } : { mode: 'index', listed: units, whole: false }
}

async function searchKind(
  db: DB,
  actor: Actor,
  kind: SearchKind,
  terms: readonly string[],
  f: Filters,
  mode: MatchMode,
  page: number,
  size: number,
  today: string,
): Promise<{ group: SearchGroup; partial: boolean }> {
  // Items are documents only until their report is confirmed: their index stays small, so it always drives.
  const match = await matchDocuments(db, kind, terms, kind === 'item' ? 'index' : mode)
  if (!match) return { group: emptyGroup(kind), partial: false }
  // The three queries differ only in their joins and columns; past this point they are handled alike.
  const build = (docs: Docs): Promise<SelectQueryBuilder<any, any, any>> | SelectQueryBuilder<any, any, any> =>
    kind === 'task' ? taskQuery(db, actor, f, mode, docs) : kind === 'report' ? reportQuery(db, f, docs) : itemQuery(db, f, docs)
  const counted = await db
    .selectFrom(
      (await match.count(build))
        .clearSelect()
        .select('d.doc_id')
        .limit(COUNT_CAP + 1)
        .as('c'),
    )
    .select(eb => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  const total = Number(counted.n)
  const pageCount = Math.max(1, Math.ceil(Math.min(total, COUNT_CAP) / size))
  const current = Math.min(Math.max(1, page), pageCount)
  const rows = total === 0 ? [] : ((await match.page(build, total, COUNT_CAP, size, (current - 1) * size)) as Row[])
  return {
    group: {
      kind,
      total: Math.min(total, COUNT_CAP),
      capped: total > COUNT_CAP,
      hits: rows.map(r => toHit(kind, r, terms, today)),
      page: current,
      pageCount,
    },
    partial: match.partial && total <= COUNT_CAP,
  }
}

const emptyGroup = (kind: SearchKind): SearchGroup => ({ kind, total: 0, capped: false, hits: [], page: 1, pageCount: 1 })

/** `scanBelow`: tests set it to force one way (0: always the index; large: read every scope directly). */
export async function search(
  db: DB,
  actor: Actor,
  input: SearchInput,
  today = todayInShanghai(),
  { scanBelow = SCAN_BELOW }: { scanBelow?: number } = {},
): Promise<SearchResult> {
  const query = parseQuery(input.q)
  // A status is a task's: with one, only tasks are searched.
  const kinds = input.kind ? [input.kind] : input.status ? (['task'] as SearchKind[]) : [...SEARCH_KINDS]
  // Where a unit filter points; a unit outside the actor's scope is "not found", like any record.
  const path = await scopeRoot(db, actor, input.unitId)
  const shortTerms = query.terms.some(isShortTerm)
  if (!query.terms.length) return { query, groups: kinds.map(emptyGroup), partial: false, shortTerms }
  const { mode, unitIds, listed, whole } = await matchMode(db, path, scanBelow)
  const f: Filters = {
    path,
    unitIds,
    docUnits: listed,
    docsScope: mode === 'index' && !whole,
    year: input.year,
    unitId: input.unitId,
    status: input.status,
  }
  const size = input.kind ? PAGE_SIZE : PREVIEW_SIZE
  const groups: SearchGroup[] = []
  let partial = false
  // One after another: SQLite has one connection, and on PostgreSQL each is a few index reads.
  for (const kind of kinds) {
    // A status is a task's: reports and items have none to match.
    const r =
      input.status && kind !== 'task'
        ? { group: emptyGroup(kind), partial: false }
        : await searchKind(db, actor, kind, query.terms, f, mode, input.kind ? (input.page ?? 1) : 1, size, today)
    groups.push(r.group)
    partial ||= r.partial
  }
  return { query, groups, partial, shortTerms }
}

/** Units offered by the filter: the actor's own and two levels below (any unit in scope is accepted by id). */
export async function searchUnits(db: DB, actor: Actor): Promise<{ id: string; name: string; depth: number }[]> {
  const slashes = (p: string) => p.split('/').length - 1
  // Depth is the number of "/" in the path: counted in SQL, so a tree of 10,000 units is not read whole.
  const top = seesEverything(actor) ? 2 : slashes(actor.unitPath)
  let q = db
    .selectFrom('units')
    .select(['id', 'name', 'path'])
    .where(sql<boolean>`length(path) - length(replace(path, '/', '')) <= ${top + 2}`)
    .orderBy('path')
    .limit(500)
  const units = await q.where(inSubtree(actor, 'units.path')).execute()
  return units.map(u => ({ id: u.id, name: u.name, depth: slashes(u.path) - top }))
}
