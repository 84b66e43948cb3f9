// 填报进展: the owner (or a manager) reports the percentage done and what was done.
import { Form } from '@remix-run/react'
import { SubmitButton } from '~/components/SubmitButton'
import type { TaskPageData, TaskView } from './types'

export function ProgressPanel({
  task,
  canWork,
  open,
  busy,
}: Pick<TaskPageData, 'canWork'> & { task: TaskView; open: boolean; busy: boolean }) {
  if (!(canWork && open && task.status !== 'unassigned')) return null
  return (
    <section className="panel" aria-label="填报进展">
      <h2>填报进展</h2>
      <Form method="post" className="stack">
        <input type="hidden" name="intent" value="progress" />
        <label>
          完成进度（%）
          <input type="number" name="progress" min={0} max={100} defaultValue={task.progress} required />
        </label>
        <label>
          进展说明
          <textarea name="note" rows={3} required />
        </label>
        <div>
          <SubmitButton disabled={busy} pendingLabel="正在提交…">
            提交进展
          </SubmitButton>
        </div>
      </Form>
    </section>
  )
}
