// A file field that speaks Chinese: the browser's own "Choose File / No file chosen" (in the
// browser's language) is hidden under a 选择文件 button and the chosen file's name (or 未选择文件).
// The real <input type=file> lies over them, so clicking, keyboard, validation and tests reach it.
import { useEffect, useId, useRef, useState, type InputHTMLAttributes } from 'react'
import { zh } from '~/ui/zh'

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'type'> & { label: string }

export function FileInput({ label, className, onChange, ...rest }: Props) {
  const ref = useRef<HTMLInputElement>(null)
  const nameId = useId()
  const [chosen, setChosen] = useState<string | null>(null)
  // A form emptied after a successful post (SubmitButton) empties the name shown too.
  useEffect(() => {
    const form = ref.current?.form
    if (!form) return
    const onReset = () => setChosen(null)
    form.addEventListener('reset', onReset)
    return () => form.removeEventListener('reset', onReset)
  }, [])
  return (
    <span className={`file-input ${className ?? ''}`}>
      <input
        ref={ref}
        type="file"
        aria-label={label}
        aria-describedby={nameId}
        onChange={e => {
          const files = [...(e.currentTarget.files ?? [])]
          setChosen(files.length ? files.map(f => f.name).join('、') : null)
          onChange?.(e)
        }}
        {...rest}
      />
      <span className="btn small secondary file-input-button" aria-hidden="true">
        {zh.feedback.chooseFile}
      </span>
      <span id={nameId} className="file-input-name">
        {chosen ?? zh.feedback.noFile}
      </span>
    </span>
  )
}
