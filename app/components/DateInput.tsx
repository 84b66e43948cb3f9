// A date field with a Chinese hint: an empty <input type=date> shows the browser's format in the
// browser's language ("mm/dd/yyyy"); until it has a value (and while not focused) it shows 年/月/日
// instead. Before hydration, or in a browser without the WebKit date parts, it is the plain field.
import { useEffect, useRef, useState, type InputHTMLAttributes } from 'react'
import { zh } from '~/ui/zh'

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'type'>

export function DateInput({ onChange, className, ...rest }: Props) {
  const ref = useRef<HTMLInputElement>(null)
  const [empty, setEmpty] = useState<boolean | null>(null)
  useEffect(() => {
    const input = ref.current
    if (!input) return
    setEmpty(!input.value)
    const form = input.form
    // After form.reset() the value is the default again (read once the reset is done).
    const onReset = () => setTimeout(() => setEmpty(!input.value))
    form?.addEventListener('reset', onReset)
    return () => form?.removeEventListener('reset', onReset)
  }, [])
  return (
    <span className={`date-input ${className ?? ''}`} data-empty={empty ? '' : undefined}>
      <input
        ref={ref}
        type="date"
        lang="zh-CN"
        onChange={e => {
          setEmpty(!e.currentTarget.value)
          onChange?.(e)
        }}
        {...rest}
      />
      <span className="date-input-hint" aria-hidden="true">
        {zh.feedback.dateHint}
      </span>
    </span>
  )
}
