// The only engine-specific part of search: how a kind's documents (`search_docs_<kind> d`) are
// narrowed to those containing every word, and in which order the page reads them. Everything else
// (scope, filters, paging) is one Kysely query.
//
// Two ways, chosen by the caller from the size of the scope:
// - 'scan' (a small scope): the scope's own rows, each checked with LIKE (ILIKE on PostgreSQL).
//   Exact for words of any length, and no index entry read for matches outside the scope.
// - 'index' (a large scope): the trigram index drives.
//   SQLite: the kind's FTS5 trigram table (rowid = d.doc_id). A word of 3+ characters is one FTS5
//   phrase; a word of 1–2 characters is the OR of the indexed trigrams that begin with it (every
//   indexed value ends with two U+E000, so every character begins one), read from the kind's
//   fts5vocab table. FTS5 yields matches newest first, lazily: a page of a common word reads a page.
//   PostgreSQL: ILIKE on title and body, served by the pg_trgm GIN indexes. GIN yields every match
//   at once and unordered, so the page is read one of two ways, by what the count found: a common
//   word (more than the count cap) walks the documents newest first and stops at the page; a rarer
//   one takes every match from the index and sorts. The ILIKE is written so the planner cannot pick
//   the other way: `(d.body || '')` is no indexed column, and `d.doc_id + 0` is no indexed order.
//   Words of 1–2 characters have no trigram: when every word is that short, only the newest
//   SHORT_WORD_WINDOW documents of the kind are read (the result says it may be incomplete).
import { sql, type AliasedSelectQueryBuilder, type RawBuilder, type SelectQueryBuilder } from 'kysely'
import type { DB } from '../../db/db'
import { engineOf } from '../../db/engine'
import type { SearchKind } from '../../db/schema'
import { ftsString, isShortTerm, likePattern, SEARCH_KINDS } from './query'
import { scriptVariants } from './variants.server'

export type MatchMode = 'scan' | 'index'

/** SQLite: a 1–2 character word expands to at most this many trigrams; beyond it results may be incomplete. */
export const MAX_EXPANSION = 2000
/**
 * PostgreSQL, a large scope, only words of 1–2 characters (no index serves them): the newest
 * documents read. Reports are long, so fewer of them.
 */
export const SHORT_WORD_WINDOW: Record<SearchKind, number> = { report: 5_000, item: 50_000, task: 50_000 }

type QB = SelectQueryBuilder<any, any, any>
/** What a query joins as `d`: the kind's document table, or a subquery of it (aliased `d`). */
export type Docs = string | AliasedSelectQueryBuilder<any, 'd'>
/** Builds the search query over the given documents: scope, filters and columns, no match yet. */
export type BuildQuery = (docs: Docs) => QB | Promise<QB>

export interface DocMatch {
  /** The query narrowed to the matches, for counting (up to a cap: the order says which are read first). */
  count(build: BuildQuery): Promise<QB>
  /** One page of matches, newest first; `counted` is what the count found (at most cap + 1). */
  page(build: BuildQuery, counted: number, cap: number, limit: number, offset: number): Promise<unknown[]>
  /** Not every document was looked at: some matches may be missing. */
  partial: boolean
}

/** PostgreSQL, a common word: the newest documents walked for a page before taking every match from the index. */
export const WALK = 50_000

const where = (qb: QB, conditions: RawBuilder<boolean>[]): QB => conditions.reduce((q, c) => q.where(c), qb)

/** Each word (in any of its scripts' forms) in the title or the body. */
function likeAll(terms: readonly string[], op: 'LIKE' | 'ILIKE'): RawBuilder<boolean>[] {
  return terms.map(term => {
    const forms = scriptVariants(term).map(v => {
      const p = likePattern(v)
      return sql<boolean>`d.title ${sql.raw(op)} ${p} ESCAPE '\\' OR d.body ${sql.raw(op)} ${p} ESCAPE '\\'`
    })
    return sql<boolean>`(${sql.join(forms, sql` OR `)})`
  })
}

/** Newest first, but not an order any index gives: the matches are found first, then sorted. */
const NEWEST_SORTED = sql`d.doc_id + 0 desc`

/** A DocMatch whose count and page are the same query, ordered for the page. */
function simple(docs: Docs, narrow: (qb: QB) => QB, order: RawBuilder<unknown>, orderCount: boolean, partial: boolean): DocMatch {
  return {
    count: async build => {
      const q = narrow(await build(docs))
      return orderCount ? q.orderBy(order) : q
    },
    page: async (build, _counted, _cap, limit, offset) =>
      narrow(await build(docs))
        .orderBy(order)
        .limit(limit)
        .offset(offset)
        .execute(),
    partial,
  }
}

/** The match of one kind's documents for these words (all must occur); null when nothing can match. */
export async function matchDocuments(db: DB, kind: SearchKind, terms: readonly string[], mode: MatchMode): Promise<DocMatch | null> {
  if (!terms.length) return null
  if (!SEARCH_KINDS.includes(kind)) throw new Error(`unknown search kind ${kind}`) // it names a table below
  const pg = engineOf(db) === 'postgres'

  const table = `search_docs_${kind} as d`

  if (mode === 'scan') {
    if (!pg) {
      const conditions = likeAll(terms, 'LIKE')
      return simple(table, qb => where(qb, conditions), NEWEST_SORTED, false, false)
    }
    // PostgreSQL would rather read every document checking the words (it cannot tell how slow ILIKE
    // on a long text is) than start from the scope: the scope is read first, in a subquery that
    // OFFSET 0 keeps apart, and its rows are checked after.
    const conditions = likeAll(terms, 'ILIKE')
    const scoped = async (build: BuildQuery) => db.selectFrom((await build(table)).select('d.doc_id').offset(0).as('d')).selectAll()
    return {
      count: async build => where(await scoped(build), conditions),
      page: async (build, _counted, _cap, limit, offset) =>
        where(await scoped(build), conditions)
          .orderBy(NEWEST_SORTED)
          .limit(limit)
          .offset(offset)
          .execute(),
      partial: false,
    }
  }

  if (pg) {
    const docs = db.selectFrom(`search_docs_${kind}` as 'search_docs_task')
    if (terms.every(isShortTerm)) {
      const floor = await docs
        .select('doc_id')
        .orderBy('doc_id', 'desc')
        .offset(SHORT_WORD_WINDOW[kind] - 1)
        .limit(1)
        .executeTakeFirst()
      const conditions = [...likeAll(terms, 'ILIKE'), ...(floor ? [sql<boolean>`d.doc_id >= ${floor.doc_id}`] : [])]
      return simple(table, qb => where(qb, conditions), sql`d.doc_id desc`, false, !!floor)
    }
    const conditions = likeAll(terms, 'ILIKE')
    return {
      count: async build => where(await build(table), conditions),
      page: async (build, counted, cap, limit, offset) => {
        const wanted = Math.max(0, Math.min(limit, Math.min(counted, cap) - offset))
        if (counted > cap) {
          // A common word: walk the newest documents in order (a LIMIT in the subquery keeps the
          // planner from turning it into "take all matches, then sort") and stop at the page.
          const newest = docs.selectAll().orderBy('doc_id', 'desc').limit(WALK).as('d')
          const rows = await where(await build(newest), conditions)
            .orderBy(sql`d.doc_id desc`)
            .limit(limit)
            .offset(offset)
            .execute()
          if (rows.length >= wanted) return rows
        }
        return where(await build(table), conditions)
          .orderBy(NEWEST_SORTED)
          .limit(limit)
          .offset(offset)
          .execute()
      },
      partial: false,
    }
  }

  let partial = false
  const groups: string[] = []
  for (const term of terms) {
    const alternatives: string[] = []
    for (const form of scriptVariants(term)) {
      if (!isShortTerm(form)) {
        alternatives.push(ftsString(form))
        continue
      }
      // Index terms are case-folded; the range holds every trigram that starts with the word.
      const low = form.toLowerCase()
      const rows = await sql<{
        term: string
      }>`select term from ${sql.table(`search_vocab_${kind}`)} where term >= ${low} and term < ${`${low}\u{10ffff}`} limit ${MAX_EXPANSION + 1}`.execute(
        db,
      )
      if (rows.rows.length > MAX_EXPANSION) partial = true
      alternatives.push(...rows.rows.slice(0, MAX_EXPANSION).map(r => ftsString(r.term)))
    }
    if (!alternatives.length) return null
    groups.push(`(${alternatives.join(' OR ')})`)
  }
  const expr = groups.join(' AND ')
  const fts = `search_fts_${kind}`
  const match = (qb: QB): QB =>
    qb
      .innerJoin(sql.table(fts).as('f'), join => join.on(sql<boolean>`f.rowid = d.doc_id`))
      .where(sql<boolean>`f.${sql.raw(fts)} MATCH ${expr}`)
  // The count reads newest first too: filters on recent years or open work settle it early.
  return simple(table, match, sql`f.rowid desc`, true, partial)
}
