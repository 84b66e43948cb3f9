import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireUser } from '~/auth/session.server'
import { TaskStatusBadge } from '~/components/StatusBadge'
import { db } from '~/db.server'
import { daysOverdue, getTaskForUser, todayInShanghai } from '~/tasks/tasks.server'
import { formatDateTime } from '~/ui/format'
import { zh } from '~/ui/zh'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.task.title ?? ''} · ${zh.appName}` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'task:read')
  const found = await getTaskForUser(db, { id: params.taskId!, user })
  if (!found) throw new Response('Not Found', { status: 404 })
  return json({ ...found, overdue: daysOverdue(found.task.due_date, found.task.status, todayInShanghai()) })
}

const EVENT_LABELS: Record<string, string> = { created: '创建任务' }

export default function TaskPage() {
  const { task, events, overdue } = useLoaderData<typeof loader>()
  const c = zh.tasks.columns
  return (
    <>
      <div className="toolbar">
        <h1>{task.title}</h1>
        <TaskStatusBadge status={task.status} />
      </div>
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
            <dd>
              {task.due_date ?? zh.common.none} {overdue ? <span className="badge overdue">{zh.tasks.overdue(overdue)}</span> : null}
            </dd>
          </div>
          <div>
            <dt>{c.progress}</dt>
            <dd>{task.progress}%</dd>
          </div>
          <div>
            <dt>{zh.tasks.source}</dt>
            <dd>
              <Link to={`/reports/${task.report_id}`}>{task.agency_name ?? task.report_filename}</Link>
            </dd>
          </div>
        </dl>
      </div>
      <div className="panel">
        <h2>
          <span className={`badge ${task.kind}`}>{zh.itemKind[task.kind]}</span> 原文
        </h2>
        <p style={{ whiteSpace: 'pre-wrap', lineHeight: 1.8 }}>{task.text}</p>
      </div>
      <div className="panel">
        <h2>{zh.tasks.timeline}</h2>
        <ul className="timeline">
          {events.map(e => (
            <li key={e.id}>
              <div>{EVENT_LABELS[e.type] ?? e.type}</div>
              <div className="small muted">
                {e.actor_name ?? '系统'} · {formatDateTime(e.created_at)}
              </div>
              {e.note ? <div className="small">{e.note}</div> : null}
            </li>
          ))}
        </ul>
      </div>
    </>
  )
}
