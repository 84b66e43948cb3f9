// The agency registry searched as a reviewer types (the review page's agency correction).
import { sql, type SqlBool } from 'kysely'
import type { DB } from '../../db/db'
import { agencyLookupKey } from './resolve'
import { likePattern } from '../search/query'
import { rankAgencyHits, type AgencyHit } from './suggest'

export async function suggestAgencies(db: DB, query: string, limit = 10): Promise<AgencyHit[]> {
  const raw = query.trim().slice(0, 100)
  // Stored names are keyed by the extractor's normalisation (simplified characters, no spaces).
  const key = raw ? agencyLookupKey(raw) : ''
  if (!key) return []
  const like = likePattern(key)
  const typed = likePattern(raw)
  const [own, aliased] = await Promise.all([
    db
      .selectFrom('agencies')
      .select(['id', 'name'])
      .where(eb => eb.or([sql<SqlBool>`normalized_name like ${like} escape '\\'`, sql<SqlBool>`name like ${typed} escape '\\'`]))
      .limit(50)
      .execute(),
    db
      .selectFrom('agency_aliases')
      .innerJoin('agencies', 'agencies.id', 'agency_aliases.agency_id')
      .select(['agencies.id', 'agencies.name', 'agency_aliases.alias'])
      .where(sql<SqlBool>`agency_aliases.normalized_alias like ${like} escape '\\'`)
      .limit(50)
      .execute(),
  ])
  return rankAgencyHits(raw, [...own.map(a => ({ ...a, alias: null })), ...aliased], limit)
}
