// A submit button that asks first, in the page's own words, instead of window.confirm(): a native
// <dialog> (modal, so focus stays inside; Esc cancels; focus returns to the button on close) with
// role=alertdialog. 取消 has the focus, so Enter alone never deletes. Without JavaScript the button
// simply submits (the pages that need it ask again on the server, as the review page's confirm step).
import { useId, useRef, type ButtonHTMLAttributes, type MouseEvent, type ReactNode } from 'react'
import { SubmitButton } from './SubmitButton'
import { zh } from '~/ui/zh'

type Props = Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'type' | 'onClick'> & {
  children: ReactNode
  /** The question, e.g. 删除“…”？ */
  message: ReactNode
  /** A line under the question: what cannot be undone. */
  detail?: ReactNode
  /** The confirming button's words (default 确定). */
  confirmLabel?: string
  pendingLabel?: string
}

export function ConfirmButton({
  children,
  message,
  detail,
  confirmLabel = zh.feedback.confirm,
  pendingLabel,
  className = 'btn',
  ...rest
}: Props) {
  const dialog = useRef<HTMLDialogElement>(null)
  const button = useRef<HTMLButtonElement | null>(null)
  const cancel = useRef<HTMLButtonElement>(null)
  const id = useId()
  const ask = (e: MouseEvent<HTMLButtonElement>) => {
    // The browser checks the form first: no question about a form that cannot be sent anyway.
    if (e.currentTarget.form && !e.currentTarget.form.checkValidity() && !e.currentTarget.formNoValidate) return
    e.preventDefault()
    button.current = e.currentTarget
    dialog.current?.showModal()
    // The safe choice has the focus (React's autoFocus sets no attribute for showModal() to find).
    cancel.current?.focus()
  }
  const proceed = () => {
    dialog.current?.close()
    const b = button.current
    if (!b?.form) return
    // requestSubmit with the button (no click, so no second question) keeps its name and value
    // (intent=delete) in the post, and the browser's checks run as for a click.
    b.form.requestSubmit(b)
  }
  return (
    <>
      <SubmitButton className={className} pendingLabel={pendingLabel} onClick={ask} {...rest}>
        {children}
      </SubmitButton>
      <dialog
        ref={dialog}
        className="confirm-dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        aria-describedby={detail ? `${id}-detail` : undefined}
      >
        <h2 id={`${id}-title`}>{message}</h2>
        {detail ? <p id={`${id}-detail`}>{detail}</p> : null}
        <div className="row">
          <button type="button" className={`btn ${/\bdanger\b/.test(className) ? 'danger-solid' : ''}`} onClick={proceed}>
            {confirmLabel}
          </button>
          <button ref={cancel} type="button" className="btn secondary" onClick={() => dialog.current?.close()}>
            {zh.common.cancel}
          </button>
        </div>
      </dialog>
    </>
  )
}
