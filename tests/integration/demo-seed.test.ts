// The demo shows the loop on first start: tasks in every state (closed, returned and overdue,
// awaiting verification, an extension pending) with their notifications, and next year's report of
// the same agency queued for the worker, which links it. Against a real database on each engine.
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { seedDemo } from '../../app/org/demo.server'
import { returnedReasonFromTimeline } from '../../app/tasks/status'
import { todayInShanghai } from '../../app/tasks/dates'
import { createTestDb, engines, type TestDb } from '../support/db'

// The real clock throughout: the seed's moves go through domain functions that stamp events (and
// judge deadlines) at the real time, so a fixed date here would mix two clocks.
const NOW = new Date()

describe.each(engines)('demo data on %s', engine => {
  let t: TestDb
  beforeEach(async () => {
    t = await createTestDb(engine)
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('holds tasks in every state, their notices, and a linked pair of years waiting for the worker', async () => {
    const { reports } = await seedDemo(t.db, { password: 'demo-pass-1', fixturesDir: path.resolve('tests/fixtures'), now: NOW })
    expect(reports).toBe(7)
    const tasks = await t.db.selectFrom('tasks').select(['id', 'status', 'due_date', 'owner_id']).execute()
    expect(tasks.map(x => x.status).sort()).toEqual(['closed', 'in_progress', 'in_progress', 'in_progress', 'pending_review'])
    const staff = await t.db.selectFrom('users').select('id').where('username', '=', 'staff').executeTakeFirstOrThrow()
    expect(tasks.every(x => x.owner_id === staff.id)).toBe(true)

    // one returned, with its reason, and overdue by today's date
    const returned = []
    for (const task of tasks) {
      const events = await t.db
        .selectFrom('task_events')
        .select(['type', 'note'])
        .where('task_id', '=', task.id)
        .orderBy('created_at')
        .orderBy('id')
        .execute()
      const reason = returnedReasonFromTimeline(task.status, events)
      if (reason) returned.push({ task, reason })
    }
    expect(returned).toHaveLength(1)
    expect(returned[0].reason).toContain('截图')
    expect(returned[0].task.due_date! < todayInShanghai(NOW)).toBe(true)
    // the past deadline was set as a supervisor sets it: the timeline says so
    const changes = await t.db
      .selectFrom('task_events')
      .select('type')
      .where('task_id', '=', returned[0].task.id)
      .where('type', '=', 'deadline_changed')
      .execute()
    expect(changes).toHaveLength(1)

    // one extension pending, on a task still in progress
    const ext = await t.db
      .selectFrom('task_extensions')
      .innerJoin('tasks', 'tasks.id', 'task_extensions.task_id')
      .select(['task_extensions.status', 'tasks.status as taskStatus'])
      .execute()
    expect(ext).toEqual([{ status: 'pending', taskStatus: 'in_progress' }])

    // the people concerned were told, each once per event
    const kinds = (await t.db.selectFrom('notifications').select('kind').execute()).map(n => n.kind).sort()
    expect(kinds).toEqual([
      'assigned',
      'closed',
      'deadline_changed',
      'extension_requested',
      'returned',
      'submitted',
      'submitted',
      'submitted',
    ])

    // next year's report of the same agency waits for the worker (which links it and tells the owner)
    const queued = await t.db.selectFrom('reports').select(['filename', 'status']).where('filename', '=', 'yuan_2014.txt').execute()
    expect(queued).toEqual([{ filename: 'yuan_2014.txt', status: 'queued' }])
  })
})
