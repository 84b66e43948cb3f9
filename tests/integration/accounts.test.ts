// Account management against a real database, on every engine: an admin's edit, deactivation
// (sessions and API tokens stop working at once), reactivation and password reset; a user's own
// password change, which needs the current password and ends the other sessions.
import { randomBytes } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { nowIso } from '../../db/ids'
import { AppError } from '../../app/errors'
import { createUnit, createUser } from '../../app/org/org.server'
import {
  changeOwnPassword,
  deactivateUser,
  reactivateUser,
  setUserPassword,
  temporaryPassword,
  updateUserAccount,
} from '../../app/org/accounts.server'
import { createApiToken, userForToken } from '../../app/auth/tokens.server'
import { passwordProblem } from '../../app/auth/password-rules'
import { createTestDb, engines, type TestDb } from '../support/db'
import { useFreshAppDatabase } from '../support/app'

// session.server opens the app's own handle on import; point it at a throwaway file.
useFreshAppDatabase()

describe.each(engines)('accounts on %s', engine => {
  let t: TestDb
  let adminId: string, staffId: string, unitId: string, otherUnitId: string

  beforeEach(async () => {
    t = await createTestDb(engine)
    const root = await createUnit(t.db, { name: '市政务公开办' })
    const dept = await createUnit(t.db, { name: '市教育局', parentId: root.id })
    unitId = root.id
    otherUnitId = dept.id
    adminId = (
      await createUser(t.db, { username: 'admin', displayName: '管理员', password: 'admin-pass-1', role: 'admin', unitId: root.id })
    ).id
    staffId = (await createUser(t.db, { username: 'staff', displayName: '张三', password: 'staff-pass-1', role: 'staff', unitId: root.id }))
      .id
  })
  afterEach(() => t.cleanup())

  const session = async (userId: string) => {
    const id = randomBytes(16).toString('hex')
    await t.db
      .insertInto('sessions')
      .values({ id, user_id: userId, expires_at: new Date(Date.now() + 86400_000).toISOString(), created_at: nowIso() })
      .execute()
    return id
  }
  const sessionUser = async (sid: string) => (await import('../../app/auth/session.server')).userForSession(t.db, sid)
  const refused = async (p: Promise<unknown>, status: number, message: RegExp) => {
    const err = await p.then(
      () => null,
      e => e,
    )
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).status).toBe(status)
    expect((err as AppError).message).toMatch(message)
  }

  it('deactivation ends an active session and revokes a token at once; reactivation lets the user sign in, tokens stay revoked', async () => {
    const sid = await session(staffId)
    const { token } = await createApiToken(t.db, staffId, '脚本')
    expect((await sessionUser(sid))?.id).toBe(staffId)
    expect((await userForToken(t.db, token))?.id).toBe(staffId)

    await deactivateUser(t.db, staffId, adminId)
    expect(await sessionUser(sid)).toBeNull()
    expect(await userForToken(t.db, token)).toBeNull()
    expect(await t.db.selectFrom('sessions').select('id').where('user_id', '=', staffId).execute()).toEqual([])
    const tokens = await t.db.selectFrom('api_tokens').select('revoked_at').where('user_id', '=', staffId).execute()
    expect(tokens.every(r => r.revoked_at)).toBe(true)
    await deactivateUser(t.db, staffId, adminId) // harmless twice

    await reactivateUser(t.db, staffId)
    expect((await t.db.selectFrom('users').select('active').where('id', '=', staffId).executeTakeFirstOrThrow()).active).toBe(1)
    expect(await userForToken(t.db, token)).toBeNull()
    const fresh = await session(staffId)
    expect((await sessionUser(fresh))?.id).toBe(staffId)
  })

  it('an admin cannot deactivate themselves or change their own role, and nothing changes', async () => {
    const sid = await session(adminId)
    await refused(deactivateUser(t.db, adminId, adminId), 400, /不能停用自己/)
    await refused(
      updateUserAccount(t.db, { id: adminId }, adminId, { displayName: '管理员', email: null, role: 'staff', unitId }),
      400,
      /不能更改自己的角色/,
    )
    expect((await sessionUser(sid))?.role).toBe('admin')
  })

  it('an admin edits name, email, role and unit; an unknown unit or user is refused', async () => {
    await updateUserAccount(t.db, { id: adminId }, staffId, {
      displayName: ' 李四 ',
      email: 'li@example.gov.cn',
      role: 'supervisor',
      unitId: otherUnitId,
    })
    expect(
      await t.db
        .selectFrom('users')
        .select(['display_name', 'email', 'role', 'unit_id'])
        .where('id', '=', staffId)
        .executeTakeFirstOrThrow(),
    ).toEqual({ display_name: '李四', email: 'li@example.gov.cn', role: 'supervisor', unit_id: otherUnitId })
    await refused(
      updateUserAccount(t.db, { id: adminId }, staffId, { displayName: '李四', email: null, role: 'staff', unitId: 'nope' }),
      400,
      /单位不存在/,
    )
    await refused(
      updateUserAccount(t.db, { id: adminId }, 'nobody', { displayName: 'x', email: null, role: 'staff', unitId }),
      404,
      /找不到该用户/,
    )
  })

  it('a reset sets a password that meets the rules and ends the sessions; a weak one is refused and changes nothing', async () => {
    const { verifyPassword } = await import('../../app/auth/password.server')
    const sid = await session(staffId)
    const before = (await t.db.selectFrom('users').select('password_hash').where('id', '=', staffId).executeTakeFirstOrThrow())
      .password_hash
    await refused(setUserPassword(t.db, staffId, 'short'), 400, /密码至少 8 位/)
    expect((await sessionUser(sid))?.id).toBe(staffId)
    expect((await t.db.selectFrom('users').select('password_hash').where('id', '=', staffId).executeTakeFirstOrThrow()).password_hash).toBe(
      before,
    )

    const temp = temporaryPassword()
    expect(passwordProblem(temp)).toBeNull()
    expect(temp).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{12}$/)
    await setUserPassword(t.db, staffId, temp)
    expect(await sessionUser(sid)).toBeNull()
    const hash = (await t.db.selectFrom('users').select('password_hash').where('id', '=', staffId).executeTakeFirstOrThrow()).password_hash
    expect(await verifyPassword(temp, hash)).toBe(true)
    expect(hash).not.toContain(temp)
  })

  it('a user changes their own password with the current one; other sessions end, this one stays', async () => {
    const { verifyPassword } = await import('../../app/auth/password.server')
    const here = await session(staffId)
    const phone = await session(staffId)
    await refused(
      changeOwnPassword(t.db, staffId, { current: 'wrong-pass', next: 'new-pass-123', keepSessionId: here }),
      400,
      /当前密码不正确/,
    )
    await refused(changeOwnPassword(t.db, staffId, { current: 'staff-pass-1', next: 'short', keepSessionId: here }), 400, /至少 8 位/)
    await refused(
      changeOwnPassword(t.db, staffId, { current: 'staff-pass-1', next: 'staff-pass-1', keepSessionId: here }),
      400,
      /不能与当前密码相同/,
    )
    expect((await sessionUser(phone))?.id).toBe(staffId)

    await changeOwnPassword(t.db, staffId, { current: 'staff-pass-1', next: 'new-pass-123', keepSessionId: here })
    expect((await sessionUser(here))?.id).toBe(staffId)
    expect(await sessionUser(phone)).toBeNull()
    const hash = (await t.db.selectFrom('users').select('password_hash').where('id', '=', staffId).executeTakeFirstOrThrow()).password_hash
    expect(await verifyPassword('new-pass-123', hash)).toBe(true)
  })
})
