// Adds a stretch of the report's text as a problem or a measure (the review's 添加为问题 / 添加为整改措施).
import { Form } from '@remix-run/react'
import type { ReactNode } from 'react'
import { SubmitButton } from '~/components/SubmitButton'

/** Buttons that add a stretch of the document (a selection, or text no item covers) as a problem or a measure. */
export function AddAsItem({ span, busy, children }: { span: { start: number; end: number }; busy: boolean; children?: ReactNode }) {
  return (
    <Form method="post" className="inline">
      <input type="hidden" name="intent" value="add" />
      <input type="hidden" name="start" value={span.start} />
      <input type="hidden" name="end" value={span.end} />
      {children}
      <SubmitButton className="btn small" name="kind" value="problem" disabled={busy}>
        添加为问题
      </SubmitButton>
      <SubmitButton className="btn small secondary" name="kind" value="plan" disabled={busy}>
        添加为整改措施
      </SubmitButton>
    </Form>
  )
}
