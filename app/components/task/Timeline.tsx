// The task's timeline: every event, what it changed, its note, who and when.
import { Link } from '@remix-run/react'
import type { FollowupEventLinks } from '~/followup/suggestions.server'
import { ACTION_LABELS } from '~/tasks/status'
import { formatDateTime } from '~/ui/format'
import { zh } from '~/ui/zh'
import type { TaskPageData } from './types'

export function Timeline({ events, eventLinks }: Pick<TaskPageData, 'events' | 'eventLinks'>) {
  return (
    <section className="panel" aria-label={zh.tasks.timeline}>
      <h2>{zh.tasks.timeline}</h2>
      <ul className="timeline">
        {events.map(e => (
          <li key={e.id}>
            <div>{EVENT_LABELS[e.type] ?? e.type}</div>
            {describe(e) ? <div className="small">{describe(e)}</div> : null}
            <FollowupEventLinksLine event={e} links={eventLinks} />
            {e.note ? <div className="small note">“{e.note}”</div> : null}
            <div className="small muted">
              {e.actor_name ?? '系统'} · {formatDateTime(e.created_at)}
            </div>
          </li>
        ))}
      </ul>
    </section>
  )
}

const EVENT_LABELS: Record<string, string> = {
  created: '创建任务',
  updated: '修改任务',
  reassigned: '调整责任人',
  deadline_changed: '调整整改时限',
  progress: '填报进展',
  evidence: '上传佐证材料',
  extension_requested: '申请延期',
  extension_approved: '同意延期',
  extension_refused: '驳回延期',
  followup_evidence: zh.followup.events.followup_evidence,
  recurred: zh.followup.events.recurred,
  recurs: zh.followup.events.recurs,
  supervision_notice: zh.paperwork.notice.event,
  ...ACTION_LABELS,
}

function describe(e: { type: string; before: string | null; after: string | null }): string | null {
  const before = e.before ? JSON.parse(e.before) : {}
  const after = e.after ? JSON.parse(e.after) : {}
  const parts: string[] = []
  if (after.status && before.status && after.status !== before.status)
    parts.push(
      `${zh.taskStatus[before.status as keyof typeof zh.taskStatus]} → ${zh.taskStatus[after.status as keyof typeof zh.taskStatus]}`,
    )
  if ('progress' in after) parts.push(`进度 ${before.progress ?? 0}% → ${after.progress}%`)
  // A request changes nothing until it is approved: it names the date asked for, not a new deadline.
  if (e.type === 'extension_requested')
    parts.push(`申请延至 ${after.due_date ?? '—'}（原时限 ${before.due_date ?? '—'}${after.late ? '，逾期申请' : ''}）`)
  else if ('due_date' in after && before.due_date !== after.due_date)
    parts.push(`时限 ${before.due_date ?? '—'} → ${after.due_date ?? '—'}`)
  if (e.type === 'supervision_notice' && after.number) parts.push(`${after.number}，回复时限 ${after.reply_by}`)
  if (after.filename) parts.push(after.filename)
  if (after.url) parts.push(after.title ? `${after.title}（${after.url}）` : after.url)
  return parts.length ? parts.join('；') : null
}

const f = zh.followup

/** For confirmed follow-up events: which year's report says so, and the other year's task. */
function FollowupEventLinksLine({ event, links }: { event: { type: string; after: string | null }; links: FollowupEventLinks }) {
  if (!['followup_evidence', 'recurred', 'recurs'].includes(event.type) || !event.after) return null
  const after = JSON.parse(event.after) as {
    later_report_id?: string
    earlier_report_id?: string
    later_task_id?: string | null
    earlier_task_id?: string | null
    suggestion_id?: string
  }
  const reportId = after.later_report_id ?? after.earlier_report_id
  const report = reportId ? links.reports[reportId] : undefined
  const taskId = after.later_task_id ?? after.earlier_task_id ?? null
  const anchor = event.type === 'followup_evidence' && after.suggestion_id ? `#mark-${after.suggestion_id}` : ''
  if (!report && !(taskId && links.tasks[taskId])) return null
  return (
    <div className="small row">
      {report ? (
        report.open ? (
          <Link to={`/reports/${reportId}${anchor}`}>{f.events.inReport(f.year(report.year))}</Link>
        ) : (
          <span>{f.events.inReport(f.year(report.year))}</span>
        )
      ) : null}
      {taskId && links.tasks[taskId] ? <Link to={`/tasks/${taskId}`}>{f.events.otherTask}</Link> : null}
    </div>
  )
}
