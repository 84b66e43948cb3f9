// The task status machine: which move is allowed from which status, for whom, with what input.
// Pure: takes data, returns data. Scope (is the task in the actor's unit subtree?) is checked by
// the caller; this module decides on status, role and ownership only.
import type { Role, TaskStatus } from '../../db/schema'

export type TaskAction = 'assign' | 'submit' | 'verify' | 'return' | 'cancel' | 'ongoing' | 'reopen'
export const TASK_ACTIONS: readonly TaskAction[] = ['assign', 'submit', 'verify', 'return', 'cancel', 'ongoing', 'reopen']

export interface TransitionInput {
  /**
   * `shownWork`: whether the task already shows what was done (evidence, or a progress update with a
   * note). Submitting needs that or a note of its own; leave it out to ask only what is possible.
   */
  task: { status: TaskStatus; ownerId: string | null; shownWork?: boolean }
  actor: { id: string; role: Role }
  action: TaskAction
  reason?: string | null
  /** For assign: the new owner. */
  ownerId?: string | null
}

export type TransitionResult =
  | { ok: true; status: TaskStatus }
  | { ok: false; code: 'invalid_transition' | 'forbidden' | 'reason_required' | 'owner_required' | 'work_required'; message: string }

interface Rule {
  from: readonly TaskStatus[]
  to: TaskStatus
  /** Who may make the move: a role, or 'owner' for the task's owner. */
  by: readonly (Role | 'owner')[]
  needsReason?: boolean
  needsOwner?: boolean
  /** A note with the move, unless the task already shows the work (evidence or a progress note). */
  needsWorkShown?: boolean
}

const MANAGERS = ['supervisor', 'admin'] as const

export const RULES: Record<TaskAction, Rule> = {
  assign: { from: ['unassigned', 'in_progress'], to: 'in_progress', by: MANAGERS, needsOwner: true },
  submit: { from: ['in_progress'], to: 'pending_review', by: ['owner'], needsWorkShown: true },
  verify: { from: ['pending_review'], to: 'closed', by: MANAGERS },
  return: { from: ['pending_review'], to: 'in_progress', by: MANAGERS, needsReason: true },
  ongoing: { from: ['unassigned', 'in_progress', 'pending_review'], to: 'ongoing', by: MANAGERS },
  cancel: { from: ['unassigned', 'in_progress', 'pending_review', 'ongoing'], to: 'cancelled', by: MANAGERS, needsReason: true },
  reopen: { from: ['closed', 'cancelled', 'ongoing'], to: 'in_progress', by: MANAGERS, needsOwner: false },
}

export const ACTION_LABELS: Record<TaskAction, string> = {
  assign: '分派',
  submit: '提交核验',
  verify: '核验销号',
  return: '退回',
  cancel: '取消',
  ongoing: '标记为长期坚持',
  reopen: '重新打开',
}

export const WORK_REQUIRED = '提交核验前，请填写完成情况说明，或先上传佐证材料、填报进展说明。'

const STATUS_LABELS: Record<TaskStatus, string> = {
  unassigned: '待分派',
  in_progress: '进行中',
  pending_review: '待核验',
  closed: '已销号',
  ongoing: '长期坚持',
  cancelled: '已取消',
}

export function decideTransition({ task, actor, action, reason, ownerId }: TransitionInput): TransitionResult {
  const rule = RULES[action]
  if (!rule) return { ok: false, code: 'invalid_transition', message: '未知操作。' }
  const allowed = rule.by.some(who => (who === 'owner' ? task.ownerId !== null && task.ownerId === actor.id : who === actor.role))
  if (!allowed) return { ok: false, code: 'forbidden', message: `您无权执行“${ACTION_LABELS[action]}”。` }
  if (!rule.from.includes(task.status))
    return { ok: false, code: 'invalid_transition', message: `任务当前为“${STATUS_LABELS[task.status]}”，不能${ACTION_LABELS[action]}。` }
  if (rule.needsReason && !reason?.trim()) return { ok: false, code: 'reason_required', message: `${ACTION_LABELS[action]}需要填写原因。` }
  if (rule.needsOwner && !(ownerId ?? task.ownerId)) return { ok: false, code: 'owner_required', message: '请先选择责任人。' }
  if (rule.needsWorkShown && task.shownWork === false && !reason?.trim())
    return { ok: false, code: 'work_required', message: WORK_REQUIRED }
  // Reopening a task nobody owns puts it back to be assigned.
  const to = action === 'reopen' && !task.ownerId ? 'unassigned' : rule.to
  return { ok: true, status: to }
}

/** The moves this actor could make now, for showing buttons. */
export function availableActions(task: TransitionInput['task'], actor: TransitionInput['actor']): TaskAction[] {
  return TASK_ACTIONS.filter(action => {
    const r = decideTransition({ task, actor, action, reason: 'x', ownerId: task.ownerId ?? 'x' })
    return r.ok
  })
}

/**
 * 已退回 (returned) is derived, not a stored status: the API and the database keep 'in_progress'.
 * A task is returned while it is in progress and the latest of these events is a return: a
 * submission or a reopening ends it (a reassignment does not: the new owner inherits the reason).
 */
export const RETURN_STATE_EVENTS = ['return', 'submit', 'reopen'] as const

/** The reason a task was returned with, when it is 已退回 now; null otherwise. */
export function returnedReason(
  status: TaskStatus,
  lastStateEvent: { type: string; note: string | null } | null | undefined,
): string | null {
  if (status !== 'in_progress' || lastStateEvent?.type !== 'return') return null
  return lastStateEvent.note?.trim() ?? ''
}

/** returnedReason from a task's whole timeline (oldest first). */
export function returnedReasonFromTimeline(status: TaskStatus, events: readonly { type: string; note: string | null }[]): string | null {
  const states: readonly string[] = RETURN_STATE_EVENTS
  for (let i = events.length - 1; i >= 0; i--) if (states.includes(events[i].type)) return returnedReason(status, events[i])
  return null
}
