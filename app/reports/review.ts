// Pure helpers for correcting an extraction: spans and titles. No I/O.

/** A short title: the item's first sentence or clause, at most `max` characters. */
export function titleFromText(text: string, max = 40): string {
  const t = text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^(?:[（(]?[一二三四五六七八九十\d]+[)）、.．]|[①-⑳]|第[一二三四五六七八九十]+[,，、]?|[一二三四五六七八九十]是)\s*/, '')
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

export interface SectionSpan extends Span {
  kind: 'problem' | 'plan' | 'both'
}

/** Text shorter than this many Chinese characters is not worth a reviewer's look (markers, "等", punctuation). */
const MIN_UNCOVERED_HAN = 6

/**
 * The stretches of the problems and plans sections that no item covers ("未提取的文字"): what the
 * extractor read as part of a section but did not turn into an item, for the reviewer to check.
 * Sections and items are offsets into `doc`; stretches are trimmed of white space and punctuation.
 */
export function uncoveredStretches(doc: string, sections: SectionSpan[], items: Span[]): SectionSpan[] {
  const sortedItems = [...items].sort((a, b) => a.start - b.start)
  const out: SectionSpan[] = []
  const push = (kind: SectionSpan['kind'], start: number, end: number) => {
    while (start < end && /[\s,，。;；:：、.!！?？)）\]】]/.test(doc[start])) start++
    while (end > start && /[\s,，;；:：、(（[【]/.test(doc[end - 1])) end--
    const han = doc.slice(start, end).match(/[\u3400-\u9fff]/g)?.length ?? 0
    if (han >= MIN_UNCOVERED_HAN) out.push({ kind, start, end })
  }
  for (const sec of [...sections].sort((a, b) => a.start - b.start)) {
    let pos = Math.max(sec.start, out.length ? out[out.length - 1].end : 0)
    for (const it of sortedItems) {
      if (it.end <= pos || it.start >= sec.end) continue
      if (it.start > pos) push(sec.kind, pos, Math.min(it.start, sec.end))
      pos = Math.max(pos, it.end)
    }
    if (pos < sec.end) push(sec.kind, pos, sec.end)
  }
  return out
}

/** Below this an extracted item is shown as doubtful (the extractor's confidence, 0–1). */
export const LOW_CONFIDENCE = 0.9

export function isDoubtful(confidence: number | null | undefined): boolean {
  return confidence !== null && confidence !== undefined && confidence < LOW_CONFIDENCE
}

/** The sections stored with a report (JSON), or none when missing or malformed. */
export function parseSections(json: string | null | undefined): SectionSpan[] {
  try {
    const v = JSON.parse(json ?? '[]')
    return Array.isArray(v)
      ? v.filter(
          s => s && Number.isInteger(s.start) && Number.isInteger(s.end) && s.end > s.start && ['problem', 'plan', 'both'].includes(s.kind),
        )
      : []
  } catch {
    return []
  }
}

/** The earliest year a disclosure report covers: the first reports were for 2008, older ones are misreadings. */
export const FIRST_REPORT_YEAR = 2000

/**
 * The Chinese refusal of a year a reviewer sets for a report, or null: a whole 4-digit year from
 * FIRST_REPORT_YEAR to the current one (a report covers a year that has begun).
 */
export function yearProblem(year: number, now: Date): string | null {
  const current = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(now))
  if (!Number.isInteger(year) || year < FIRST_REPORT_YEAR || year > current)
    return `年度应为 ${FIRST_REPORT_YEAR}–${current} 之间的四位年份。`
  return null
}
