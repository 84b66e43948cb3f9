import { describe, expect, it } from 'vitest'
import { availableActions, decideTransition, returnedReason, returnedReasonFromTimeline, WORK_REQUIRED, type TaskAction } from './status'
import type { Role, TaskStatus } from '../../db/schema'

const supervisor = { id: 's1', role: 'supervisor' as Role }
const owner = { id: 'o1', role: 'staff' as Role }
const otherStaff = { id: 'o2', role: 'staff' as Role }
const oversight = { id: 'v1', role: 'oversight' as Role }

describe('decideTransition', () => {
  const cases: Array<
    [string, TaskStatus, string | null, typeof supervisor, TaskAction, { reason?: string; ownerId?: string }, TaskStatus | string]
  > = [
    ['supervisor assigns an unassigned task', 'unassigned', null, supervisor, 'assign', { ownerId: 'o1' }, 'in_progress'],
    ['assign needs an owner', 'unassigned', null, supervisor, 'assign', {}, 'owner_required'],
    ['staff cannot assign', 'unassigned', null, owner, 'assign', { ownerId: 'o1' }, 'forbidden'],
    ['owner submits', 'in_progress', 'o1', owner, 'submit', {}, 'pending_review'],
    ['another staff cannot submit', 'in_progress', 'o1', otherStaff, 'submit', {}, 'forbidden'],
    ['cannot submit twice', 'pending_review', 'o1', owner, 'submit', {}, 'invalid_transition'],
    ['supervisor verifies (销号)', 'pending_review', 'o1', supervisor, 'verify', {}, 'closed'],
    ['owner cannot verify own work', 'pending_review', 'o1', owner, 'verify', {}, 'forbidden'],
    ['cannot verify what was not submitted', 'in_progress', 'o1', supervisor, 'verify', {}, 'invalid_transition'],
    ['return needs a reason', 'pending_review', 'o1', supervisor, 'return', {}, 'reason_required'],
    [
      'return with a reason goes back to in progress',
      'pending_review',
      'o1',
      supervisor,
      'return',
      { reason: '佐证材料不足' },
      'in_progress',
    ],
    ['cancel needs a reason', 'in_progress', 'o1', supervisor, 'cancel', { reason: ' ' }, 'reason_required'],
    ['cancel with a reason', 'in_progress', 'o1', supervisor, 'cancel', { reason: '职能调整' }, 'cancelled'],
    ['closed cannot be cancelled', 'closed', 'o1', supervisor, 'cancel', { reason: 'x' }, 'invalid_transition'],
    ['mark as ongoing', 'in_progress', 'o1', supervisor, 'ongoing', {}, 'ongoing'],
    ['reopen a closed task', 'closed', 'o1', supervisor, 'reopen', {}, 'in_progress'],
    ['reopen a cancelled unowned task goes back to be assigned', 'cancelled', null, supervisor, 'reopen', {}, 'unassigned'],
    ['oversight changes nothing', 'pending_review', 'o1', oversight, 'verify', {}, 'forbidden'],
  ]
  for (const [name, status, ownerId, actor, action, input, expected] of cases) {
    it(name, () => {
      const r = decideTransition({ task: { status, ownerId }, actor, action, ...input })
      if (r.ok) expect(r.status).toBe(expected)
      else {
        expect(r.code).toBe(expected)
        expect(r.message).toMatch(/[\u4e00-\u9fff]/)
      }
    })
  }
})

describe('availableActions', () => {
  it('offers the owner only submit while in progress', () => {
    expect(availableActions({ status: 'in_progress', ownerId: 'o1' }, owner)).toEqual(['submit'])
  })
  it('offers the supervisor verify, return, ongoing and cancel on a submitted task', () => {
    expect(availableActions({ status: 'pending_review', ownerId: 'o1' }, supervisor).sort()).toEqual([
      'cancel',
      'ongoing',
      'return',
      'verify',
    ])
  })
  it('offers oversight nothing', () => {
    for (const s of ['unassigned', 'in_progress', 'pending_review', 'closed'] as TaskStatus[])
      expect(availableActions({ status: s, ownerId: 'o1' }, oversight)).toEqual([])
  })
})

describe('已退回: derived from the timeline, not stored', () => {
  const ev = (type: string, note: string | null = null) => ({ type, note })
  it('a return leaves the task returned, with its reason, until it is submitted again or reopened', () => {
    const timeline = [ev('created'), ev('assign'), ev('submit'), ev('return', ' 缺少佐证材料 ')]
    expect(returnedReasonFromTimeline('in_progress', timeline)).toBe('缺少佐证材料')
    // progress, evidence and even a new owner keep it returned
    expect(returnedReasonFromTimeline('in_progress', [...timeline, ev('progress', '补充中'), ev('evidence'), ev('reassigned')])).toBe(
      '缺少佐证材料',
    )
    expect(returnedReasonFromTimeline('pending_review', [...timeline, ev('submit')])).toBeNull()
    expect(returnedReasonFromTimeline('in_progress', [...timeline, ev('cancel', 'x'), ev('reopen')])).toBeNull()
  })
  it('only an in-progress task can be returned', () => {
    expect(returnedReason('in_progress', ev('return', '原因'))).toBe('原因')
    expect(returnedReason('cancelled', ev('return', '原因'))).toBeNull()
    expect(returnedReason('in_progress', ev('submit'))).toBeNull()
    expect(returnedReason('in_progress', null)).toBeNull()
    expect(returnedReasonFromTimeline('in_progress', [ev('created'), ev('assign')])).toBeNull()
  })
})

describe('submitting asks for the work to be shown', () => {
  const submit = (shownWork: boolean | undefined, reason?: string) =>
    decideTransition({ task: { status: 'in_progress', ownerId: 'o1', shownWork }, actor: owner, action: 'submit', reason })
  it('refuses a bare submission of a task with no evidence and no progress note, in Chinese', () => {
    expect(submit(false)).toEqual({ ok: false, code: 'work_required', message: WORK_REQUIRED })
    expect(submit(false, '   ')).toMatchObject({ ok: false, code: 'work_required' })
  })
  it('accepts a note with the submission, or a task that already shows its work', () => {
    expect(submit(false, '栏目已改版，见门户网站')).toEqual({ ok: true, status: 'pending_review' })
    expect(submit(true)).toEqual({ ok: true, status: 'pending_review' })
  })
  it('still offers the button when the facts are not given', () => {
    expect(availableActions({ status: 'in_progress', ownerId: 'o1', shownWork: false }, owner)).toEqual(['submit'])
  })
})
