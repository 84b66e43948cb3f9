// 办理: the status moves the user may make, each confirmed in a box (with an owner or a reason where the move needs one).
import { Form } from '@remix-run/react'
import { useEffect, useState } from 'react'
import { isUnder } from '~/auth/scope'
import { SubmitButton } from '~/components/SubmitButton'
import { ACTION_LABELS, type TaskAction } from '~/tasks/status'
import { zh } from '~/ui/zh'
import type { TaskPageData } from './types'

export function ActionsPanel({
  task,
  events,
  actions,
  people,
  busy,
}: Pick<TaskPageData, 'task' | 'events' | 'actions' | 'people'> & { busy: boolean }) {
  const [pending, setPending] = useState<TaskAction | null>(null)
  // The confirmation box closes once its step is done (every step writes an event); a refusal leaves it open beside its message.
  useEffect(() => setPending(null), [task.id, events.length])
  if (!actions.length) return null
  return (
    <section className="panel" aria-label="办理">
      <h2>办理</h2>
      <div className="row">
        {actions.map(a => (
          <button
            key={a}
            type="button"
            className={`btn${a === 'cancel' || a === 'return' ? ' secondary' : ''}`}
            onClick={() => setPending(a)}
            disabled={busy}
          >
            {ACTION_LABELS[a]}
          </button>
        ))}
      </div>
      {pending ? (
        <Form method="post" className="stack confirm-box">
          <input type="hidden" name="intent" value="transition" />
          <input type="hidden" name="action" value={pending} />
          <p>
            确定要<strong>{ACTION_LABELS[pending]}</strong>吗？
          </p>
          {pending === 'assign' ? (
            <label>
              责任人
              <select name="ownerId" defaultValue={task.owner_id ?? ''} required>
                <option value="">请选择</option>
                {people
                  .filter(p => isUnder(p.unit_path, task.unit_path))
                  .map(p => (
                    <option key={p.id} value={p.id}>
                      {p.display_name}（{p.unit_name}）
                    </option>
                  ))}
              </select>
            </label>
          ) : null}
          {pending === 'return' || pending === 'cancel' ? (
            <label>
              {pending === 'return' ? '退回原因' : '取消原因'}
              <textarea name="reason" required rows={3} />
            </label>
          ) : pending !== 'assign' ? (
            <label>
              {pending === 'submit' ? '完成情况说明（已上传佐证材料或填报过进展说明的，可不填）' : '说明（可选）'}
              <input type="text" name="reason" />
            </label>
          ) : null}
          <div className="row">
            <SubmitButton disabled={busy} pendingLabel={`正在${ACTION_LABELS[pending]}…`}>
              确定{ACTION_LABELS[pending]}
            </SubmitButton>
            <button type="button" className="btn secondary" onClick={() => setPending(null)}>
              {zh.common.cancel}
            </button>
          </div>
        </Form>
      ) : null}
    </section>
  )
}
