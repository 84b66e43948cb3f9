import type { ReportStatus, TaskStatus } from '../../db/schema'
import { zh } from '~/ui/zh'

export function ReportStatusBadge({ status }: { status: ReportStatus }) {
  return <span className={`badge ${status}`}>{zh.reportStatus[status]}</span>
}

export function TaskStatusBadge({ status }: { status: TaskStatus }) {
  return <span className={`badge ${status}`}>{zh.taskStatus[status]}</span>
}
