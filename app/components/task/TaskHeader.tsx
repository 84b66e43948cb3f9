// The task page's title line (kind, title, overdue, notice link, status) and its 已退回 notice.
import { Link } from '@remix-run/react'
import { TaskStatusBadge } from '~/components/StatusBadge'
import { zh } from '~/ui/zh'
import type { TaskPageData } from './types'

export function TaskHeader({
  task,
  events,
  overdue,
  returnedReason,
}: Pick<TaskPageData, 'task' | 'events' | 'overdue' | 'returnedReason'>) {
  return (
    <div className="toolbar">
      <h1>
        <span className={`badge ${task.kind}`}>{zh.itemKind[task.kind]}</span> {task.title}
      </h1>
      <div className="row">
        {overdue ? <span className="badge overdue">{zh.tasks.overdue(overdue)}</span> : null}
        {overdue || events.some(e => e.type === 'supervision_notice') ? (
          <Link to={`/tasks/${task.id}/notice`}>{zh.paperwork.notice.link}</Link>
        ) : null}
        <TaskStatusBadge status={task.status} returnedReason={returnedReason} />
      </div>
    </div>
  )
}

export function ReturnedNotice({ returnedReason }: Pick<TaskPageData, 'returnedReason'>) {
  if (returnedReason == null) return null
  return (
    <div className="alert warn returned-notice">
      <strong>{zh.tasks.returned}</strong> {returnedReason ? <span>{zh.tasks.returnedBecause(returnedReason)}</span> : null}{' '}
      <span>{zh.tasks.returnedNotice}</span>
    </div>
  )
}
