// Enumeration markers: (一) 一、 一是 1、 1. (1) ① 第一 首先/其次 一方面/另一方面, and broken ones
// such as ")以…" or "三)…" whose opening bracket was lost in scraping.
import { parseNum } from './lexicon'

export type MarkType = 'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'H' | 'P' | 'K'

export interface Mark {
  /** offset in the normalised text */
  pos: number
  /** offset just after the marker */
  end: number
  type: MarkType
  /** 1-based value; null when unknown (broken marker) */
  value: number | null
  lineStart: boolean
}

const N = '[一二三四五六七八九十]'
// line-start markers, tried in order
const LINE_RES: [MarkType, RegExp][] = [
  ['B', new RegExp(`^[(\\[【〔]?\\(?(${N}{1,3})[)\\]】〕]是?`)],
  ['B', new RegExp(`^[(\\[【〔](${N}{1,3})[)\\]】〕]?是?`)],
  ['C', new RegExp(`^其?(${N}{1,2})(?:是|要)(?![、,])`)],
  ['A', new RegExp(`^(${N}{1,3})[、.](?![、])`)],
  ['E', /^[(\[](\d{1,2})[)\]]/],
  ['D', /^(\d{1,2})(?:[、.)](?!\d)|\s)/],
  ['F', /^([①-⑳])/],
  ['H', new RegExp(`^第(${N}{1,2})(?=[,、:.是])[,、:.]?`)],
  ['G', /^(首先|其次|再次|再者|最后)[,:]?/],
  ['P', /^(一方面|另一方面)[,:]?/],
  ['B', /^[)\]】〕](?=[\u4e00-\u9fff“"《])/], // broken "(一)" that lost "(一"
  ['K', /^[●■◆◇□•·▪►▶√✓❖➢➤](?=[\u4e00-\u9fff“"《(])/], // bullets (no number)
]

function valueOf(type: MarkType, raw: string): number | null {
  if (type === 'F') return raw.charCodeAt(0) - 0x245f
  if (type === 'G') return { 首先: 1, 其次: 2, 再次: 3, 再者: 3, 最后: 99 }[raw] ?? null
  if (type === 'P') return raw === '一方面' ? 1 : 2
  return parseNum(raw)
}

/** The enumeration marker at the start of a line (text starts at the line start). */
const MARK_START = new Set('([【〔)]】〕一二三四五六七八九十其第首再最另0123456789①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳●■◆◇□•·▪►▶√✓❖➢➤')

export function lineMark(text: string, s: number, e: number): Mark | null {
  if (!MARK_START.has(text[s])) return null
  const head = text.slice(s, Math.min(e, s + 8))
  for (const [type, re] of LINE_RES) {
    const m = re.exec(head)
    if (!m) continue
    if (m[0].length === 0) continue
    const value = m[1] === undefined ? null : valueOf(type, m[1])
    if (m[1] !== undefined && value === null) continue
    // "一、" must be followed by text; "1 " only when followed by Han text
    if (type === 'D' && /\s$/.test(m[0])) continue
    if (s + m[0].length >= e && type !== 'A' && type !== 'B') continue
    return { pos: s, end: s + m[0].length, type, value, lineStart: true }
  }
  return null
}

// inline markers after a sentence/clause boundary: the text right after a boundary character is
// tried against sticky patterns (cheaper than a scan with look-behinds)
const N_ = '[一二三四五六七八九十]'
const AFTER_STRONG = new RegExp(
  [
    `[(](${N_}{1,3})[)]是?`, // 1 B
    `其?(${N_}{1,2})(?:是|要)(?![、,])`, // 2 C
    `(\\d{1,2})[、.](?![\\d、.])`, // 3 D (only after 。;:!?)
    `[(](\\d{1,2})[)]`, // 4 E
    `第(${N_}{1,2})(?=[,、:是])`, // 5 H
    `(首先|其次|再次|最后)(?=[,:])`, // 6 G (only after 。;:!?)
    `(一方面|另一方面)`, // 7 P
  ].join('|'),
  'y',
)
const STICKY_TYPES: MarkType[] = ['B', 'C', 'D', 'E', 'H', 'G', 'P']
const CIRCLED = /[①-⑳]/g

function isBoundary(c: number): 0 | 1 | 2 {
  // 2: sentence-level (。;:!?), 1: comma, 0: none
  if (c === 0x3002 || c === 0x3b || c === 0x3a || c === 0x21 || c === 0x3f) return 2
  if (c === 0x2c) return 1
  return 0
}

/** All markers in [s, e): line-start ones (given the line list) and inline ones. */
export function findMarks(text: string, s: number, e: number, lineStarts: number[], lineEnds: number[]): Mark[] {
  const out: Mark[] = []
  const seen = new Set<number>()
  // first line starting at or after s (binary search)
  let lo = 0,
    hi = lineStarts.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (lineStarts[mid] < s) lo = mid + 1
    else hi = mid
  }
  for (let i = lo; i < lineStarts.length; i++) {
    const ls = lineStarts[i]
    if (ls >= e) break
    const m = lineMark(text, ls, lineEnds[i])
    if (m) {
      out.push(m)
      seen.add(m.pos)
    }
  }
  for (let i = Math.max(s, 1); i < e; i++) {
    const b = isBoundary(text.charCodeAt(i - 1))
    if (b === 0) continue
    const c = text[i]
    if (!MARK_START.has(c) && c !== '另') continue
    if (seen.has(i)) continue
    AFTER_STRONG.lastIndex = i
    const m = AFTER_STRONG.exec(text)
    if (!m || m.index + m[0].length > e) continue
    let g = 1
    while (g <= 7 && m[g] === undefined) g++
    if (g > 7) continue
    const type = STICKY_TYPES[g - 1]
    if ((type === 'D' || type === 'G') && b !== 2) continue
    const value = valueOf(type, m[g])
    if (value === null) continue
    out.push({ pos: i, end: i + m[0].length, type, value, lineStart: false })
    seen.add(i)
  }
  // circled numbers count after a boundary or at a line start
  const seg = text.slice(s, e)
  if (/[①-⑳]/.test(seg)) {
    CIRCLED.lastIndex = 0
    let m: RegExpExecArray | null
    while ((m = CIRCLED.exec(seg))) {
      const pos = s + m.index
      if (seen.has(pos)) continue
      if (pos > s && !/[。;:!?,\n]/.test(text[pos - 1])) continue
      out.push({ pos, end: pos + 1, type: 'F', value: valueOf('F', m[0]), lineStart: false })
    }
  }
  out.sort((a, b) => a.pos - b.pos)
  return out
}

export interface Chain {
  type: MarkType
  marks: Mark[]
}

/** Sequences of same-type markers counting 1, 2, 3 … (repeats, one gap and broken markers allowed). */
export function buildChains(marks: Mark[]): Chain[] {
  const byType = new Map<MarkType, Mark[]>()
  for (const m of marks) {
    if (!byType.has(m.type)) byType.set(m.type, [])
    byType.get(m.type)!.push(m)
  }
  const chains: Chain[] = []
  for (const [type, ms] of byType) {
    let cur: Mark[] | null = null
    let last = 0
    for (const m of ms) {
      const v = m.value
      if (cur === null) {
        if (v === null || v <= 2) {
          cur = [m]
          last = v ?? 1
        }
        continue
      }
      if (v === 1 && last >= 1 && cur.length >= 1 && !(last === 1 && type === 'P')) {
        chains.push({ type, marks: cur })
        cur = [m]
        last = 1
        continue
      }
      if (v === null || (v >= last && v <= last + 3) || (type === 'G' && v === 99)) {
        cur.push(m)
        if (v !== null) last = v
        else last = last + 1
      }
    }
    if (cur) chains.push({ type, marks: cur })
  }
  chains.sort((a, b) => a.marks[0].pos - b.marks[0].pos)
  return chains
}
