// A passage of the later report shown where it stands: a window of the text around it, cut at
// sentence ends where possible, so a supervisor can judge the evidence without opening the report.

export interface PassageInContext {
  before: string
  passage: string
  after: string
  /** The window starts or ends inside the text (an ellipsis belongs there). */
  clippedStart: boolean
  clippedEnd: boolean
}

const SENTENCE_END = /[。！？；!?;\n]/

/** The text around [start, end): up to `radius` characters each side, trimmed to whole sentences when one ends inside the window. */
export function passageInContext(text: string, start: number, end: number, radius = 120): PassageInContext {
  const s = Math.max(0, Math.min(start, text.length))
  const e = Math.max(s, Math.min(end, text.length))
  let from = Math.max(0, s - radius)
  let to = Math.min(text.length, e + radius)
  if (from > 0) {
    // begin just after the first sentence end in the leading window, if there is one
    const lead = text.slice(from, s)
    const i = lead.search(SENTENCE_END)
    if (i >= 0 && i < lead.length - 1) from += i + 1
  }
  if (to < text.length) {
    // stop at the last sentence end in the trailing window, if there is one
    const tail = text.slice(e, to)
    let last = -1
    for (let i = tail.length - 1; i >= 0; i--) {
      if (SENTENCE_END.test(tail[i])) {
        last = i
        break
      }
    }
    if (last >= 0) to = e + last + 1
  }
  const tidy = (t: string) => t.replace(/[ \t\u3000]*\n[\s\u3000]*/g, '\n')
  return {
    before: tidy(text.slice(from, s)).replace(/^\s+/, ''),
    passage: text.slice(s, e),
    after: tidy(text.slice(e, to)).replace(/\s+$/, ''),
    clippedStart: from > 0 && !SENTENCE_END.test(text[from - 1] ?? ''),
    clippedEnd: to < text.length && !SENTENCE_END.test(text[to - 1] ?? ''),
  }
}
