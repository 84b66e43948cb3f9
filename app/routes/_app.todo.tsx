// 待办: the home page. What is waiting for me, by role (app/tasks/todo.ts): lists with counts, the
// first few of each, and a link to the whole list. Read-only; every count is scoped on the server.
import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireUser } from '~/auth/session.server'
import { db } from '~/db.server'
import { TaskStatusBadge } from '~/components/StatusBadge'
import { TODO_SHOWN } from '~/tasks/todo'
import { todoFor } from '~/tasks/todo.server'
import { formatDateTime } from '~/ui/format'
import { zh } from '~/ui/zh'

export const meta: MetaFunction = () => [{ title: `${zh.todo.title} · ${zh.appName}` }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return json({ lists: await todoFor(db, user) })
}

export default function TodoPage() {
  const { lists } = useLoaderData<typeof loader>()
  const waiting = lists.filter(l => l.count > 0)
  return (
    <>
      <div className="toolbar">
        <h1>{zh.todo.title}</h1>
      </div>
      <p className="muted">{zh.todo.intro}</p>
      <nav className="todo-counts" aria-label={zh.todo.title}>
        {lists.map(l => (
          <a key={l.key} href={`#todo-${l.key}`} className={l.count ? 'todo-count has' : 'todo-count'}>
            <span className="n">{l.count}</span>
            <span>{zh.todo.lists[l.key]}</span>
          </a>
        ))}
      </nav>
      {waiting.length === 0 ? <div className="panel empty">{zh.todo.empty}</div> : null}
      {waiting.map(l => (
        <section key={l.key} id={`todo-${l.key}`} className="panel todo-list" aria-labelledby={`todo-h-${l.key}`}>
          <h2 id={`todo-h-${l.key}`}>
            {zh.todo.lists[l.key]} <span className="badge">{l.count}</span>
          </h2>
          <p className="muted small">{zh.todo.hints[l.key]}</p>
          <ul>
            {l.reports?.map(r => (
              <li key={r.id}>
                <Link to={`/reports/${r.id}`}>{r.title || r.agency_name || r.filename}</Link>
                <span className="muted small">
                  {r.year ? `${r.year} 年度 · ` : ''}
                  {zh.todo.uploadedAt(formatDateTime(r.created_at))}
                </span>
              </li>
            ))}
            {l.extensions?.map(x => (
              <li key={x.id}>
                <Link to={`/tasks/${x.taskId}`}>{x.taskTitle}</Link>
                <span className="muted small">
                  {zh.todo.requested(x.requesterName, x.newDueDate)}：{x.reason}
                </span>
              </li>
            ))}
            {l.tasks.map(t => (
              <li key={t.id}>
                <Link to={`/tasks/${t.id}`}>{t.title}</Link>
                <span className="todo-meta small">
                  <TaskStatusBadge status={t.status} returnedReason={t.returnedReason} />
                  <span className="muted">
                    {t.unit_name}
                    {t.owner_name ? ` · ${t.owner_name}` : ''}
                    {t.due_date ? ` · ${zh.tasks.columns.due} ${t.due_date}` : ''}
                  </span>
                  {t.overdueDays ? <span className="badge overdue">{zh.tasks.overdue(t.overdueDays)}</span> : null}
                </span>
                {t.returnedReason ? <span className="small muted">{zh.tasks.returnedBecause(t.returnedReason)}</span> : null}
              </li>
            ))}
          </ul>
          {l.count > TODO_SHOWN ? (
            <Link to={l.href} className="small">
              {zh.todo.all(l.count)}
            </Link>
          ) : null}
        </section>
      ))}
    </>
  )
}
