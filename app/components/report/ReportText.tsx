// The report's text with its items, evidence passages and uncovered stretches marked; while it is
// reviewed, a selection can be added as an item and a cursor inside the focused item splits it.
import { Form } from '@remix-run/react'
import { useRef, useState } from 'react'
import { HighlightedText, selectionOffsets } from '~/components/HighlightedText'
import { SubmitButton } from '~/components/SubmitButton'
import { zh } from '~/ui/zh'
import { AddAsItem } from './AddAsItem'
import type { ReportItem, ReportPageData } from './types'

export function ReportText({
  text,
  items,
  passages,
  uncovered,
  reviewing,
  focus,
  focused,
  busy,
  onSelect,
}: {
  text: string
  items: ReportItem[]
  passages: ReportPageData['followups']
  uncovered: { start: number; end: number }[]
  reviewing: boolean
  focus: string | null
  focused: ReportItem | undefined
  busy: boolean
  onSelect: (id: string) => void
}) {
  const [selection, setSelection] = useState<{ start: number; end: number } | null>(null)
  const docRef = useRef<HTMLElement>(null)
  return (
    <section
      className="panel"
      aria-label={zh.reports.text}
      ref={docRef}
      onMouseUp={() => reviewing && setSelection(selectionOffsets(docRef.current?.querySelector('[data-doc]') as HTMLElement))}
    >
      <h2>{zh.reports.text}</h2>
      {reviewing ? (
        <div className="selection-bar small">
          {selection && selection.end > selection.start ? (
            <AddAsItem span={selection} busy={busy}>
              <span>已选中 {selection.end - selection.start} 字：</span>
            </AddAsItem>
          ) : (
            <span className="muted">在原文中选中一段文字，可把它添加为问题或整改措施；选中某条后，在其文字中点击一处可在该处拆分。</span>
          )}
          {focused &&
          selection &&
          selection.start === selection.end &&
          selection.start > focused.start_offset &&
          selection.start < focused.end_offset ? (
            <Form method="post" className="inline">
              <input type="hidden" name="intent" value="split" />
              <input type="hidden" name="itemId" value={focused.id} />
              <input type="hidden" name="at" value={selection.start} />
              <SubmitButton className="btn small secondary" disabled={busy}>
                在光标处拆分“{focused.title.slice(0, 12)}”
              </SubmitButton>
            </Form>
          ) : null}
        </div>
      ) : null}
      <HighlightedText
        text={text}
        highlights={[
          ...items.map(i => ({ id: i.id, kind: i.kind, start: i.start_offset, end: i.end_offset })),
          ...passages.map(p => ({ id: p.id, kind: 'evidence' as const, start: p.start_offset!, end: p.end_offset! })),
          ...uncovered.map(u => ({ id: `uncovered-${u.start}`, kind: 'uncovered' as const, start: u.start, end: u.end })),
        ]}
        focusId={focus}
        onSelect={onSelect}
      />
    </section>
  )
}
