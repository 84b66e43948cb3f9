// Bulk changes on the task list, against a real database: each task goes through updateTask (a task
// event and a notice each), all or nothing, a past date refused in Chinese, scope checked per task.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { bulkUpdateTasks } from '../../app/tasks/bulk.server'
import { addDays, todayInShanghai } from '../../app/tasks/dates'
import { transitionTask, updateTask } from '../../app/tasks/workflow.server'
import { createTestDb, engines, type TestDb } from '../support/db'
import { makeOrg, makeTasks, type Org } from '../support/workday'

describe.each(engines)('bulk task changes on %s', engine => {
  let t: TestDb
  let org: Org
  let taskIds: string[]
  const later = addDays(todayInShanghai(), 60)
  beforeEach(async () => {
    t = await createTestDb(engine)
    org = await makeOrg(t.db)
    taskIds = (await makeTasks(t.db, org.sup, org.dept.id, 3)).taskIds
  })
  afterEach(() => t.cleanup())

  const tasks = () =>
    t.db
      .selectFrom('tasks')
      .select(['id', 'owner_id', 'unit_id', 'due_date', 'status'])
      .where('id', 'in', taskIds)
      .orderBy('title')
      .execute()
  const eventsOf = (type: string) =>
    t.db.selectFrom('task_events').select(['task_id', 'actor_id']).where('type', '=', type).where('task_id', 'in', taskIds).execute()

  it('assigns an owner and a deadline to several tasks: one event and one notice per task, through updateTask', async () => {
    const r = await bulkUpdateTasks(t.db, org.sup, { taskIds, ownerId: org.staff.id, dueDate: later })
    expect(r).toMatchObject({ ok: true, changed: 3, unchanged: 0 })
    expect(r.ok && r.message).toMatch(/^已修改 3 项任务：责任人改为“staff名”，整改时限改为 \d{4}-\d{2}-\d{2}。/)
    for (const task of await tasks()) expect(task).toMatchObject({ owner_id: org.staff.id, due_date: later, status: 'in_progress' })
    expect(await eventsOf('reassigned')).toHaveLength(3)
    const notices = await t.db.selectFrom('notifications').select(['task_id', 'kind']).where('user_id', '=', org.staff.id).execute()
    expect(notices.map(n => n.kind)).toEqual(['assigned', 'assigned', 'assigned'])
    expect(new Set(notices.map(n => n.task_id))).toEqual(new Set(taskIds))
    // the same change again changes nothing and says so
    const again = await bulkUpdateTasks(t.db, org.sup, { taskIds, ownerId: org.staff.id })
    expect(again).toMatchObject({ ok: true, changed: 0, unchanged: 3 })
    expect(await eventsOf('reassigned')).toHaveLength(3)
  })

  it('moves tasks to another unit with a new owner there (reassign)', async () => {
    await bulkUpdateTasks(t.db, org.sup, { taskIds, ownerId: org.staff.id })
    const r = await bulkUpdateTasks(t.db, org.sup, { taskIds: taskIds.slice(0, 2), unitId: org.dept2.id, ownerId: org.staff2.id })
    expect(r).toMatchObject({ ok: true, changed: 2 })
    const [a, b, c] = await tasks()
    expect([a.unit_id, b.unit_id, c.unit_id]).toEqual([org.dept2.id, org.dept2.id, org.dept.id])
    expect([a.owner_id, b.owner_id, c.owner_id]).toEqual([org.staff2.id, org.staff2.id, org.staff.id])
    expect((await t.db.selectFrom('notifications').select('id').where('user_id', '=', org.staff2.id).execute()).length).toBe(2)
  })

  it('is all or nothing: one task that cannot change (closed; owner not of its unit) leaves every task as it was, and names it', async () => {
    await bulkUpdateTasks(t.db, org.sup, { taskIds, ownerId: org.staff.id })
    await transitionTask(t.db, org.staff, taskIds[2], { action: 'submit', reason: '已完成' })
    await transitionTask(t.db, org.sup, taskIds[2], { action: 'verify' })
    const before = JSON.stringify(await tasks())
    const eventsBefore = await t.db.selectFrom('task_events').select('id').execute()
    const noticesBefore = await t.db.selectFrom('notifications').select('id').execute()
    const closed = await bulkUpdateTasks(t.db, org.sup, { taskIds, dueDate: later })
    expect(closed).toEqual({
      ok: false,
      status: 409,
      message: expect.stringMatching(/^未做任何修改。任务“措施3”：已销号或已取消的任务不能修改/),
    })
    // staff2 is not of the tasks' unit
    const wrongOwner = await bulkUpdateTasks(t.db, org.sup, { taskIds: taskIds.slice(0, 2), ownerId: org.staff2.id })
    expect(wrongOwner).toMatchObject({ ok: false, status: 400, message: expect.stringMatching(/措施1.*责任人不属于该责任单位/) })
    expect(JSON.stringify(await tasks())).toBe(before)
    expect(await t.db.selectFrom('task_events').select('id').execute()).toHaveLength(eventsBefore.length)
    expect(await t.db.selectFrom('notifications').select('id').execute()).toHaveLength(noticesBefore.length)
  })

  it('refuses a past date in Chinese, nothing selected, and checks each task: staff, oversight and another tree cannot', async () => {
    expect(await bulkUpdateTasks(t.db, org.sup, { taskIds, dueDate: '2020-01-01' })).toMatchObject({
      ok: false,
      status: 400,
      message: expect.stringMatching(/^整改时限不能早于今天/),
    })
    expect(await bulkUpdateTasks(t.db, org.sup, { taskIds: [], ownerId: org.staff.id })).toMatchObject({
      ok: false,
      message: '请先勾选要修改的任务。',
    })
    const before = JSON.stringify(await tasks())
    expect(await bulkUpdateTasks(t.db, org.staff, { taskIds, dueDate: later })).toMatchObject({ ok: false, status: 403 })
    expect(await bulkUpdateTasks(t.db, org.oversight, { taskIds, dueDate: later })).toMatchObject({ ok: false, status: 403 })
    const other = await bulkUpdateTasks(t.db, org.otherSup, { taskIds, dueDate: later })
    expect(other).toMatchObject({ ok: false, status: 404 })
    expect(other.ok ? '' : other.message).not.toMatch(/措施/)
    // one task of another tree among one's own: none changes
    const theirs = (await makeTasks(t.db, org.otherSup, org.other.id, 1)).taskIds
    expect(await bulkUpdateTasks(t.db, org.sup, { taskIds: [...taskIds, ...theirs], dueDate: later })).toMatchObject({
      ok: false,
      status: 404,
    })
    expect(JSON.stringify(await tasks())).toBe(before)
  })
})
