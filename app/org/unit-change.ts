// Changing a user's unit when they own open tasks: the admin must say what happens to those tasks
// (move them to the user's new unit, or leave them where they are for a supervisor to reassign). Pure.

export type OpenTasksChoice = 'move' | 'keep'

export const OPEN_TASK_STATUSES = ['unassigned', 'in_progress', 'pending_review', 'ongoing'] as const

/** The refusal when a choice is needed and missing, or null. */
export function unitChangeProblem(input: {
  unitChanged: boolean
  openTasks: number
  choice: OpenTasksChoice | null | undefined
}): string | null {
  if (!input.unitChanged || input.openTasks === 0 || input.choice) return null
  return `该用户负责 ${input.openTasks} 项未完成的整改任务。更换单位前，请选择将这些任务一并移到新单位，还是保留在原责任单位。`
}

export function unitChangeDone(moved: number, kept: number): string {
  if (moved) return `已保存。${moved} 项未完成任务已移到新单位，责任人不变，已记入任务动态。`
  if (kept) return `已保存。${kept} 项未完成任务保留在原责任单位，请督办人视需要重新分派。`
  return '已保存。'
}
