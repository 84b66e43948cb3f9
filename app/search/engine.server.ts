// The only engine-specific part of search: how `search_documents d` of one kind is narrowed to the
// documents containing every word. Everything else (scope, filters, order, paging) is one Kysely query.
//
// Two ways, chosen by the caller from the size of the scope:
// - 'scan' (a small scope): the scope's own rows, each checked with LIKE (ILIKE on PostgreSQL).
//   Exact for words of any length, and no index entry read for matches outside the scope.
// - 'index' (a large scope): the trigram index drives.
//   SQLite: the kind's FTS5 trigram table (rowid = d.doc_id). A word of 3+ characters is one FTS5
//   phrase; a word of 1–2 characters is the OR of the indexed trigrams that begin with it (every
//   indexed value ends with two U+E000, so every character begins one), read from the kind's
//   fts5vocab table. FTS5 yields matches newest first, lazily: a page of a common word reads a page.
//   PostgreSQL: ILIKE on title and body, served by the kind's pg_trgm GIN indexes. A GIN index
//   yields every match at once, unordered, so the newest documents are tried first in windows
//   (the newest 20,000 of the kind, then 160,000, then all): a common word is settled in the first,
//   a rare one costs little in each. Words of 1–2 characters have no trigram: when every word is
//   that short, the windows stop at SHORT_WORD_WINDOW documents (the result says it may be incomplete).
import { PostgresAdapter, sql, type RawBuilder, type SelectQueryBuilder } from 'kysely'
import type { DB } from '../../db/db'
import type { SearchKind } from '../../db/schema'
import { ftsString, isShortTerm, likePattern, SEARCH_KINDS } from './query'

export type SearchEngine = 'sqlite' | 'postgres'
export type MatchMode = 'scan' | 'index'

export const engineOf = (db: DB): SearchEngine => (db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite')

/** SQLite: a 1–2 character word expands to at most this many trigrams; beyond it results may be incomplete. */
export const MAX_EXPANSION = 2000
/** PostgreSQL, large scope: the windows of newest documents tried in turn (the last one is all). */
export const WINDOWS = [20_000, 160_000]
/** PostgreSQL, large scope, only words of 1–2 characters: no index, so at most this many newest documents are read. */
export const SHORT_WORD_WINDOW = 100_000

type QB = SelectQueryBuilder<any, any, any>

/** One step of a match: the query narrowed to the documents it covers. */
export interface MatchStep {
  apply<Q extends QB>(qb: Q): Q
  /** Documents beyond this step exist and were not looked at. */
  partial: boolean
}

export interface DocMatch {
  /**
   * Tried in turn by the caller, each covering more of the newest documents than the one before;
   * the caller stops once a step finds enough. SQLite and small scopes: one step covering everything.
   */
  steps: (() => Promise<MatchStep>)[]
  /** ORDER BY: newest documents first. */
  newestFirst: RawBuilder<unknown>
}

const where = <Q extends QB>(qb: Q, conditions: RawBuilder<boolean>[]): Q => conditions.reduce<QB>((q, c) => q.where(c), qb) as Q

/** Each word in the title or the body. */
function likeAll(terms: readonly string[], op: 'LIKE' | 'ILIKE'): RawBuilder<boolean>[] {
  return terms.map(term => {
    const p = likePattern(term)
    return sql<boolean>`(d.title ${sql.raw(op)} ${p} ESCAPE '\\' OR d.body ${sql.raw(op)} ${p} ESCAPE '\\')`
  })
}

/** The doc_id of the n-th newest document of a kind, or null when there are fewer (one index-only read). */
async function nthNewest(db: DB, kind: SearchKind, n: number): Promise<number | null> {
  const row = await db.selectFrom('search_documents').select('doc_id').where('kind', '=', kind).orderBy('doc_id', 'desc').offset(n - 1).limit(1).executeTakeFirst()
  return row ? Number(row.doc_id) : null
}

/** The match of one kind's documents for these words (all must occur); null when nothing can match. */
export async function matchDocuments(db: DB, kind: SearchKind, terms: readonly string[], mode: MatchMode): Promise<DocMatch | null> {
  if (!terms.length) return null
  if (!SEARCH_KINDS.includes(kind)) throw new Error(`unknown search kind ${kind}`) // it names a table below
  const pg = engineOf(db) === 'postgres'
  const once = (step: MatchStep) => [async () => step]

  if (mode === 'scan') {
    // `+ 0`: the order must not tempt the planner into walking every document by id.
    const conditions = likeAll(terms, pg ? 'ILIKE' : 'LIKE')
    return { steps: once({ apply: qb => where(qb, conditions), partial: false }), newestFirst: sql`d.doc_id + 0 desc` }
  }

  if (pg) {
    const conditions = likeAll(terms, 'ILIKE')
    const sizes = terms.every(isShortTerm) ? [...WINDOWS.filter(w => w < SHORT_WORD_WINDOW), SHORT_WORD_WINDOW] : [...WINDOWS, null]
    return {
      steps: sizes.map(size => async () => {
        const floor = size === null ? null : await nthNewest(db, kind, size)
        // A window larger than the kind has documents is all of them.
        return { apply: qb => where(qb, floor === null ? conditions : [...conditions, sql<boolean>`d.doc_id >= ${floor}`]), partial: floor !== null && size === SHORT_WORD_WINDOW }
      }),
      newestFirst: sql`d.doc_id desc`,
    }
  }

  let partial = false
  const groups: string[] = []
  for (const term of terms) {
    if (!isShortTerm(term)) {
      groups.push(ftsString(term))
      continue
    }
    // Index terms are case-folded; the range holds every trigram that starts with the word.
    const low = term.toLowerCase()
    const rows = await sql<{ term: string }>`select term from ${sql.table(`search_vocab_${kind}`)} where term >= ${low} and term < ${`${low}\u{10ffff}`} limit ${MAX_EXPANSION + 1}`.execute(db)
    if (!rows.rows.length) return null
    if (rows.rows.length > MAX_EXPANSION) partial = true
    groups.push(`(${rows.rows.slice(0, MAX_EXPANSION).map(r => ftsString(r.term)).join(' OR ')})`)
  }
  const expr = groups.join(' AND ')
  const fts = sql.table(`search_fts_${kind}`)
  return {
    steps: once({
      apply: qb => (qb as QB).innerJoin(sql`${fts}`.as('f'), join => join.on(sql<boolean>`f.rowid = d.doc_id`)).where(sql<boolean>`f.${sql.raw(`search_fts_${kind}`)} MATCH ${expr}`) as typeof qb,
      partial,
    }),
    newestFirst: sql`f.rowid desc`,
  }
}
