import type { ReactNode } from 'react'
import type { Marked } from '~/search/query'

/**
 * A short text with its matches marked (search results): the text is rendered as text, and the
 * marks come from offsets, so nothing a person typed or uploaded is ever interpreted as HTML.
 */
export function MarkedText({ value }: { value: Marked }) {
  const { text } = value
  const parts: ReactNode[] = []
  let pos = 0
  for (const h of value.highlights) {
    const start = Math.max(h.start, pos)
    const end = Math.min(h.end, text.length)
    if (start >= end) continue
    if (start > pos) parts.push(text.slice(pos, start))
    parts.push(<mark key={start}>{text.slice(start, end)}</mark>)
    pos = end
  }
  if (pos < text.length) parts.push(text.slice(pos))
  return (
    <>
      {value.cutStart ? '…' : null}
      {parts}
      {value.cutEnd ? '…' : null}
    </>
  )
}
