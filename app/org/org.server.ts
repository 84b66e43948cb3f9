// Units (a tree) and users. Data functions take the db first so callers can compose transactions.
import type { DB } from '../../db/db'
import { newId, nowIso } from '../../db/ids'
import type { Transaction } from 'kysely'
import type { Database, Role, Unit } from '../../db/schema'
import { hashPassword } from '../auth/password.server'
import { ancestorPaths } from '../auth/scope'
import { inSubtree } from '../auth/scope.server'

export async function createUnit(db: DB, input: { name: string; parentId?: string | null }): Promise<Unit> {
  const id = newId()
  let path = `/${id}/`
  if (input.parentId) {
    const parent = await db.selectFrom('units').select('path').where('id', '=', input.parentId).executeTakeFirst()
    if (!parent) throw new Error(`unknown parent unit ${input.parentId}`)
    path = `${parent.path}${id}/`
  }
  const unit = { id, name: input.name.trim(), parent_id: input.parentId ?? null, path, created_at: nowIso() }
  await db.insertInto('units').values(unit).execute()
  return unit
}

/** Units in the subtree rooted at `rootPath` (all units for an admin), ordered so parents come before children. */
export async function listUnits(db: DB, scope?: { role: Role; unitPath: string }): Promise<Unit[]> {
  let q = db.selectFrom('units').selectAll()
  if (scope) q = q.where(inSubtree(scope, 'units.path'))
  return q.orderBy('path').execute()
}

export interface NewUserInput {
  username: string
  displayName: string
  password: string
  role: Role
  unitId: string
  email?: string | null
}

export async function createUser(db: DB, input: NewUserInput): Promise<{ id: string }> {
  const id = newId()
  await db
    .insertInto('users')
    .values({
      id,
      username: input.username.trim().toLowerCase(),
      display_name: input.displayName.trim(),
      email: input.email?.trim() || null,
      password_hash: await hashPassword(input.password),
      role: input.role,
      unit_id: input.unitId,
      created_at: nowIso(),
    })
    .execute()
  return { id }
}

export async function usernameTaken(db: DB, username: string): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').where('username', '=', username.trim().toLowerCase()).executeTakeFirst()
  return !!row
}

/** Active supervisors whose scope covers a unit (their unit is it or above it): those who may verify its tasks. */
export async function supervisorsOver(db: DB | Transaction<Database>, unitPath: string): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .innerJoin('units', 'units.id', 'users.unit_id')
    .select('users.id')
    .where('users.role', '=', 'supervisor')
    .where('users.active', '=', 1)
    .where('units.path', 'in', [...ancestorPaths(unitPath), unitPath])
    .orderBy('users.id')
    .execute()
  return rows.map(r => r.id)
}

/** The unit path of a report (the unit it was filed under), or null. */
export async function reportUnitPath(db: DB, reportId: string): Promise<string | null> {
  const row = await db
    .selectFrom('reports')
    .innerJoin('units', 'units.id', 'reports.unit_id')
    .select('units.path')
    .where('reports.id', '=', reportId)
    .executeTakeFirst()
  return row?.path ?? null
}

export async function unitExists(db: DB, unitId: string): Promise<boolean> {
  return !!(await db.selectFrom('units').select('id').where('id', '=', unitId).executeTakeFirst())
}

/** Every account, for the administrator's list (oldest first). */
export function listAccounts(db: DB) {
  return db
    .selectFrom('users')
    .innerJoin('units', 'units.id', 'users.unit_id')
    .select(['users.id', 'users.username', 'users.display_name', 'users.role', 'users.email', 'users.active', 'units.name as unit_name'])
    .orderBy('users.created_at')
    .execute()
}

/** One account as the administrator edits it, or undefined. */
export function getAccount(db: DB, userId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'email', 'role', 'unit_id', 'active'])
    .where('id', '=', userId)
    .executeTakeFirst()
}
