import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireUser } from '~/auth/session.server'
import { TaskStatusBadge } from '~/components/StatusBadge'
import { db } from '~/db.server'
import { daysOverdue, listTasksForUser, todayInShanghai } from '~/tasks/tasks.server'
import { zh } from '~/ui/zh'

export const meta: MetaFunction = () => [{ title: `${zh.tasks.title} · ${zh.appName}` }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'task:read')
  const today = todayInShanghai()
  const tasks = (await listTasksForUser(db, user, { mine: true })).map(t => ({ ...t, overdue: daysOverdue(t.due_date, t.status, today) }))
  return json({ tasks })
}

export default function MyTasks() {
  const { tasks } = useLoaderData<typeof loader>()
  const c = zh.tasks.columns
  return (
    <>
      <div className="toolbar">
        <h1>{zh.tasks.title}</h1>
      </div>
      {tasks.length === 0 ? (
        <div className="panel empty">{zh.tasks.empty}</div>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th>{c.title}</th>
              <th>{c.unit}</th>
              <th>{c.owner}</th>
              <th>{c.due}</th>
              <th>{c.progress}</th>
              <th>{c.status}</th>
            </tr>
          </thead>
          <tbody>
            {tasks.map(t => (
              <tr key={t.id}>
                <td>
                  <span className={`badge ${t.kind}`}>{zh.itemKind[t.kind]}</span> <Link to={`/tasks/${t.id}`}>{t.title}</Link>
                  <div className="small muted">{t.agency_name ?? t.report_filename}</div>
                </td>
                <td>{t.unit_name}</td>
                <td>{t.owner_name ?? <span className="muted">{zh.tasks.noOwner}</span>}</td>
                <td>
                  {t.due_date ?? zh.common.none}
                  {t.overdue ? <div><span className="badge overdue">{zh.tasks.overdue(t.overdue)}</span></div> : null}
                </td>
                <td>{t.progress}%</td>
                <td>
                  <TaskStatusBadge status={t.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  )
}
