// 调整任务: a manager changes the responsible unit, the owner (among the chosen unit's people), the deadline and the priority.
import { Form } from '@remix-run/react'
import { useEffect, useState } from 'react'
import { isUnder } from '~/auth/scope'
import { DateInput } from '~/components/DateInput'
import { SubmitButton } from '~/components/SubmitButton'
import { zh } from '~/ui/zh'
import type { TaskPageData } from './types'

export function ManagePanel({
  task,
  people,
  units,
  canManage,
  open,
  busy,
}: Pick<TaskPageData, 'task' | 'people' | 'units' | 'canManage'> & { open: boolean; busy: boolean }) {
  // The unit chosen in 调整任务: its people are offered as owners (back to the task's own on another task or after a save).
  const [unitChoice, setUnitChoice] = useState(task.unit_id)
  useEffect(() => setUnitChoice(task.unit_id), [task.id, task.unit_id])
  if (!(canManage && open)) return null
  return (
    <section className="panel" aria-label="调整任务">
      <h2>调整任务</h2>
      <Form method="post" className="row">
        <input type="hidden" name="intent" value="update" />
        <select name="unitId" value={unitChoice} onChange={e => setUnitChoice(e.target.value)} aria-label="责任单位">
          {units.map(u => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </select>
        <select name="ownerId" defaultValue={task.owner_id ?? ''} aria-label="责任人">
          <option value="">（未分派）</option>
          {people
            .filter(p => isUnder(p.unit_path, units.find(u => u.id === unitChoice)?.path ?? task.unit_path))
            .map(p => (
              <option key={p.id} value={p.id}>
                {p.display_name}
              </option>
            ))}
        </select>
        <DateInput name="dueDate" defaultValue={task.due_date ?? ''} aria-label="整改时限" />
        <select name="priority" defaultValue={task.priority} aria-label="优先级">
          <option value="high">高</option>
          <option value="normal">中</option>
          <option value="low">低</option>
        </select>
        <SubmitButton className="btn small" disabled={busy}>
          {zh.common.save}
        </SubmitButton>
      </Form>
    </section>
  )
}
