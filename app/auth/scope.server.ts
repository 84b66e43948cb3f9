// The unit-scope rule in SQL (decision 016), as Kysely "reusable helpers": functions that return an
// expression for `where`, so every query states its scope the same way:
//   db.selectFrom('tasks').innerJoin('units', …).where(taskVisible(actor))
// The pure form of the rule (inScope, canSeeTask) is in scope.ts; nothing else compares unit paths.
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool, type Transaction } from 'kysely'
import type { Database, Role } from '../../db/schema'
import { AppError, notFound } from '../errors'
import { zh } from '../ui/zh'
import { ancestorPaths, canOwnTasks, inScope, isUnder, seesEverything, subtreeRoot, TASK_OWNER_ROLES, type Actor } from './scope'

type Conn = Kysely<Database> | Transaction<Database>
// Any query's expression builder: the helpers name their columns by string, as the caller joined them.
type AnyEB = ExpressionBuilder<any, any>
type Scoped = { role: Role; unitPath: string }

const always = sql<SqlBool>`1 = 1`

/**
 * `column` (a unit path) lies in the subtree at `rootPath`. A LIKE prefix with its wildcards escaped,
 * so a path can only ever match itself and its descendants, on SQLite and PostgreSQL alike.
 */
export function pathUnder(column: string, rootPath: string): Expression<SqlBool> {
  const pattern = `${subtreeRoot(rootPath).replace(/[\\%_]/g, c => `\\${c}`)}%`
  return sql<SqlBool>`${sql.ref(column)} like ${pattern} escape '\\'`
}

/** `column` (a unit path) is in the actor's scope: `.where(inSubtree(actor, 'units.path'))`. */
export const inSubtree =
  (actor: Scoped, column: string) =>
  (_eb?: AnyEB): Expression<SqlBool> =>
    seesEverything(actor) ? always : pathUnder(column, actor.unitPath)

/**
 * The task is one the actor may see: its unit in scope, or the actor owns it. The query joins the
 * task's unit; the columns default to `units.path` and `tasks.owner_id`.
 */
export const taskVisible =
  (actor: Actor, cols: { unitPath?: string; ownerId?: string } = {}) =>
  (eb: AnyEB): Expression<SqlBool> =>
    seesEverything(actor)
      ? always
      : eb.or([pathUnder(cols.unitPath ?? 'units.path', actor.unitPath), eb(cols.ownerId ?? 'tasks.owner_id', '=', actor.id)])

/** The ids of the units in the subtree at `path` (the unit itself and every unit below it), as a subquery. */
export function unitIdsUnder(db: Conn, path: string) {
  return db
    .selectFrom('units')
    .select('units.id')
    .where(() => pathUnder('units.path', path))
}

/**
 * The ids of the units on one line with `path`: the unit itself, its ancestors and its descendants.
 * Two reports concern one organisation's work only when their units are on one line (the upper
 * unit's people see both): only then does the follow-up link them and remind about the earlier
 * one's tasks. Reports of unrelated trees (another province's copy of a public report, or a forged
 * next year) never touch each other's work.
 */
export function unitIdsInLineWith(db: Conn, path: string) {
  const ancestors = ancestorPaths(path)
  return db
    .selectFrom('units')
    .select('units.id')
    .where(eb => eb.or([pathUnder('units.path', path), ...(ancestors.length ? [eb('units.path', 'in', ancestors)] : [])]))
}

/** Whether the subtree at `path` holds every unit (a province's own office): then there is no filter to check on each row. */
export async function coversWholeTree(db: Conn, path: string): Promise<boolean> {
  const outside = await db
    .selectFrom('units')
    .select('id')
    .where(eb => eb.not(pathUnder('units.path', path)))
    .limit(1)
    .executeTakeFirst()
  return !outside
}

/**
 * The subtree a page or list is limited to: the filter's unit (which must be in the actor's scope,
 * else "not found", like any record), else the actor's own; null means everything (an admin
 * without a filter, or with `nullWhenWholeTree`, any subtree that holds every unit).
 */
export async function scopeRoot(
  db: Conn,
  actor: Actor,
  unitId?: string | null,
  opts: { nullWhenWholeTree?: boolean } = {},
): Promise<string | null> {
  let path: string | null = seesEverything(actor) ? null : actor.unitPath
  if (unitId) {
    const unit = await db.selectFrom('units').select('path').where('id', '=', unitId).executeTakeFirst()
    if (!unit || !inScope(actor, unit.path)) throw notFound()
    path = unit.path
  }
  if (path && opts.nullWhenWholeTree && (await coversWholeTree(db, path))) return null
  return path
}

/** A unit someone sets as responsible unit: it must exist and be in the actor's scope. */
export async function requireUnit(db: Conn, actor: Scoped, unitId: string): Promise<{ id: string; name: string; path: string }> {
  const unit = await db.selectFrom('units').select(['id', 'name', 'path']).where('id', '=', unitId).executeTakeFirst()
  if (!unit || !inScope(actor, unit.path)) throw new AppError(400, zh.scope.unitNotInScope)
  return unit
}

/**
 * An owner (责任人) someone sets on a task or an item: an active user of a role that may own tasks,
 * in the actor's scope, whose unit is the responsible unit or below it. `kept`: the owner was
 * already set and it is the unit that changes (the message asks to change the owner too).
 */
export async function requireOwner(db: Conn, actor: Scoped, ownerId: string, unitPath: string, opts: { kept?: boolean } = {}) {
  const owner = await db
    .selectFrom('users')
    .innerJoin('units', 'units.id', 'users.unit_id')
    .select(['users.id', 'users.active', 'users.role', 'units.path as unit_path'])
    .where('users.id', '=', ownerId)
    .executeTakeFirst()
  if (!owner || !owner.active || !inScope(actor, owner.unit_path)) throw new AppError(400, zh.scope.ownerInactive)
  if (!canOwnTasks(owner.role)) throw new AppError(400, zh.scope.ownerRole)
  if (!isUnder(owner.unit_path, unitPath)) throw new AppError(400, opts.kept ? zh.scope.unitWithoutOwner : zh.scope.ownerNotInUnit)
  return owner
}

export interface Person {
  id: string
  username: string
  display_name: string
  role: Role
  active: number
  unit_id: string
  unit_name: string
  unit_path: string
}

/**
 * People in the actor's scope (everyone for an admin), optionally only of one unit's subtree (which
 * must be in scope) and of some roles. `owners: true` is "who may be made an owner": active people
 * whose role may own tasks. Ordered by name, or by unit with `orderBy: 'unit'`.
 */
export async function listPeople(
  db: Conn,
  actor: Actor,
  opts: { unitId?: string; roles?: readonly Role[]; activeOnly?: boolean; owners?: boolean; orderBy?: 'name' | 'unit' } = {},
): Promise<Person[]> {
  const root = opts.unitId ? await scopeRoot(db, actor, opts.unitId) : seesEverything(actor) ? null : actor.unitPath
  const roles = opts.owners ? (opts.roles ?? TASK_OWNER_ROLES).filter(canOwnTasks) : opts.roles
  let q = db
    .selectFrom('users')
    .innerJoin('units', 'units.id', 'users.unit_id')
    .select([
      'users.id',
      'users.username',
      'users.display_name',
      'users.role',
      'users.active',
      'users.unit_id',
      'units.name as unit_name',
      'units.path as unit_path',
    ])
  if (root) q = q.where(() => pathUnder('units.path', root))
  if (roles) q = roles.length ? q.where('users.role', 'in', roles) : q.where(() => sql<SqlBool>`1 = 0`)
  if (opts.activeOnly || opts.owners) q = q.where('users.active', '=', 1)
  q = opts.orderBy === 'unit' ? q.orderBy('units.path').orderBy('users.username') : q.orderBy('users.display_name').orderBy('users.id')
  return q.execute()
}
