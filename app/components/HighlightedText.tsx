import type { ReactNode } from 'react'

export interface Highlight {
  id: string
  /** problem and plan: extracted items; evidence: a passage that a follow-up suggestion points at; uncovered: section text no item covers. */
  kind: 'problem' | 'plan' | 'evidence' | 'uncovered'
  start: number
  end: number
}

/** The document text with each item marked at its offsets; overlapping spans are clipped, never dropped. */
export function HighlightedText({
  text,
  highlights,
  focusId,
  onSelect,
}: {
  text: string
  highlights: Highlight[]
  focusId?: string | null
  onSelect?: (id: string) => void
}) {
  const sorted = [...highlights].filter(h => h.end > h.start).sort((a, b) => a.start - b.start)
  const parts: ReactNode[] = []
  let pos = 0
  for (const h of sorted) {
    const start = Math.max(h.start, pos)
    const end = Math.min(h.end, text.length)
    if (start >= end) continue
    if (start > pos) parts.push(text.slice(pos, start))
    parts.push(
      <mark key={h.id} id={`mark-${h.id}`} className={`${h.kind}${focusId === h.id ? ' focus' : ''}`} onClick={() => onSelect?.(h.id)}>
        {text.slice(start, end)}
      </mark>,
    )
    pos = end
  }
  if (pos < text.length) parts.push(text.slice(pos))
  return (
    <div className="doc" data-doc>
      {parts}
    </div>
  )
}

/**
 * The current browser selection as offsets into the document text. The rendered text is the
 * document text exactly (marks only wrap it), so counting characters before the range is exact.
 */
export function selectionOffsets(container: HTMLElement | null): { start: number; end: number } | null {
  const sel = typeof window !== 'undefined' ? window.getSelection() : null
  if (!container || !sel || sel.rangeCount === 0) return null
  const range = sel.getRangeAt(0)
  if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) return null
  const before = document.createRange()
  before.selectNodeContents(container)
  before.setEnd(range.startContainer, range.startOffset)
  const start = before.toString().length
  return { start, end: start + range.toString().length }
}
