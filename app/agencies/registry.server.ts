// Agencies in the database: filing an extracted report under one (the shell around the pure
// chooseAgency), and the administrator's merge and split, which matching learns from: merged names
// become aliases, split pairs are never matched again. Merges and splits ask for the follow-up step
// to run again on every affected report (new links for merged years, stale ones removed).
import { sql } from 'kysely'
import type { DB } from '../../db/db'
import { engineOf } from '../../db/engine'
import { newId, nowIso } from '../../db/ids'
import type { AgencyAliasSource, ReportStatus } from '../../db/schema'
import { can } from '../auth/permissions'
import { AppError, notFound } from '../errors'
import type { Actor } from '../auth/scope'
import { requestFollowUp, unlinkOtherAgencies, type FollowUpRequest } from '../followup/link.server'
import {
  agencyLookupKey,
  candidatePattern,
  chooseAgency,
  distinctPair,
  identifyingAgencyName,
  namesAnAgency,
  resolutionLockKey,
  type AgencyCandidate,
} from './resolve'

// ─── Filing a report under an agency ───────────────────────────────────────────────────────────

/** The agency that owns this normalised name, as an alias (first) or its own name: one statement. */
async function agencyIdByKey(db: DB, key: string): Promise<string | null> {
  const row = await db
    .selectFrom('agency_aliases')
    .select(['agency_id as id', sql<number>`0`.as('rank')])
    .where('normalized_alias', '=', key)
    .unionAll(
      db
        .selectFrom('agencies')
        .select(['id', sql<number>`1`.as('rank')])
        .where('normalized_name', '=', key),
    )
    .orderBy('rank')
    .limit(1)
    .executeTakeFirst()
  return row?.id ?? null
}

const CANDIDATE_LIMIT = 500

async function agencyIdsLike(db: DB, pattern: string): Promise<string[]> {
  const own = await db
    .selectFrom('agencies')
    .select('id')
    .where(sql<boolean>`normalized_name like ${pattern} escape '\\'`)
    .limit(CANDIDATE_LIMIT)
    .execute()
  const aliased = await db
    .selectFrom('agency_aliases')
    .select('agency_id as id')
    .where(sql<boolean>`normalized_alias like ${pattern} escape '\\'`)
    .limit(CANDIDATE_LIMIT)
    .execute()
  return [...new Set([...own, ...aliased].map(r => r.id))]
}

async function loadCandidates(db: DB, ids: string[]): Promise<AgencyCandidate[]> {
  if (!ids.length) return []
  const agencies = await db
    .selectFrom('agencies')
    .select(['id', 'name'])
    .where('id', 'in', ids)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
  const aliases = await db.selectFrom('agency_aliases').select(['agency_id', 'alias']).where('agency_id', 'in', ids).execute()
  return agencies.map(a => ({ id: a.id, names: [a.name, ...aliases.filter(x => x.agency_id === a.id).map(x => x.alias)] }))
}

async function loadDistinct(db: DB, ids: string[]): Promise<Array<[string, string]>> {
  if (ids.length < 2) return []
  const rows = await db
    .selectFrom('agency_distinct')
    .select(['agency_a', 'agency_b'])
    .where('agency_a', 'in', ids)
    .where('agency_b', 'in', ids)
    .execute()
  return rows.map(r => [r.agency_a, r.agency_b])
}

/**
 * Two reports of one agency extracted at the same moment under different forms of its name must not
 * each create an agency. Called inside the caller's transaction: on PostgreSQL transaction-scoped
 * advisory locks queue the resolutions of names that could be one agency (READ COMMITTED: each
 * later statement sees what the one before committed): names of one place wait for each other, a
 * name with no place waits for all (resolutionLockKey); on SQLite every transaction holds the
 * database's single write lock from its BEGIN (db/db.ts), so its reads see every committed agency.
 */
async function serialiseResolution(db: DB, name: string): Promise<void> {
  if (engineOf(db) !== 'postgres') return
  const key = resolutionLockKey(name)
  if (key === null) await sql`select pg_advisory_xact_lock(${AGENCY_LOCK_KEY})`.execute(db)
  else
    await sql`select pg_advisory_xact_lock_shared(${AGENCY_LOCK_KEY}), pg_advisory_xact_lock(${AGENCY_PLACE_LOCKS}, hashtext(${key}))`.execute(
      db,
    )
}
/** Arbitrary constants naming the locks: the ASCII of "AGENCY", and of "AGPL" for the places' (key, hash) pairs. */
const AGENCY_LOCK_KEY = 0x4147454e4359
const AGENCY_PLACE_LOCKS = 0x4147504c

/**
 * The agency a name is already filed under (its name or an alias), read without any lock: null for
 * a name that identifies no agency, undefined when the name is new and resolveAgency has to decide.
 * The processing step asks this before its transaction, so most reports never take the lock.
 */
export async function filedAgency(db: DB, name: string | null | undefined): Promise<string | null | undefined> {
  if (!namesAnAgency(name)) return null
  return (await agencyIdByKey(db, agencyLookupKey(name.trim()))) ?? undefined
}

/**
 * resolveAgency for a report being processed, before the transaction that stores it: a name already
 * filed is read without a transaction; a new one is filed in a short transaction of its own, so the
 * lock on PostgreSQL is held for the resolution only, not for the storing of the report. If that
 * storing then fails, the agency stays (found again when the report is retried).
 */
export async function fileAgency(db: DB, name: string | null | undefined): Promise<string | null> {
  const filed = await filedAgency(db, name)
  if (filed !== undefined) return filed
  return db.transaction().execute(trx => resolveAgency(trx, name))
}

/**
 * Files a name under an agency, inside the caller's transaction and under the lock of its place:
 * the one that has this name or alias; else the best match among the agencies of the same place
 * (remembered as an 'auto' alias); else a new agency. Null for a name that identifies no agency
 * (我局, 市教育局): such reports are left to the engine's match when linking. Processing calls it
 * through fileAgency, which answers names already filed without the lock.
 */
export async function resolveAgency(db: DB, name: string | null | undefined): Promise<string | null> {
  if (!namesAnAgency(name)) return null
  name = name.trim()
  const key = agencyLookupKey(name)
  await serialiseResolution(db, name)
  const exact = await agencyIdByKey(db, key)
  if (exact) return exact
  const pattern = candidatePattern(name)
  const ids = pattern ? await agencyIdsLike(db, pattern) : []
  const choice = chooseAgency(name, await loadCandidates(db, ids), { distinct: await loadDistinct(db, ids) })
  const now = nowIso()
  if (choice.agencyId) {
    await db
      .insertInto('agency_aliases')
      .values({ id: newId(), agency_id: choice.agencyId, alias: name, normalized_alias: key, source: 'auto', created_at: now })
      .onConflict(oc => oc.column('normalized_alias').doNothing())
      .execute()
    return (await agencyIdByKey(db, key)) ?? choice.agencyId
  }
  await db
    .insertInto('agencies')
    .values({ id: newId(), name, normalized_name: key, unit_id: null, created_at: now })
    .onConflict(oc => oc.column('normalized_name').doNothing())
    .execute()
  return (await agencyIdByKey(db, key))!
}

// ─── The administrator's view ──────────────────────────────────────────────────────────────────

export interface AgencyView {
  id: string
  name: string
  createdAt: string
  aliases: Array<{ id: string; alias: string; source: AgencyAliasSource }>
  reports: Array<{
    id: string
    year: number | null
    agencyName: string | null
    title: string | null
    filename: string
    status: ReportStatus
  }>
  distinctFrom: Array<{ id: string; name: string }>
}

function requireAdmin(actor: Actor): void {
  if (!can(actor.role, 'admin')) throw new AppError(403, '只有系统管理员可以管理机关。')
}

export const AGENCY_PAGE_SIZE = 50

/** Agencies whose name or an alias contains the query (all, newest first, without one). */
export async function searchAgencies(db: DB, actor: Actor, query: string): Promise<{ agencies: AgencyView[]; truncated: boolean }> {
  requireAdmin(actor)
  const q = agencyLookupKey(query.trim())
  let ids: string[]
  if (q) {
    const pattern = `%${q.replace(/[\\%_]/g, c => `\\${c}`)}%`
    ids = await agencyIdsLike(db, pattern)
  } else {
    ids = (
      await db
        .selectFrom('agencies')
        .select('id')
        .orderBy('created_at', 'desc')
        .limit(AGENCY_PAGE_SIZE + 1)
        .execute()
    ).map(r => r.id)
  }
  const truncated = ids.length > AGENCY_PAGE_SIZE
  return { agencies: await agencyViews(db, ids.slice(0, AGENCY_PAGE_SIZE)), truncated }
}

async function agencyViews(db: DB, ids: string[]): Promise<AgencyView[]> {
  if (!ids.length) return []
  const [agencies, aliases, reports, distinct] = await Promise.all([
    db.selectFrom('agencies').select(['id', 'name', 'created_at']).where('id', 'in', ids).orderBy('name').execute(),
    db
      .selectFrom('agency_aliases')
      .select(['id', 'agency_id', 'alias', 'source'])
      .where('agency_id', 'in', ids)
      .orderBy('created_at')
      .execute(),
    db
      .selectFrom('reports')
      .select(['id', 'agency_id', 'year', 'agency_name', 'title', 'filename', 'status'])
      .where('agency_id', 'in', ids)
      .orderBy('year')
      .orderBy('created_at')
      .execute(),
    db
      .selectFrom('agency_distinct as d')
      .innerJoin('agencies as a', 'a.id', 'd.agency_a')
      .innerJoin('agencies as b', 'b.id', 'd.agency_b')
      .select(['d.agency_a', 'd.agency_b', 'a.name as name_a', 'b.name as name_b'])
      .where(eb => eb.or([eb('d.agency_a', 'in', ids), eb('d.agency_b', 'in', ids)]))
      .execute(),
  ])
  return agencies.map(a => ({
    id: a.id,
    name: a.name,
    createdAt: a.created_at,
    aliases: aliases.filter(x => x.agency_id === a.id).map(x => ({ id: x.id, alias: x.alias, source: x.source })),
    reports: reports
      .filter(r => r.agency_id === a.id)
      .map(r => ({ id: r.id, year: r.year, agencyName: r.agency_name, title: r.title, filename: r.filename, status: r.status })),
    distinctFrom: distinct.flatMap(d =>
      d.agency_a === a.id ? [{ id: d.agency_b, name: d.name_b }] : d.agency_b === a.id ? [{ id: d.agency_a, name: d.name_a }] : [],
    ),
  }))
}

async function reportIdsOf(db: DB, agencyIds: string[]): Promise<string[]> {
  return (await db.selectFrom('reports').select('id').where('agency_id', 'in', agencyIds).execute()).map(r => r.id)
}

export interface AgencyChange {
  agencyId: string
  /** Reports whose follow-up step must run again: the caller queues them (the worker's resync would too). */
  followUps: FollowUpRequest[]
}

/**
 * Merges agency `fromId` into `intoId`: its reports and aliases move over, its own name becomes an
 * alias (source 'admin'), a split between the two is undone, and other splits carry over.
 */
export async function mergeAgencies(db: DB, actor: Actor, input: { intoId: string; fromId: string }): Promise<AgencyChange> {
  requireAdmin(actor)
  if (input.intoId === input.fromId) throw new AppError(400, '不能把机关并入它自己。')
  return db.transaction().execute(async trx => {
    const into = await trx.selectFrom('agencies').selectAll().where('id', '=', input.intoId).executeTakeFirst()
    const from = await trx.selectFrom('agencies').selectAll().where('id', '=', input.fromId).executeTakeFirst()
    if (!into || !from) throw notFound()
    await trx.updateTable('agency_aliases').set({ agency_id: into.id }).where('agency_id', '=', from.id).execute()
    await trx.updateTable('reports').set({ agency_id: into.id }).where('agency_id', '=', from.id).execute()
    const splits = await trx
      .selectFrom('agency_distinct')
      .selectAll()
      .where(eb => eb.or([eb('agency_a', '=', from.id), eb('agency_b', '=', from.id)]))
      .execute()
    for (const s of splits) {
      const other = s.agency_a === from.id ? s.agency_b : s.agency_a
      if (other === into.id) continue
      const [a, b] = distinctPair(into.id, other)
      await trx
        .insertInto('agency_distinct')
        .values({ agency_a: a, agency_b: b, decided_by: s.decided_by, created_at: s.created_at })
        .onConflict(oc => oc.columns(['agency_a', 'agency_b']).doNothing())
        .execute()
    }
    await trx
      .deleteFrom('agency_distinct')
      .where(eb => eb.or([eb('agency_a', '=', from.id), eb('agency_b', '=', from.id)]))
      .execute()
    await trx.deleteFrom('agencies').where('id', '=', from.id).execute()
    await trx
      .insertInto('agency_aliases')
      .values({
        id: newId(),
        agency_id: into.id,
        alias: from.name,
        normalized_alias: from.normalized_name,
        source: 'admin',
        created_at: nowIso(),
      })
      .onConflict(oc => oc.column('normalized_alias').doNothing())
      .execute()
    if (!into.unit_id && from.unit_id) await trx.updateTable('agencies').set({ unit_id: from.unit_id }).where('id', '=', into.id).execute()
    return { agencyId: into.id, followUps: await requestFollowUp(trx, await reportIdsOf(trx, [into.id])) }
  })
}

export interface SplitInput {
  agencyId: string
  reportIds: string[]
  aliasIds: string[]
  /** An existing agency to move them to, or… */
  intoId?: string | null
  /** …the name of a new agency. */
  newName?: string | null
}

/**
 * Moves chosen reports and aliases out of an agency into another one or a new one, and records the
 * two as different bodies. A moved report's name goes with it when no report left behind carries
 * it, so the next report of that name is filed with it. The moved reports' links to reports of
 * other agencies are removed with their pending suggestions.
 */
export async function splitAgency(db: DB, actor: Actor, input: SplitInput): Promise<AgencyChange> {
  requireAdmin(actor)
  const reportIds = [...new Set(input.reportIds)]
  const aliasIds = [...new Set(input.aliasIds)]
  if (!reportIds.length && !aliasIds.length) throw new AppError(400, '请选择要拆分出去的报告或名称。')
  const newName = input.newName?.trim() || null
  if (!input.intoId && !newName) throw new AppError(400, '请选择目标机关，或填写新机关的名称。')
  return db.transaction().execute(async trx => {
    const source = await trx.selectFrom('agencies').selectAll().where('id', '=', input.agencyId).executeTakeFirst()
    if (!source) throw notFound()
    const all = await trx.selectFrom('reports').select(['id', 'agency_name', 'title']).where('agency_id', '=', source.id).execute()
    const moved = all.filter(r => reportIds.includes(r.id))
    if (moved.length !== reportIds.length) throw new AppError(400, '所选报告不属于该机关。')
    const aliases = await trx.selectFrom('agency_aliases').selectAll().where('agency_id', '=', source.id).execute()
    if (aliasIds.some(id => !aliases.some(a => a.id === id))) throw new AppError(400, '所选名称不属于该机关。')
    const keyOf = (r: { agency_name: string | null; title: string | null }) => {
      const n = identifyingAgencyName({ agency: r.agency_name, title: r.title })
      return n ? agencyLookupKey(n) : null
    }
    const keptKeys = new Set(all.filter(r => !reportIds.includes(r.id)).map(keyOf))
    const movedKeys = new Set(moved.map(keyOf).filter((k): k is string => !!k && !keptKeys.has(k)))
    const moving = aliases.filter(a => aliasIds.includes(a.id) || movedKeys.has(a.normalized_alias))

    let targetId: string
    if (input.intoId) {
      if (input.intoId === source.id) throw new AppError(400, '目标机关不能是原机关。')
      const target = await trx.selectFrom('agencies').select('id').where('id', '=', input.intoId).executeTakeFirst()
      if (!target) throw notFound()
      targetId = target.id
    } else {
      const key = agencyLookupKey(newName!)
      if (!key) throw new AppError(400, '新机关的名称无效。')
      if (key === source.normalized_name) throw new AppError(400, '新机关的名称不能与原机关相同。')
      const owner = await agencyIdByKey(trx, key)
      const ownAlias = moving.find(a => a.normalized_alias === key)
      if (owner && !ownAlias) {
        const name = (await trx.selectFrom('agencies').select('name').where('id', '=', owner).executeTakeFirstOrThrow()).name
        throw new AppError(409, `名称“${newName}”已属于机关“${name}”，请选择该机关作为目标。`)
      }
      // a moved alias that is the new agency's name becomes its own name
      if (ownAlias) {
        await trx.deleteFrom('agency_aliases').where('id', '=', ownAlias.id).execute()
        moving.splice(moving.indexOf(ownAlias), 1)
      }
      targetId = newId()
      await trx
        .insertInto('agencies')
        .values({ id: targetId, name: newName!, normalized_name: key, unit_id: source.unit_id, created_at: nowIso() })
        .execute()
    }
    if (moving.length)
      await trx
        .updateTable('agency_aliases')
        .set({ agency_id: targetId, source: 'admin' })
        .where(
          'id',
          'in',
          moving.map(a => a.id),
        )
        .execute()
    if (reportIds.length) await trx.updateTable('reports').set({ agency_id: targetId }).where('id', 'in', reportIds).execute()
    const [a, b] = distinctPair(source.id, targetId)
    await trx
      .insertInto('agency_distinct')
      .values({ agency_a: a, agency_b: b, decided_by: actor.id, created_at: nowIso() })
      .onConflict(oc => oc.columns(['agency_a', 'agency_b']).doNothing())
      .execute()
    await unlinkOtherAgencies(trx, reportIds, 'all')
    return { agencyId: targetId, followUps: await requestFollowUp(trx, await reportIdsOf(trx, [source.id, targetId])) }
  })
}
