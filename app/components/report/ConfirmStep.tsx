// The report page's confirmation step: what confirming will do, asked before it is done.
import { Form, Link, useLocation } from '@remix-run/react'
import { SubmitButton } from '~/components/SubmitButton'

/** What confirming will do, asked before doing it: the count of tasks, and the items no one owns yet (they become 待分派). */
export function ConfirmStep({
  step,
  busy,
  onShow,
}: {
  step: { total: number; unowned: Array<{ id: string; title: string }> }
  busy: boolean
  onShow: (id: string) => void
}) {
  const { pathname, search } = useLocation()
  return (
    <section
      role="alertdialog"
      aria-labelledby="confirm-step-title"
      aria-describedby="confirm-step-help"
      className={`alert ${step.unowned.length ? 'warn' : 'info'}`}
      tabIndex={-1}
      autoFocus
    >
      <h2 id="confirm-step-title">确认并生成 {step.total} 个整改任务？</h2>
      <p id="confirm-step-help">确认后，提取结果将不能再修改。</p>
      {step.unowned.length ? (
        <>
          <p>
            <strong>以下 {step.unowned.length} 条尚未指定责任人</strong>，确认后将成为“待分派”任务，需要再逐一分派：
          </p>
          <ul>
            {step.unowned.map(u => (
              <li key={u.id}>
                <button type="button" className="linklike" onClick={() => onShow(u.id)}>
                  {u.title}
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <Form method="post" className="row">
        <input type="hidden" name="intent" value="confirm" />
        <input type="hidden" name="confirmed" value="yes" />
        <input type="hidden" name="unownedSeen" value={step.unowned.length} />
        <SubmitButton disabled={busy} pendingLabel="正在生成任务…">
          {step.unowned.length ? `仍然确认，生成 ${step.total} 个任务` : `确定生成 ${step.total} 个任务`}
        </SubmitButton>
        <Link to={pathname + search} className="btn secondary">
          {step.unowned.length ? '先去分派' : '取消'}
        </Link>
      </Form>
    </section>
  )
}
