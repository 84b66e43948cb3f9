// The browser checks a field (required, min, type=url…) in its own language: "Please fill out this
// field", "Value must be…". Pages keep those checks but say them in Chinese, through the standard
// setCustomValidity, listened for once on the document. The server checks everything again.
import { useEffect } from 'react'
import { zh } from './zh'

type Field = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement

const v = zh.feedback.validity

/** The Chinese message for a field the browser found invalid ('' when it is valid). */
export function chineseValidityMessage(
  field: Pick<Field, 'validity' | 'type'> & { min?: string; max?: string; minLength?: number; maxLength?: number },
): string {
  const s = field.validity
  const date = field.type === 'date' || field.type === 'datetime-local' || field.type === 'month'
  if (s.valueMissing)
    return field.type === 'file'
      ? v.valueMissingFile
      : field.type === 'checkbox' || field.type === 'radio'
        ? v.valueMissingCheckbox
        : field.type.startsWith('select')
          ? v.valueMissingSelect
          : v.valueMissing
  if (s.typeMismatch) return field.type === 'email' ? v.typeMismatchEmail : field.type === 'url' ? v.typeMismatchUrl : v.typeMismatch
  if (s.badInput) return v.badInput
  if (s.tooShort) return v.tooShort(field.minLength ?? 0)
  if (s.tooLong) return v.tooLong(field.maxLength ?? 0)
  if (s.rangeUnderflow) return date ? v.dateUnderflow(field.min ?? '') : v.rangeUnderflow(field.min ?? '')
  if (s.rangeOverflow) return date ? v.dateOverflow(field.max ?? '') : v.rangeOverflow(field.max ?? '')
  if (s.stepMismatch) return v.stepMismatch
  if (s.patternMismatch) return v.patternMismatch
  return ''
}

const isField = (t: EventTarget | null): t is Field =>
  t instanceof HTMLInputElement || t instanceof HTMLSelectElement || t instanceof HTMLTextAreaElement

/** Installed once (root): every form field's browser message in Chinese. */
export function useChineseValidity(): void {
  useEffect(() => {
    const onInvalid = (e: Event) => {
      if (!isField(e.target)) return
      const field = e.target
      field.setCustomValidity('') // judge the field itself, not a message set earlier
      if (!field.validity.valid) field.setCustomValidity(field.dataset.invalidMessage || chineseValidityMessage(field))
    }
    // Once the person changes the value, the browser judges it afresh.
    const onChange = (e: Event) => {
      if (isField(e.target) && e.target.validity.customError) e.target.setCustomValidity('')
    }
    document.addEventListener('invalid', onInvalid, true)
    document.addEventListener('input', onChange, true)
    document.addEventListener('change', onChange, true)
    return () => {
      document.removeEventListener('invalid', onInvalid, true)
      document.removeEventListener('input', onChange, true)
      document.removeEventListener('change', onChange, true)
    }
  }, [])
}
