// /tasks/notices: the overdue tasks in scope, to issue 督办单 for many at once (each a task event
// that notifies its owner), then print them as one PDF. Supervisors and admins.
import { DateInput } from '~/components/DateInput'
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useState } from 'react'
import { z } from 'zod'
import { requireUser } from '~/auth/session.server'
import { SubmitButton } from '~/components/SubmitButton'
import { pageAction } from '~/forms/page-action.server'
import { isActionFailure, type ActionFailure } from '~/forms/toast'
import { db } from '~/db.server'
import { issueSupervisionNotices, overdueTasksForNotice } from '~/paperwork/notice.server'
import { formatDateTime } from '~/ui/format'
import { zh } from '~/ui/zh'

export const meta: MetaFunction = () => [{ title: `${zh.paperwork.notice.batch.title} · ${zh.appName}` }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'task:manage')
  return json({ tasks: await overdueTasksForNotice(db, user) })
}

const IssueNotices = z.object({
  intent: z.literal('issue'),
  taskIds: z.array(z.string()).transform(ids => ids.filter(v => v.length > 0 && v.length < 100)),
  replyBy: z.string().optional(),
})

export async function action(args: ActionFunctionArgs) {
  return pageAction(args, {
    permission: 'task:manage',
    schema: IssueNotices,
    arrays: ['taskIds'],
    handlers: {
      // The answer stays on this page: it carries the PDF link of the notices issued and the refusals.
      issue: async ({ user, data }) => {
        const r = await issueSupervisionNotices(db, user, data.taskIds, { replyBy: data.replyBy ?? null })
        return json({ ok: zh.paperwork.notice.batch.issued(r.issued.length), issued: r.issued, refused: r.refused })
      },
    },
  })
}

export default function BatchNotices() {
  const { tasks } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>() as
    { ok: string; issued: { taskId: string }[]; refused: { taskId: string; message: string }[] } | ActionFailure | undefined
  const busy = useNavigation().state !== 'idle'
  const [checked, setChecked] = useState<string[]>([])
  const b = zh.paperwork.notice.batch
  const c = b.columns
  const titleOf = (id: string) => tasks.find(t => t.id === id)?.title ?? id
  return (
    <>
      <div className="toolbar">
        <h1>{b.title}</h1>
        <Link to="/tasks?overdue=1">{zh.tasks.title}</Link>
      </div>
      <p className="muted small lead">{b.help}</p>
      {isActionFailure(result) ? (
        <div className="alert error" role="alert">
          {result.error}
        </div>
      ) : null}
      {result && 'ok' in result ? (
        <div className="alert ok" role="status">
          {result.ok}{' '}
          {result.issued.length ? (
            <a href={`/tasks/notices.pdf?${new URLSearchParams(result.issued.map(i => ['id', i.taskId]))}`} download>
              {b.pdf}
            </a>
          ) : null}
          {result.refused.length ? (
            <div>
              {b.refused(result.refused.length)}
              {result.refused.map(r => `「${titleOf(r.taskId)}」${r.message}`).join('；')}
            </div>
          ) : null}
        </div>
      ) : null}
      {tasks.length === 0 ? (
        <p className="muted">{b.empty}</p>
      ) : (
        <Form method="post">
          <div className="table-scroll">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">
                    <label className="check">
                      <input
                        type="checkbox"
                        checked={checked.length === tasks.length}
                        onChange={e => setChecked(e.target.checked ? tasks.map(t => t.id) : [])}
                      />{' '}
                      {b.all}
                    </label>
                  </th>
                  <th scope="col">{c.title}</th>
                  <th scope="col">{c.unit}</th>
                  <th scope="col">{c.owner}</th>
                  <th scope="col">{c.due}</th>
                  <th scope="col">{c.overdue}</th>
                  <th scope="col">{c.last}</th>
                </tr>
              </thead>
              <tbody>
                {tasks.map(t => (
                  <tr key={t.id}>
                    <td>
                      <input
                        type="checkbox"
                        name="taskIds"
                        value={t.id}
                        aria-label={t.title}
                        checked={checked.includes(t.id)}
                        onChange={e => setChecked(e.target.checked ? [...checked, t.id] : checked.filter(x => x !== t.id))}
                      />
                    </td>
                    <td>
                      <Link to={`/tasks/${t.id}`}>{t.title}</Link>
                    </td>
                    <td>{t.unitName}</td>
                    <td>{t.ownerName ?? zh.tasks.noOwner}</td>
                    <td>{t.dueDate}</td>
                    <td>{t.overdueDays ? b.days(t.overdueDays) : null}</td>
                    <td>{t.lastNotice ? formatDateTime(t.lastNotice) : zh.common.none}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="actions">
            <label>
              {zh.paperwork.notice.replyBy} <DateInput name="replyBy" />
            </label>
            {/* The ticks are the page's state (not the form's): the answer below lists what was issued. */}
            <SubmitButton name="intent" value="issue" disabled={busy || checked.length === 0} reset={false}>
              {zh.paperwork.notice.issue}（{checked.length}）
            </SubmitButton>
          </div>
        </Form>
      )}
    </>
  )
}
