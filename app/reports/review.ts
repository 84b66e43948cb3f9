// Pure helpers for correcting an extraction: spans and titles. No I/O.

/** A short title: the item's first sentence or clause, at most `max` characters. */
export function titleFromText(text: string, max = 40): string {
  const t = text.replace(/\s+/g, ' ').trim().replace(/^(?:[（(]?[一二三四五六七八九十\d]+[)）、.．]|[①-⑳]|第[一二三四五六七八九十]+[,，、]?|[一二三四五六七八九十]是)\s*/, '')
  const first = t.split(/[。；;！!？?\n]/)[0] ?? t
  const clause = first.length > max ? (first.split(/[，,：:]/)[0] ?? first) : first
  return clause.length > max ? clause.slice(0, max) + '…' : clause
}

export interface Span {
  start: number
  end: number
}

/** The span covering both, for merging two items into one verbatim passage. */
export function mergeSpans(a: Span, b: Span): Span {
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) }
}

/**
 * Splits a span at `at` (an offset into the document), trimming white space at the cut.
 * Returns null when either part would be empty.
 */
export function splitSpan(doc: string, span: Span, at: number): [Span, Span] | null {
  if (at <= span.start || at >= span.end) return null
  let leftEnd = at
  while (leftEnd > span.start && /\s/.test(doc[leftEnd - 1])) leftEnd--
  let rightStart = at
  while (rightStart < span.end && /\s/.test(doc[rightStart])) rightStart++
  if (leftEnd <= span.start || rightStart >= span.end) return null
  return [
    { start: span.start, end: leftEnd },
    { start: rightStart, end: span.end },
  ]
}

/** A selection made in the browser, clamped to the document and trimmed of white space. */
export function cleanSelection(doc: string, span: Span): Span | null {
  let start = Math.max(0, Math.min(span.start, doc.length))
  let end = Math.max(0, Math.min(span.end, doc.length))
  if (end < start) [start, end] = [end, start]
  while (start < end && /\s/.test(doc[start])) start++
  while (end > start && /\s/.test(doc[end - 1])) end--
  return end > start ? { start, end } : null
}
