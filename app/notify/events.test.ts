import { describe, expect, it } from 'vitest'
import {
  eventNeedsSupervisors,
  eventNotifies,
  listTitles,
  planConfirmNotices,
  planEventNotices,
  type EventFacts,
  type TaskFacts,
} from './events'

const task: TaskFacts = { id: 't1', title: '完善政策解读', ownerId: 'staff', dueDate: '2027-06-30', supervisorIds: ['sup', 'city'] }
const ev = (over: Partial<EventFacts>): EventFacts => ({
  id: 'e1',
  type: 'assign',
  actorId: 'sup',
  actorName: '王督办',
  before: {},
  after: {},
  note: null,
  ...over,
})
const to = (notices: { userId: string }[]) => notices.map(n => n.userId)

describe('who hears about a workflow event', () => {
  it.each([
    [
      'assign from unassigned → the new owner',
      ev({ type: 'assign', before: { status: 'unassigned', owner_id: null }, after: { status: 'in_progress', owner_id: 'staff' } }),
      ['staff'],
      'assigned',
    ],
    [
      'assign to another owner → the new one only',
      ev({ type: 'assign', before: { status: 'in_progress', owner_id: 'old' }, after: { status: 'in_progress', owner_id: 'staff' } }),
      ['staff'],
      'assigned',
    ],
    [
      'reassigned by an edit → the new owner',
      ev({ type: 'reassigned', before: { owner_id: 'old' }, after: { owner_id: 'staff' } }),
      ['staff'],
      'assigned',
    ],
    ['returned → the owner', ev({ type: 'return', note: '缺少佐证材料' }), ['staff'], 'returned'],
    [
      'submitted → every supervisor over the unit',
      ev({ type: 'submit', actorId: 'staff', actorName: '李四' }),
      ['sup', 'city'],
      'submitted',
    ],
    [
      'extension requested → the supervisors',
      ev({
        type: 'extension_requested',
        actorId: 'staff',
        before: { due_date: '2027-06-30' },
        after: { due_date: '2027-09-30' },
        note: '需要协调',
      }),
      ['sup', 'city'],
      'extension_requested',
    ],
    [
      'extension approved → the owner',
      ev({ type: 'extension_approved', after: { due_date: '2027-09-30' } }),
      ['staff'],
      'extension_approved',
    ],
    ['extension refused → the owner', ev({ type: 'extension_refused' }), ['staff'], 'extension_refused'],
    ['verified → the owner', ev({ type: 'verify' }), ['staff'], 'closed'],
    ['cancelled → the owner', ev({ type: 'cancel', note: '已并入其他任务' }), ['staff'], 'cancelled'],
  ])('%s', (_name, e, users, kind) => {
    const notices = planEventNotices(e, task)
    expect(to(notices)).toEqual(users)
    for (const n of notices) expect(n).toMatchObject({ kind, taskId: 't1', link: '/tasks/t1', dedupeKey: `event:e1:${n.userId}` })
  })

  it('nobody is told of their own action', () => {
    // a supervisor who is also the owner returns, verifies, or assigns to himself
    expect(planEventNotices(ev({ type: 'return', actorId: 'staff', note: 'x' }), task)).toEqual([])
    expect(
      planEventNotices(ev({ type: 'assign', actorId: 'staff', before: { status: 'unassigned' }, after: { owner_id: 'staff' } }), task),
    ).toEqual([])
    // the submitting owner is a supervisor too: the others hear of it, not he
    expect(to(planEventNotices(ev({ type: 'submit', actorId: 'sup' }), task))).toEqual(['city'])
  })

  it('events that concern nobody else notify nobody', () => {
    for (const type of ['created', 'progress', 'evidence', 'updated', 'ongoing', 'reopen', 'followup_evidence']) {
      expect(eventNotifies(type)).toBe(false)
      expect(planEventNotices(ev({ type }), task)).toEqual([])
    }
    // assigning the same owner again on a task already in progress is no news to him
    expect(
      planEventNotices(
        ev({ type: 'assign', before: { status: 'in_progress', owner_id: 'staff' }, after: { status: 'in_progress', owner_id: 'staff' } }),
        task,
      ),
    ).toEqual([])
    // an owner taken off (none given) and a task without owner: nobody to tell
    expect(planEventNotices(ev({ type: 'reassigned', before: { owner_id: 'staff' }, after: { owner_id: null } }), task)).toEqual([])
    expect(planEventNotices(ev({ type: 'cancel', note: 'x' }), { ...task, ownerId: null })).toEqual([])
    expect(planEventNotices(ev({ type: 'submit', actorId: 'staff' }), { ...task, supervisorIds: [] })).toEqual([])
  })

  it('only submissions and extension requests need the supervisors looked up', () => {
    expect(['submit', 'extension_requested'].every(eventNeedsSupervisors)).toBe(true)
    expect(['assign', 'return', 'verify', 'cancel', 'extension_approved'].some(eventNeedsSupervisors)).toBe(false)
  })

  it('the words name the actor, the task and what to do, with the reason where there is one', () => {
    const [ret] = planEventNotices(ev({ type: 'return', note: '缺少佐证材料。' }), task)
    expect(ret.title).toBe('任务被退回：完善政策解读')
    expect(ret.body).toBe('王督办退回了您提交核验的任务「完善政策解读」。退回原因：缺少佐证材料。请按要求整改后重新提交核验。')
    const [assigned] = planEventNotices(ev({ type: 'assign', before: { status: 'unassigned' }, after: { owner_id: 'staff' } }), task)
    expect(assigned.body).toContain('整改时限为 2027-06-30')
    const [req] = planEventNotices(
      ev({
        type: 'extension_requested',
        actorId: 'staff',
        actorName: '李四',
        before: { due_date: '2027-06-30' },
        after: { due_date: '2027-09-30' },
        note: '需要跨部门协调',
      }),
      task,
    )
    expect(req.body).toBe('李四申请将任务「完善政策解读」的整改时限由 2027-06-30 延至 2027-09-30。申请理由：需要跨部门协调。请审批。')
    const [late] = planEventNotices(
      ev({
        type: 'extension_requested',
        actorId: 'staff',
        actorName: '李四',
        before: { due_date: '2026-11-30' },
        after: { due_date: '2027-03-31', late: true },
        note: '等待批复',
      }),
      task,
    )
    expect(late.title).toBe('逾期延期申请待审批：完善政策解读')
    expect(late.body).toMatch(/^（逾期申请：提出时已超过整改时限）李四申请/)
    const [cancel] = planEventNotices(ev({ type: 'cancel', actorName: null, note: '已并入其他任务' }), task)
    expect(cancel.body).toBe('督办人取消了任务「完善政策解读」。取消原因：已并入其他任务。')
    const [approved] = planEventNotices(ev({ type: 'extension_approved', after: { due_date: '2027-09-30' }, note: '同意' }), task)
    expect(approved.body).toContain('整改时限改为 2027-09-30。审批意见：同意。')
  })
})

describe('confirming a report: one notice per owner for all their new tasks', () => {
  const report = { id: 'r1', agency: '某市教育局', year: 2025 }
  it('groups by owner, names a single task, lists several, and skips the confirming supervisor', () => {
    const notices = planConfirmNotices(
      report,
      [
        { id: 'a', title: '甲', ownerId: 'u1', dueDate: '2026-12-31' },
        { id: 'b', title: '乙', ownerId: 'u2', dueDate: null },
        { id: 'c', title: '丙', ownerId: 'u1', dueDate: '2026-12-31' },
        { id: 'd', title: '丁', ownerId: 'sup', dueDate: null },
      ],
      { id: 'sup', name: '王督办' },
    )
    expect(notices).toHaveLength(2)
    const [u1, u2] = notices
    expect(u1).toMatchObject({
      userId: 'u1',
      taskId: null,
      kind: 'assigned',
      link: '/tasks',
      dedupeKey: 'assigned:report:r1:u1',
      title: '新分派的整改任务 2 项',
    })
    expect(u1.body).toContain('「甲」（期限 2026-12-31）、「丙」（期限 2026-12-31）')
    expect(u1.body).toContain('某市教育局2025 年度报告')
    expect(u2).toMatchObject({ userId: 'u2', taskId: 'b', link: '/tasks/b', title: '新分派的整改任务：乙' })
  })

  it('a long list names ten and counts the rest', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ title: `任务${i + 1}`, dueDate: null }))
    expect(listTitles(many)).toMatch(/「任务10」等 12 项$/)
    expect(listTitles(many)).not.toContain('任务11')
  })
})

describe('a deadline set by a supervisor', () => {
  it('tells the owner the old and the new deadline, and nobody when the owner set it', () => {
    const e = ev({ type: 'deadline_changed', before: { due_date: '2027-06-30' }, after: { due_date: '2027-03-31' } })
    const [n, ...rest] = planEventNotices(e, { ...task, dueDate: '2027-03-31' })
    expect(rest).toEqual([])
    expect(n.userId).toBe('staff')
    expect(n.kind).toBe('deadline_changed')
    expect(n.body).toContain('由 2027-06-30 调整为 2027-03-31')
    expect(planEventNotices({ ...e, actorId: 'staff' }, task)).toEqual([])
  })
})
