// Who hears about a workflow event, and in what words. Pure: the event and the task's facts in,
// the notices out (recorded by app/notify/record.server.ts in the event's own transaction).
//
// assigned / reassigned → the new owner; returned (with the reason), verified (closed), cancelled,
// extension approved / refused, a deadline set by a supervisor, a 督办单 issued → the owner; submitted for verification, extension requested → the
// supervisors with scope over the task's unit. Nobody is told of their own action. A notice's key
// is the event's id and the recipient, so the same event never notifies anyone twice.
import type { Notice } from './record.server'

export type EventNoticeKind =
  | 'assigned'
  | 'returned'
  | 'submitted'
  | 'extension_requested'
  | 'extension_approved'
  | 'extension_refused'
  | 'deadline_changed'
  | 'closed'
  | 'cancelled'
  | 'supervision_notice'

/** A task event as writeEvent stores it (before/after are the changed fields). */
export interface EventFacts {
  id: string
  type: string
  actorId: string | null
  /** The actor's display name, for the message ("张三退回了…"). */
  actorName?: string | null
  before?: Record<string, unknown> | null
  after?: Record<string, unknown> | null
  note?: string | null
}

/** The task as it is after the event. */
export interface TaskFacts {
  id: string
  title: string
  ownerId: string | null
  dueDate: string | null
  /** Active supervisors whose scope covers the task's unit: those who can verify it and decide extensions. */
  supervisorIds: readonly string[]
}

/** Which events notify anyone, and whether the supervisors must be looked up for them. */
const AUDIENCE: Record<string, 'owner' | 'new_owner' | 'supervisors'> = {
  assign: 'new_owner',
  reassigned: 'new_owner',
  return: 'owner',
  submit: 'supervisors',
  verify: 'owner',
  cancel: 'owner',
  extension_requested: 'supervisors',
  extension_approved: 'owner',
  extension_refused: 'owner',
  deadline_changed: 'owner',
  supervision_notice: 'owner',
}

/** True when an event of this type may notify someone (the caller skips all reads otherwise). */
export const eventNotifies = (type: string): boolean => type in AUDIENCE

/** True when planning this event needs the supervisors over the task's unit. */
export const eventNeedsSupervisors = (type: string): boolean => AUDIENCE[type] === 'supervisors'

export const taskLink = (taskId: string) => `/tasks/${taskId}`

const q = (title: string) => `「${title}」`
/** A free-text reason as the end of a sentence: trimmed, with exactly one full stop. */
const sentence = (text: string) => `${text.trim().replace(/[。．.!！;；，,\s]+$/u, '')}。`
const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null)

/** `you`: how the owner is named: 您 in their own notice, their name in a group robot's message. */
function words(kind: EventNoticeKind, e: EventFacts, t: TaskFacts, you = '您'): { title: string; body: string } {
  const who = e.actorName?.trim() || null
  const note = e.note?.trim() || null
  const newDue = str(e.after?.due_date)
  switch (kind) {
    case 'assigned':
      return {
        title: `新分派的整改任务：${t.title}`,
        body: `${who ?? '督办人'}将整改任务${q(t.title)}分派给${you}${t.dueDate ? `，整改时限为 ${t.dueDate}` : ''}。请按期推进，及时填报进展和佐证材料。`,
      }
    case 'returned':
      return {
        title: `任务被退回：${t.title}`,
        body: `${who ?? '督办人'}退回了${you}提交核验的任务${q(t.title)}。退回原因：${note ? sentence(note) : '未填写。'}请按要求整改后重新提交核验。`,
      }
    case 'submitted':
      return {
        title: `待核验：${t.title}`,
        body: `${who ?? '责任人'}已将任务${q(t.title)}提交核验${note ? `，说明：${sentence(note)}` : '。'}请核验后销号，或写明原因退回。`,
      }
    case 'extension_requested':
      return {
        title: `${e.after?.late === true ? '逾期' : ''}延期申请待审批：${t.title}`,
        body: `${e.after?.late === true ? '（逾期申请：提出时已超过整改时限）' : ''}${who ?? '责任人'}申请将任务${q(t.title)}的整改时限由 ${str(e.before?.due_date) ?? '未定'} 延至 ${newDue ?? '（未填写）'}。申请理由：${note ? sentence(note) : '未填写。'}请审批。`,
      }
    case 'extension_approved':
      return {
        title: `延期申请已同意：${t.title}`,
        body: `${who ?? '督办人'}同意了任务${q(t.title)}的延期申请，整改时限改为 ${newDue ?? t.dueDate ?? '（未定）'}。${note ? `审批意见：${sentence(note)}` : ''}`,
      }
    case 'extension_refused':
      return {
        title: `延期申请未获同意：${t.title}`,
        body: `${who ?? '督办人'}未同意任务${q(t.title)}的延期申请，整改时限仍为 ${t.dueDate ?? '（未定）'}。${note ? `审批意见：${sentence(note)}` : ''}`,
      }
    case 'deadline_changed':
      return {
        title: `整改时限调整：${t.title}`,
        body: `${who ?? '督办人'}将任务${q(t.title)}的整改时限由 ${str(e.before?.due_date) ?? '未定'} 调整为 ${newDue ?? '未定'}。${note ? `说明：${sentence(note)}` : ''}请按新的时限推进。`,
      }
    case 'closed':
      return {
        title: `任务已核验销号：${t.title}`,
        body: `${who ?? '督办人'}核验了任务${q(t.title)}，任务已销号。`,
      }
    case 'supervision_notice':
      return {
        title: `督办单：${t.title}`,
        body: `${who ?? '督办人'}就已逾期的整改任务${q(t.title)}签发了督办单${str(e.after?.number) ? `（${str(e.after?.number)}）` : ''}，请于 ${str(e.after?.reply_by) ?? '规定时限'} 前书面回复整改进展，并在系统中填报进展和佐证材料。`,
      }
    case 'cancelled':
      return {
        title: `任务已取消：${t.title}`,
        body: `${who ?? '督办人'}取消了任务${q(t.title)}。取消原因：${note ? sentence(note) : '未填写。'}`,
      }
  }
}

const KIND_OF: Record<string, EventNoticeKind> = {
  assign: 'assigned',
  reassigned: 'assigned',
  return: 'returned',
  submit: 'submitted',
  verify: 'closed',
  cancel: 'cancelled',
  extension_requested: 'extension_requested',
  extension_approved: 'extension_approved',
  extension_refused: 'extension_refused',
  deadline_changed: 'deadline_changed',
  supervision_notice: 'supervision_notice',
}

/** The people an event concerns, before leaving out the actor. */
function audience(e: EventFacts, t: TaskFacts): readonly string[] {
  switch (AUDIENCE[e.type]) {
    case 'owner':
      return t.ownerId ? [t.ownerId] : []
    case 'supervisors':
      return t.supervisorIds
    case 'new_owner': {
      // Only a new owner is told: an "assign" that keeps the same owner on a task already in progress changes nothing for them.
      const to = str(e.after?.owner_id)
      const from = str(e.before?.owner_id)
      const started = e.before?.status === 'unassigned'
      return to && (to !== from || started) ? [to] : []
    }
    default:
      return []
  }
}

/** The notices one task event gives: one per person it concerns, never to the actor. */
export function planEventNotices(e: EventFacts, t: TaskFacts): Notice[] {
  const kind = KIND_OF[e.type]
  if (!kind) return []
  const to = [...new Set(audience(e, t))].filter(userId => userId !== e.actorId)
  if (!to.length) return []
  const { title, body } = words(kind, e, t)
  return to.map(userId => ({ userId, taskId: t.id, kind, title, body, link: taskLink(t.id), dedupeKey: `event:${e.id}:${userId}` }))
}

/**
 * The same event as one message for a unit's group robot: told when it tells anyone, naming the
 * owner instead of "您". Null when the event notifies nobody.
 */
export function planEventBroadcast(
  e: EventFacts,
  t: TaskFacts,
  ownerName: string | null,
): { kind: EventNoticeKind; title: string; body: string; link: string } | null {
  const kind = KIND_OF[e.type]
  if (!kind || !audience(e, t).length) return null
  return { kind, ...words(kind, e, t, ownerName?.trim() || '责任人'), link: taskLink(t.id) }
}

/** One task of a confirmed report that was given an owner at review. */
export interface AssignedTask {
  id: string
  title: string
  ownerId: string
  dueDate: string | null
}

/**
 * Confirming a report creates its tasks with the owners chosen at review: each owner gets one
 * notice for all of theirs (not one per task). Keyed by report and owner: a report is confirmed once.
 */
export function planConfirmNotices(
  report: { id: string; agency: string | null; year: number | null },
  tasks: readonly AssignedTask[],
  actor: { id: string; name?: string | null },
): Notice[] {
  const byOwner = new Map<string, AssignedTask[]>()
  for (const t of tasks) {
    if (t.ownerId === actor.id) continue
    const list = byOwner.get(t.ownerId)
    if (list) list.push(t)
    else byOwner.set(t.ownerId, [t])
  }
  const who = actor.name?.trim() || '督办人'
  const source = `${report.agency ?? ''}${report.year ? `${report.year} 年度` : ''}报告`
  return [...byOwner].map(([userId, mine]) => {
    const dedupeKey = `assigned:report:${report.id}:${userId}`
    if (mine.length === 1) {
      const [t] = mine
      return {
        userId,
        taskId: t.id,
        kind: 'assigned',
        title: `新分派的整改任务：${t.title}`,
        body: `${who}确认了${source}，将整改任务${q(t.title)}分派给您${t.dueDate ? `，整改时限为 ${t.dueDate}` : ''}。请按期推进，及时填报进展和佐证材料。`,
        link: taskLink(t.id),
        dedupeKey,
      }
    }
    return {
      userId,
      taskId: null,
      kind: 'assigned',
      title: `新分派的整改任务 ${mine.length} 项`,
      body: `${who}确认了${source}，将以下 ${mine.length} 项整改任务分派给您：${listTitles(mine)}。请按期推进，及时填报进展和佐证材料。`,
      link: '/tasks',
      dedupeKey,
    }
  })
}

/** Titles with their deadlines, at most `max` named (a notice stays readable). */
export function listTitles(tasks: readonly { title: string; dueDate: string | null }[], max = 10): string {
  const named = tasks.slice(0, max).map(t => `${q(t.title)}${t.dueDate ? `（期限 ${t.dueDate}）` : ''}`)
  return `${named.join('、')}${tasks.length > max ? `等 ${tasks.length} 项` : ''}`
}
