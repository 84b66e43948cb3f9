// The task's facts (unit, owner, deadline, progress, priority, source, closing date) and the report's words.
import { Link } from '@remix-run/react'
import { formatDateTime } from '~/ui/format'
import { zh } from '~/ui/zh'
import type { TaskView } from './types'

export function TaskSummary({ task }: { task: TaskView }) {
  const c = zh.tasks.columns
  return (
    <>
      <div className="panel">
        <dl className="meta-grid">
          <div>
            <dt>{c.unit}</dt>
            <dd>{task.unit_name}</dd>
          </div>
          <div>
            <dt>{c.owner}</dt>
            <dd>{task.owner_name ?? zh.tasks.noOwner}</dd>
          </div>
          <div>
            <dt>{c.due}</dt>
            <dd>{task.due_date ?? zh.common.none}</dd>
          </div>
          <div>
            <dt>{c.progress}</dt>
            <dd>
              <progress max={100} value={task.progress} aria-label="整改进度" /> {task.progress}%
            </dd>
          </div>
          <div>
            <dt>优先级</dt>
            <dd>{zh.priority[task.priority] ?? task.priority}</dd>
          </div>
          <div>
            <dt>{zh.tasks.source}</dt>
            <dd>
              <Link to={`/reports/${task.report_id}`}>
                {task.agency_name ?? task.report_filename}
                {task.report_year ? `（${task.report_year} 年度）` : ''}
              </Link>
            </dd>
          </div>
          {task.closed_at ? (
            <div>
              <dt>销号日期</dt>
              <dd>{formatDateTime(task.closed_at)}</dd>
            </div>
          ) : null}
        </dl>
      </div>
      <div className="panel">
        <h2>原文</h2>
        <p className="quote">{task.text}</p>
      </div>
    </>
  )
}
