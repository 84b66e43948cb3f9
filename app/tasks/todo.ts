// 待办: what is waiting for *me*, by role. Pure: which lists a person sees, each with the task-list
// filters that fill it and the page that shows all of it. The server (todo.server.ts) counts and
// lists; the page shows the lists that are not empty, the most urgent first.
import type { Role, TaskStatus } from '../../db/schema'
import { can } from '../auth/permissions'

export type TodoKey = 'reviewReports' | 'returned' | 'pendingReview' | 'extensions' | 'unassigned' | 'overdue' | 'dueSoon'

/** A task list of the to-do page: filters over the tasks the person may see. */
export interface TaskTodo {
  key: Exclude<TodoKey, 'reviewReports' | 'extensions'>
  status?: TaskStatus[]
  /** Only tasks the person owns. */
  mine?: boolean
  overdue?: boolean
  /** Deadline within this many days from today (not yet passed). */
  dueWithinDays?: number
  /** Only tasks returned to their owner (已退回). */
  returned?: boolean
  /** The task list showing all of it (the server adds the due-soon date). */
  href: string
}

export interface TodoPlan {
  /** Reports extracted and waiting for review (those who review). */
  reviewReports: boolean
  /** Extension requests waiting for a decision (those who decide). */
  extensions: boolean
  tasks: TaskTodo[]
}

/** Tasks shown per list; the link shows the rest (a plain module: the page reads it in the browser too). */
export const TODO_SHOWN = 5

/** Days ahead that count as "due soon". */
export const DUE_SOON_DAYS = 14

export function todoPlan(role: Role): TodoPlan {
  const manages = can(role, 'task:manage')
  if (manages) {
    return {
      reviewReports: can(role, 'report:review'),
      extensions: true,
      tasks: [
        { key: 'pendingReview', status: ['pending_review'], href: '/tasks?status=pending_review' },
        { key: 'unassigned', status: ['unassigned'], href: '/tasks?status=unassigned' },
        { key: 'overdue', overdue: true, href: '/tasks?overdue=1' },
        { key: 'dueSoon', status: ['in_progress'], dueWithinDays: DUE_SOON_DAYS, href: '/tasks?status=in_progress' },
      ],
    }
  }
  if (can(role, 'task:update')) {
    return {
      reviewReports: false,
      extensions: false,
      tasks: [
        { key: 'returned', mine: true, returned: true, href: '/tasks?returned=1' },
        { key: 'overdue', mine: true, overdue: true, href: '/tasks?overdue=1' },
        { key: 'dueSoon', status: ['in_progress'], mine: true, dueWithinDays: DUE_SOON_DAYS, href: '/tasks?status=in_progress' },
      ],
    }
  }
  // Read-only (oversight): nothing waits for them to act; what is late in their scope is what they watch.
  return { reviewReports: false, extensions: false, tasks: [{ key: 'overdue', overdue: true, href: '/tasks?overdue=1' }] }
}

/** YYYY-MM-DD `days` after `today`. */
export function addDays(today: string, days: number): string {
  return new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)
}

/** Lists counted in the navigation's 待办 badge: those that wait for the person to act, not the ones that only inform. */
export const NAV_COUNTED: readonly TodoKey[] = ['reviewReports', 'extensions', 'pendingReview', 'unassigned', 'returned']
