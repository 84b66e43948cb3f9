// The submit button of a page form (the Epic Stack's StatusButton): while its own post is on the way
// it is disabled and says so (正在保存…); when the post worked (the action redirected with a toast)
// it empties its form; when it was refused, the message stands beside the button, where the person
// is looking, not only at the top of a long page.
import { useActionData, useNavigation } from '@remix-run/react'
import { useEffect, useRef, useState, type ButtonHTMLAttributes, type ReactNode } from 'react'
import { isActionFailure } from '~/forms/toast'
import { zh } from '~/ui/zh'

type Props = Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'type'> & {
  children: ReactNode
  /** What the button says while its post is on the way. */
  pendingLabel?: string
  /** Empty the form after a successful post (default); off for forms that show the saved values. */
  reset?: boolean
}

export function SubmitButton({ children, pendingLabel = zh.feedback.pending, reset = true, disabled, className = 'btn', ...rest }: Props) {
  const ref = useRef<HTMLButtonElement>(null)
  const navigation = useNavigation()
  const actionData = useActionData<unknown>()
  // This button sent the form: set from the form's submit event, so a form the browser refused
  // (a required field left empty) never counts, and Enter in a field counts for its button.
  const [sent, setSent] = useState(false)
  const [failure, setFailure] = useState<string | null>(null)
  useEffect(() => {
    const form = ref.current?.form
    if (!form) return
    const onSubmit = (e: SubmitEvent) => {
      const submitter = e.submitter ?? form.querySelector('button:not([type=button]):not([type=reset])')
      if (submitter === ref.current) {
        setSent(true)
      }
    }
    form.addEventListener('submit', onSubmit)
    return () => form.removeEventListener('submit', onSubmit)
  }, [])
  const pending = sent && navigation.state !== 'idle'
  // Any new post (this form's or another's) makes an earlier refusal old news.
  useEffect(() => {
    if (navigation.state === 'submitting') setFailure(null)
  }, [navigation.state])
  // The post is over when navigation is idle again: a refusal leaves action data with an error.
  // (Only once it was seen on the way: the render right after the click may come before the post starts.)
  const started = useRef(false)
  useEffect(() => {
    if (!sent) return
    if (navigation.state !== 'idle') {
      started.current = true
      return
    }
    if (!started.current) return
    started.current = false
    setSent(false)
    // A refusal tied to fields is shown beside those fields: repeating it by the button says it twice.
    if (isActionFailure(actionData)) setFailure(actionData.fields && Object.keys(actionData.fields).length ? null : actionData.error)
    else if (reset) ref.current?.form?.reset()
  }, [sent, navigation.state, actionData, reset])
  return (
    <>
      <button ref={ref} type="submit" className={className} disabled={disabled || pending} aria-disabled={pending || undefined} {...rest}>
        {pending ? pendingLabel : children}
      </button>
      {failure ? (
        <span className="field-error submit-error" aria-hidden="true">
          {failure}
        </span>
      ) : null}
    </>
  )
}
