// 待办 against a real database, on the demo (which holds tasks in every state): each role's lists
// count what waits for them, within their scope, and the navigation's badge counts what they must act on.
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SessionUser } from '../../app/auth/session.server'
import { countTodo, todoFor } from '../../app/tasks/todo.server'
import { todayInShanghai } from '../../app/tasks/dates'
import { seedDemo } from '../../app/org/demo.server'
import { createTestDb, engines, type TestDb } from '../support/db'

describe.each(engines)('待办 on %s', engine => {
  let t: TestDb
  const user = async (username: string): Promise<SessionUser> => {
    const u = await t.db
      .selectFrom('users')
      .innerJoin('units', 'units.id', 'users.unit_id')
      .select(['users.id', 'users.username', 'users.display_name', 'users.role', 'users.unit_id', 'units.name', 'units.path'])
      .where('username', '=', username)
      .executeTakeFirstOrThrow()
    return {
      id: u.id,
      username: u.username,
      displayName: u.display_name,
      role: u.role,
      unitId: u.unit_id,
      unitName: u.name,
      unitPath: u.path,
    }
  }
  const counts = (lists: Awaited<ReturnType<typeof todoFor>>) => Object.fromEntries(lists.map(l => [l.key, l.count]))
  // The real clock: the demo's moves are stamped and judged at the real time (see demo-seed.test.ts).
  const today = () => todayInShanghai(new Date())

  beforeAll(async () => {
    t = await createTestDb(engine)
    await seedDemo(t.db, { password: 'demo-pass-1', fixturesDir: path.resolve('tests/fixtures') })
  })
  afterAll(async () => {
    await t.cleanup()
  })

  it('the supervisor: one submission to verify, one extension to decide, one task overdue', async () => {
    const sup = await user('supervisor')
    const lists = await todoFor(t.db, sup, today())
    expect(counts(lists)).toMatchObject({ reviewReports: 0, extensions: 1, pendingReview: 1, unassigned: 0, overdue: 1 })
    expect(lists.find(l => l.key === 'extensions')!.extensions![0].reason).toContain('目录')
    expect(lists.find(l => l.key === 'pendingReview')!.tasks.map(x => x.status)).toEqual(['pending_review'])
    expect(await countTodo(t.db, sup, today())).toBe(2)
  })

  it('the staff member: the returned task with its reason, also overdue', async () => {
    const staff = await user('staff')
    const lists = await todoFor(t.db, staff, today())
    expect(counts(lists)).toMatchObject({ returned: 1, overdue: 1 })
    const returned = lists.find(l => l.key === 'returned')!.tasks
    expect(returned[0].returnedReason).toContain('截图')
    expect(returned[0].overdueDays).toBeGreaterThan(0)
    expect(await countTodo(t.db, staff, today())).toBe(1)
  })

  it('oversight: only what is late, and nothing to act on; another tree sees none of it', async () => {
    expect(counts(await todoFor(t.db, await user('oversight'), today()))).toEqual({ overdue: 1 })
    expect(await countTodo(t.db, await user('oversight'), today())).toBe(0)
    const root = await t.db
      .insertInto('units')
      .values({ id: 'other-root', name: '邻市', parent_id: null, path: '/other-root/', created_at: new Date().toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow()
    const outsider: SessionUser = {
      id: 'nobody',
      username: 'x',
      displayName: 'x',
      role: 'supervisor',
      unitId: root.id,
      unitName: '邻市',
      unitPath: '/other-root/',
    }
    expect(Object.values(counts(await todoFor(t.db, outsider, today()))).every(n => n === 0)).toBe(true)
  })
})
