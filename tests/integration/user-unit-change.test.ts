// Changing the unit of a user who owns open tasks: the admin must choose; 'move' changes each open
// task's unit through updateTask (an event per task) with the user's change, 'keep' leaves them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openTasksOwnedBy, updateUserAccount } from '../../app/org/accounts.server'
import { transitionTask, updateTask } from '../../app/tasks/workflow.server'
import { createTestDb, engines, type TestDb } from '../support/db'
import { makeOrg, makeTasks, type Org } from '../support/workday'

describe.each(engines)('changing a user’s unit on %s', engine => {
  let t: TestDb
  let org: Org
  let taskIds: string[]
  beforeEach(async () => {
    t = await createTestDb(engine)
    org = await makeOrg(t.db)
    taskIds = (await makeTasks(t.db, org.sup, org.dept.id, 3)).taskIds
    for (const id of taskIds) await updateTask(t.db, org.sup, id, { ownerId: org.staff.id })
    await transitionTask(t.db, org.staff, taskIds[2], { action: 'submit', reason: '已完成' })
    await transitionTask(t.db, org.sup, taskIds[2], { action: 'verify' })
  })
  afterEach(() => t.cleanup())

  const fields = (unitId: string) => ({ displayName: 'staff名', email: 'staff@example.gov.cn', role: 'staff' as const, unitId })
  const units = async () =>
    (await t.db.selectFrom('tasks').select(['id', 'unit_id']).where('id', 'in', taskIds).orderBy('title').execute()).map(r => r.unit_id)
  const userUnit = async () =>
    (await t.db.selectFrom('users').select('unit_id').where('id', '=', org.staff.id).executeTakeFirstOrThrow()).unit_id

  it('counts only open tasks, and refuses a new unit without a choice (nothing changes)', async () => {
    expect(await openTasksOwnedBy(t.db, org.staff.id)).toHaveLength(2)
    await expect(updateUserAccount(t.db, org.admin, org.staff.id, fields(org.dept2.id))).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/负责 2 项未完成的整改任务/),
    })
    expect(await userUnit()).toBe(org.dept.id)
    // other edits need no choice
    expect(await updateUserAccount(t.db, org.admin, org.staff.id, { ...fields(org.dept.id), displayName: '张三' })).toEqual({
      message: '已保存。',
      moved: 0,
    })
  })

  it("'move' takes the open tasks along through updateTask; the closed one stays", async () => {
    const r = await updateUserAccount(t.db, org.admin, org.staff.id, { ...fields(org.dept2.id), openTasks: 'move' })
    expect(r).toEqual({ moved: 2, message: expect.stringMatching(/2 项未完成任务已移到新单位/) })
    expect(await userUnit()).toBe(org.dept2.id)
    expect(await units()).toEqual([org.dept2.id, org.dept2.id, org.dept.id])
    const events = await t.db
      .selectFrom('task_events')
      .select(['task_id', 'type', 'actor_id', 'after'])
      .where('type', '=', 'updated')
      .execute()
    expect(events).toHaveLength(2)
    expect(events.every(e => e.actor_id === org.admin.id && JSON.parse(e.after!).unit_id === org.dept2.id)).toBe(true)
    // the owner is still the owner, now of the new unit's tasks
    expect(
      (await t.db.selectFrom('tasks').select('owner_id').where('id', 'in', taskIds.slice(0, 2)).execute()).map(r => r.owner_id),
    ).toEqual([org.staff.id, org.staff.id])
  })

  it("'keep' leaves the tasks in their unit", async () => {
    const r = await updateUserAccount(t.db, org.admin, org.staff.id, { ...fields(org.dept2.id), openTasks: 'keep' })
    expect(r.message).toMatch(/2 项未完成任务保留在原责任单位/)
    expect(await userUnit()).toBe(org.dept2.id)
    expect(await units()).toEqual([org.dept.id, org.dept.id, org.dept.id])
  })

  it('a move that a task refuses (the user made oversight cannot own tasks) changes nothing at all', async () => {
    await expect(
      updateUserAccount(t.db, org.admin, org.staff.id, { ...fields(org.dept2.id), role: 'oversight', openTasks: 'move' }),
    ).rejects.toMatchObject({ status: 400 })
    expect(await userUnit()).toBe(org.dept.id)
    expect(await units()).toEqual([org.dept.id, org.dept.id, org.dept.id])
  })
})
