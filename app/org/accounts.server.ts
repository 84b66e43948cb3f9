// Account management after creation: an admin edits, deactivates, reactivates and resets users;
// everyone changes their own password. Deactivation ends the user's sessions and revokes their API
// tokens in the same transaction (both also check the user is active, so nothing slips through
// between); a reset or a change of password ends the sessions opened with the old one. The web
// pages and `npm run user:update` both call these, so there is one way to do each.
import { randomInt } from 'node:crypto'
import type { DB } from '../../db/db'
import { nowIso } from '../../db/ids'
import type { Role } from '../../db/schema'
import { hashPassword, verifyPassword } from '../auth/password.server'
import { passwordProblem } from '../auth/password-rules'
import { AppError } from '../errors'
import type { Actor } from '../auth/scope'
import { updateTaskInTrx } from '../tasks/workflow.server'
import { OPEN_TASK_STATUSES, unitChangeDone, unitChangeProblem, type OpenTasksChoice } from './unit-change'

export interface UserChanges {
  displayName: string
  email: string | null
  role: Role
  unitId: string
  /** When the unit changes and the user owns open tasks: move them with the user, or keep them where they are. */
  openTasks?: OpenTasksChoice | null
}

/** The open tasks (not closed, not cancelled) a user owns. */
export async function openTasksOwnedBy(db: DB, userId: string): Promise<Array<{ id: string; unit_id: string }>> {
  return db
    .selectFrom('tasks')
    .select(['id', 'unit_id'])
    .where('owner_id', '=', userId)
    .where('status', 'in', [...OPEN_TASK_STATUSES])
    .orderBy('created_at')
    .execute()
}

async function requireAccount(db: DB, userId: string) {
  const row = await db
    .selectFrom('users')
    .select(['id', 'username', 'role', 'active', 'password_hash'])
    .where('id', '=', userId)
    .executeTakeFirst()
  if (!row) throw new AppError(404, '找不到该用户。')
  return row
}

/**
 * An admin's edit of name, email, role and unit. An admin cannot change their own role (nobody would
 * be left to undo it). A new unit for someone who owns open tasks needs `openTasks`: 'move' changes
 * each task's unit to the new one through updateTask (its event and notices), in the same transaction
 * as the user's change; 'keep' leaves them. Returns the message for the page.
 */
export async function updateUserAccount(
  db: DB,
  actor: { id: string } & Partial<Actor>,
  userId: string,
  changes: UserChanges,
): Promise<{ message: string; moved: number }> {
  const user = await requireAccount(db, userId)
  if (user.id === actor.id && changes.role !== user.role) throw new AppError(400, '不能更改自己的角色。')
  const unit = await db.selectFrom('units').select('id').where('id', '=', changes.unitId).executeTakeFirst()
  if (!unit) throw new AppError(400, '单位不存在。')
  const current = await db.selectFrom('users').select('unit_id').where('id', '=', userId).executeTakeFirstOrThrow()
  const unitChanged = current.unit_id !== changes.unitId
  const open = unitChanged ? await openTasksOwnedBy(db, userId) : []
  const problem = unitChangeProblem({ unitChanged, openTasks: open.length, choice: changes.openTasks })
  if (problem) throw new AppError(400, problem)
  const move = unitChanged && changes.openTasks === 'move' ? open.filter(t => t.unit_id !== changes.unitId) : []
  if (move.length && (!actor.role || !actor.unitPath || !actor.unitId)) throw new AppError(400, '移动任务需要以管理员身份操作。')
  await db.transaction().execute(async trx => {
    await trx
      .updateTable('users')
      .set({ display_name: changes.displayName.trim(), email: changes.email?.trim() || null, role: changes.role, unit_id: changes.unitId })
      .where('id', '=', userId)
      .execute()
    // After the user's own change, so the owner check sees them in the new unit.
    for (const t of move) await updateTaskInTrx(trx, actor as Actor, t.id, { unitId: changes.unitId })
  })
  return { message: unitChangeDone(move.length, changes.openTasks === 'keep' ? open.length : 0), moved: move.length }
}

/**
 * Deactivates an account: signs it out everywhere and revokes its tokens at once. Repeating it is
 * harmless. `actorId` is the admin doing it (null from the command line), who may not lock themselves out.
 */
export async function deactivateUser(db: DB, userId: string, actorId: string | null): Promise<void> {
  await requireAccount(db, userId)
  if (userId === actorId) throw new AppError(400, '不能停用自己的账户。')
  await db.transaction().execute(async trx => {
    await trx.updateTable('users').set({ active: 0 }).where('id', '=', userId).execute()
    await trx.deleteFrom('sessions').where('user_id', '=', userId).execute()
    await trx
      .updateTable('api_tokens')
      .set({ revoked_at: nowIso() })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .execute()
  })
}

/** Lets the account sign in again. Its old tokens stay revoked: the user makes new ones. */
export async function reactivateUser(db: DB, userId: string): Promise<void> {
  await requireAccount(db, userId)
  await db.updateTable('users').set({ active: 1 }).where('id', '=', userId).execute()
}

// No 0/O, 1/l/I: a temporary password is read aloud or copied from a screen.
const TEMP_ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'

/** A random 12-character password from an unambiguous alphabet (about 70 bits). */
export function temporaryPassword(): string {
  let out = ''
  for (let i = 0; i < 12; i++) out += TEMP_ALPHABET[randomInt(TEMP_ALPHABET.length)]
  return out
}

/** Sets a password an admin typed or generated; the user's sessions end (tokens stay: they are not the password). */
export async function setUserPassword(db: DB, userId: string, password: string): Promise<void> {
  const problem = passwordProblem(password)
  if (problem) throw new AppError(400, problem)
  await requireAccount(db, userId)
  const hash = await hashPassword(password)
  await db.transaction().execute(async trx => {
    await trx.updateTable('users').set({ password_hash: hash }).where('id', '=', userId).execute()
    await trx.deleteFrom('sessions').where('user_id', '=', userId).execute()
  })
}

/**
 * A user's change of their own password: the current one is required. Every other session of the
 * user ends; the one the change was made from (`keepSessionId`) stays signed in.
 */
export async function changeOwnPassword(
  db: DB,
  userId: string,
  input: { current: string; next: string; keepSessionId: string | null },
): Promise<void> {
  const user = await requireAccount(db, userId)
  if (!(await verifyPassword(input.current, user.password_hash))) throw new AppError(400, '当前密码不正确。')
  const problem = passwordProblem(input.next)
  if (problem) throw new AppError(400, problem)
  if (input.next === input.current) throw new AppError(400, '新密码不能与当前密码相同。')
  const hash = await hashPassword(input.next)
  await db.transaction().execute(async trx => {
    await trx.updateTable('users').set({ password_hash: hash }).where('id', '=', userId).execute()
    let others = trx.deleteFrom('sessions').where('user_id', '=', userId)
    if (input.keepSessionId) others = others.where('id', '!=', input.keepSessionId)
    await others.execute()
  })
}
