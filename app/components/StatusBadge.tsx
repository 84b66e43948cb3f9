import type { ReportStatus, TaskStatus } from '../../db/schema'
import { zh } from '~/ui/zh'

export function ReportStatusBadge({ status }: { status: ReportStatus }) {
  return <span className={`badge ${status}`}>{zh.reportStatus[status]}</span>
}

/** A task's status; an in-progress task that was returned (status.ts returnedReason) shows 已退回, its reason on hover. */
export function TaskStatusBadge({ status, returnedReason }: { status: TaskStatus; returnedReason?: string | null }) {
  if (status === 'in_progress' && returnedReason != null) {
    return (
      <span className="badge returned" title={returnedReason ? zh.tasks.returnedBecause(returnedReason) : undefined}>
        {zh.tasks.returned}
      </span>
    )
  }
  return <span className={`badge ${status}`}>{zh.taskStatus[status]}</span>
}
