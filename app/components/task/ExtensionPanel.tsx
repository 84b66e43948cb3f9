// 延期申请: the task's extension requests, a manager's decision on a pending one, and the owner's form to ask.
import { Form } from '@remix-run/react'
import { DateInput } from '~/components/DateInput'
import { SubmitButton } from '~/components/SubmitButton'
import type { TaskPageData } from './types'

export function ExtensionPanel({
  task,
  extensions,
  isOwner,
  canManage,
  today,
  open,
  busy,
}: Pick<TaskPageData, 'task' | 'extensions' | 'isOwner' | 'canManage' | 'today'> & { open: boolean; busy: boolean }) {
  const pendingExtension = extensions.find(x => x.status === 'pending')
  if (!((isOwner && open && !pendingExtension) || extensions.length)) return null
  return (
    <section className="panel" aria-label="延期">
      <h2>延期申请</h2>
      {extensions.map(x => (
        <div key={x.id} className="extension">
          <div>
            {x.requester} 申请将时限由 {x.old_due_date ?? '—'} 延至 <strong>{x.new_due_date}</strong>：{x.reason}
            <span className={`badge ${x.status === 'approved' ? 'closed' : x.status === 'refused' ? 'failed' : 'queued'}`}>
              {x.status === 'approved' ? '已同意' : x.status === 'refused' ? '已驳回' : '待审批'}
            </span>
            {x.late ? <span className="badge overdue">逾期申请</span> : null}
          </div>
          {x.status === 'pending' && canManage ? (
            <Form method="post" className="row">
              <input type="hidden" name="intent" value="decide" />
              <input type="hidden" name="extensionId" value={x.id} />
              <input type="text" name="note" placeholder="审批意见（可选）" aria-label="审批意见" />
              <SubmitButton className="btn small" name="decision" value="approve" disabled={busy}>
                同意
              </SubmitButton>
              <SubmitButton className="btn small secondary" name="decision" value="refuse" disabled={busy}>
                驳回
              </SubmitButton>
            </Form>
          ) : null}
        </div>
      ))}
      {isOwner && open && !pendingExtension ? (
        <Form method="post" className="row">
          <input type="hidden" name="intent" value="extension" />
          {task.due_date && task.due_date < today ? (
            <p className="small muted">已超过整改时限，仍可申请延期，申请将标为“逾期申请”。</p>
          ) : null}
          <DateInput
            name="newDueDate"
            aria-label="新的整改时限"
            min={task.due_date && task.due_date > today ? task.due_date : today}
            required
          />
          <input type="text" name="reason" placeholder="延期原因" aria-label="延期原因" required />
          <SubmitButton className="btn small secondary" disabled={busy} pendingLabel="正在提交…">
            申请延期
          </SubmitButton>
        </Form>
      ) : null}
    </section>
  )
}
