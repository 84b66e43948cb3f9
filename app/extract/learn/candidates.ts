// Candidates for the learned step of the extractor, with their features. A candidate is either an
// item the structural rules found (items.ts) or a sentence of the document that no such item covers
// (prose the rules did not reach: a problem admitted in a summary paragraph, an unmarked plan).
// The features describe what a reader uses: the words at the start and inside, the section and
// heading it sits under, its enumeration marker, where it is in the document, and what the rules
// made of it. Pure: normalised text in, candidates out.
import type { LineInfo, Region } from '../structure'
import { lineMark } from '../markers'
import {
  ACTION_VERB,
  ADVERB,
  CONTEXT_CLAUSE,
  LEAD_FILLER,
  PURPOSE_CLAUSE,
  PLAN_CUE_CLAUSE,
  PLAN_CUE_SENTENCE,
  PROBLEM_CUE,
} from '../lexicon'
import type { RawItem } from '../items'

export interface Candidate {
  s: number
  e: number
  /** The kind the rules gave it, or null for a sentence no rule item covers. */
  rule: 'problem' | 'plan' | null
  rawIndex: number
  line: number
  features: string[]
  /** An uncovered part of a sentence that holds rule items (a clause before, between or after them). */
  clause?: boolean
}

/**
 * The parts of the sentence [a, b) that no rule item covers, cut at clause ends (, ;): a shortcoming
 * or measure in the same sentence as an item the rules found ("人员变更频繁,部分人员…不够精准").
 */
export function uncoveredClauses(text: string, a: number, b: number, raw: Array<{ s: number; e: number }>): Array<[number, number]> {
  const out: Array<[number, number]> = []
  const inside = raw.filter(it => it.s < b && a < it.e).sort((x, y) => x.s - y.s)
  let from = a
  const gaps: Array<[number, number]> = []
  for (const it of inside) {
    if (it.s > from) gaps.push([from, it.s])
    from = Math.max(from, it.e)
  }
  if (from < b) gaps.push([from, b])
  for (let [x, y] of gaps) {
    while (x < y && /[\s,;:、。]/.test(text[x])) x++
    if (/[\u4e00-\u9fff]{4}/.test(text.slice(x, y))) out.push([x, y])
  }
  return out
}

const SENTENCE_END = new Set(['。', '!', '?', ';'])
const OPEN = new Set([...'“《(「‘【〔'])
const CLOSE = new Set([...'”》)」’】〕'])
const MIN_UNIT = 5
const MAX_UNIT = 400

/** Sentences of a line span, split at 。!?; outside brackets and before inline enumeration markers. */
export function sentences(text: string, s: number, e: number): Array<[number, number]> {
  const out: Array<[number, number]> = []
  let start = s
  let depth = 0
  for (let i = s; i < e; i++) {
    const ch = text[i]
    if (OPEN.has(ch)) depth++
    else if (CLOSE.has(ch)) depth = Math.max(0, depth - 1)
    else if (depth === 0 && SENTENCE_END.has(ch)) {
      out.push([start, i + 1])
      start = i + 1
      continue
    }
    // an inline marker such as "2、" or "(三)" after a sentence break starts a new unit
    if (i > start && depth === 0 && (text[i - 1] === ',' || text[i - 1] === ':') && /[0-9一二三四五六七八九十(①-⑳]/.test(ch)) {
      const m = lineMark(text, i, Math.min(e, i + 8))
      if (m && m.type !== 'K' && m.type !== 'G' && m.type !== 'P') {
        out.push([start, i])
        start = i
      }
    }
  }
  if (start < e) out.push([start, e])
  return out.filter(([a, b]) => b - a >= MIN_UNIT)
}

const bigrams = (t: string, max: number, prefix: string, out: string[]) => {
  const u = t.replace(/[\d]+/g, '0').slice(0, max)
  for (let i = 0; i + 1 < u.length; i++) out.push(prefix + u.slice(i, i + 2))
}

/** Strips an enumeration marker and lead-in words ("一是", "同时,", "进一步") to reach the content's first words. */
function contentStart(text: string): string {
  let t = text
  const m = lineMark(t, 0, t.length)
  if (m) t = t.slice(m.end)
  t = t.replace(/^[,:、.\s]+/, '')
  for (let k = 0; k < 3; k++) {
    const f = LEAD_FILLER.exec(t) ?? ADVERB.exec(t)
    if (!f || f[0].length === 0) break
    t = t.slice(f[0].length).replace(/^[,、]/, '')
  }
  return t
}

export interface CandidateInput {
  text: string
  lines: LineInfo[]
  regions: Region[]
  raw: RawItem[]
}

/** Every candidate of a document, in text order. */
export function buildCandidates({ text, lines, regions, raw }: CandidateInput): Candidate[] {
  const n = lines.length
  const lineStarts = lines.map(l => l.s)
  const lineOf = (pos: number) => {
    let lo = 0,
      hi = n - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (lineStarts[mid] <= pos) lo = mid
      else hi = mid - 1
    }
    return lo
  }
  // The section each line is in (rules' regions) and the last heading above it.
  const regionOf: Array<Region['kind'] | null> = new Array(n).fill(null)
  for (const r of regions) for (let i = r.from; i < r.to && i < n; i++) regionOf[i] ??= r.kind
  const headOf: number[] = new Array(n).fill(-1)
  let last = -1
  for (let i = 0; i < n; i++) {
    headOf[i] = last
    const l = lines[i]
    if (l.headingLike || (l.mark && (l.mark.type === 'A' || l.mark.type === 'B') && l.text.length <= 40)) last = i
  }
  // The part of the document after the last problems/plans heading is where the work plan lives.
  const totalLen = text.length || 1

  const cands: Candidate[] = []
  raw.forEach((it, i) => cands.push({ s: it.s, e: it.e, rule: it.kind, rawIndex: i, line: lineOf(it.s), features: [] }))
  const covered = (a: number, b: number) => raw.some(it => it.s < b && a < it.e)
  for (let li = 0; li < n; li++) {
    const l = lines[li]
    if (l.terminator) continue
    const from = l.headingLike ? l.afterHead : l.s
    if (from >= l.e) continue
    for (const [a, b] of sentences(text, from, l.e)) {
      if (b - a > MAX_UNIT) continue
      if (covered(a, b)) {
        for (const [x, y] of uncoveredClauses(text, a, b, raw))
          cands.push({ s: x, e: y, rule: null, rawIndex: -1, line: li, features: [], clause: true })
        continue
      }
      if (!/[\u4e00-\u9fff]{4}/.test(text.slice(a, b))) continue
      cands.push({ s: a, e: b, rule: null, rawIndex: -1, line: li, features: [] })
    }
  }
  cands.sort((x, y) => x.s - y.s)

  for (let ci = 0; ci < cands.length; ci++) {
    const c = cands[ci]
    const f: string[] = ['bias']
    const t = text.slice(c.s, c.e)
    const src = c.rule ?? (c.clause ? 'clause' : 'sent')
    f.push(`src:${src}`)
    const reg = regionOf[c.line] ?? 'none'
    f.push(`reg:${reg}`, `srcreg:${src}|${reg}`)
    const h = headOf[c.line]
    const hl = h >= 0 ? lines[h] : null
    const hk = hl ? (hl.kind ?? 'plain') : 'nohead'
    f.push(`hd:${hk}`, `srchd:${src}|${hk}`)
    if (hl) bigrams((hl.head || hl.text).slice(0, 24), 24, 'hb:', f)
    f.push(`pos:${Math.min(9, Math.floor((c.s / totalLen) * 10))}`)
    const mark = lineMark(t, 0, t.length)
    f.push(`mk:${mark ? mark.type : '-'}`, `mkline:${c.s === lines[c.line].s || c.s === lines[c.line].afterHead ? 1 : 0}`)
    const len = c.e - c.s
    f.push(`len:${len < 10 ? 0 : len < 20 ? 1 : len < 40 ? 2 : len < 80 ? 3 : len < 160 ? 4 : 5}`)
    const cs = contentStart(t)
    for (let k = 1; k <= 3; k++) if (cs.length >= k) f.push(`f${k}:${cs.slice(0, k)}`)
    bigrams(cs, 60, 'b:', f)
    if (PROBLEM_CUE.test(t)) f.push('cue:p')
    if (PLAN_CUE_SENTENCE.test(t)) f.push('cue:qs')
    if (PLAN_CUE_CLAUSE.test(cs) || PLAN_CUE_CLAUSE.test(t)) f.push('cue:qc')
    if (ACTION_VERB.test(cs)) f.push('cue:act')
    if (/^(?:存在|还存在|仍存在|但|但是|然而|不过)/.test(cs)) f.push('cue:but')
    if (c.clause) {
      // where the clause is against the rule items of its sentence, and what kind of clause it is
      const before = raw.some(it => it.s >= c.e && it.s - c.e <= 2)
      const after = raw.some(it => it.e <= c.s && c.s - it.e <= 2)
      const side = before && after ? 'mid' : before ? 'before' : 'after'
      f.push(`cl:${side}`)
      const nb = raw.find(it => (before ? it.s >= c.e && it.s - c.e <= 2 : it.e <= c.s && c.s - it.e <= 2))
      if (nb) f.push(`cl:${side}|${nb.kind}`)
      const bare = t.replace(/[,;:。!?\s]+$/, '')
      if (PURPOSE_CLAUSE.test(bare) || PURPOSE_CLAUSE.test(contentStart(bare))) f.push('cue:purpose')
      if (CONTEXT_CLAUSE.test(t)) f.push('cue:context')
    }
    // the neighbours: what the rules made of them and the words they start with
    const prev = cands[ci - 1]
    const next = cands[ci + 1]
    f.push(`prev:${prev ? (prev.rule ?? 'sent') : '-'}`, `next:${next ? (next.rule ?? 'sent') : '-'}`)
    if (prev) {
      const pt = text.slice(prev.s, prev.e)
      if (PROBLEM_CUE.test(pt)) f.push('prevcue:p')
      if (/(?:以下|如下|几个方面|几点)[^。]{0,6}[:。]?$/.test(pt)) f.push('prev:intro')
      if (/(?:问题|不足|差距)[^。]{0,8}[:。]$/.test(pt)) f.push('prev:introp')
    }
    c.features = f
  }
  return cands
}
