// Lines, headings and the sections where problems and commitments live.
import type { Normalized } from './normalize'
import { lineMark, type Mark } from './markers'
import { AGENCY_SUFFIX, CHROME_ANY, CHROME_LINE, DATE_LINE, OTHER_HEAD, PLAN_HEAD, PREV_YEAR_HEAD, PROBLEM_HEAD } from './lexicon'

export type HeadKind = 'problem' | 'plan' | 'both' | 'prev' | 'other' | null

export interface LineInfo {
  s: number
  e: number
  gap: boolean
  mark: Mark | null
  /** heading text (after the marker, up to the first 。 or :) */
  head: string
  /** offset where the content after a heading label starts (== e when the heading is the whole line) */
  afterHead: number
  /** the line (or its first sentence) reads like a heading */
  headingLike: boolean
  kind: HeadKind
  terminator: boolean
  text: string
}

export type Level = 1 | 2 | 3

export function levelOf(l: LineInfo): Level | null {
  if (!l.mark) return l.headingLike ? 1 : null
  switch (l.mark.type) {
    case 'A':
      return 1
    case 'B':
      return 2
    case 'D':
    case 'E':
    case 'H':
      return 3
    default:
      return null
  }
}

/** "落实上级年度政务公开工作要点情况": an account of carrying out a plan, not a plan. */
const CARRIED_OUT_HEAD = /(?:落实|执行|完成|贯彻)[^。;:]{0,24}情况[)）]?$/

function classify(head: string): HeadKind {
  const p = PROBLEM_HEAD.test(head)
  const q = PLAN_HEAD.test(head) && !(CARRIED_OUT_HEAD.test(head) && !p)
  if ((p || q) && PREV_YEAR_HEAD.test(head)) return 'prev'
  if (p && q) return 'both'
  if (p) return 'problem'
  if (q) return 'plan'
  if (OTHER_HEAD.test(head)) return 'other'
  return null
}

const HEAD_END = /[。:!?;]/
/** A list's introduction that names what follows: measures (what the office will do next) or problems. */
const PLAN_INTRO =
  /^(?:下一步|下步|今后|接下来|明年|新的一年|针对(?:上述|以上|存在的|这些)?(?:问题|不足)).{0,24}(?:以下|如下|几个方面|几点|措施|重点)[^,]{0,8}$/
const PROBLEM_INTRO =
  /(?:存在|还有|仍有)(?:着)?(?:以下|如下|一些|不少|一定的?)?(?:方面的?)?(?:问题|不足|差距|短板)(?:和不足|和问题)?(?:,?主要(?:表现|体现)在)?[^,]{0,10}$/
function introKind(head: string): HeadKind {
  if (PLAN_INTRO.test(head)) return 'plan'
  if (PROBLEM_INTRO.test(head)) return 'problem'
  return null
}
const GLUED_HEAD =
  /^[^,。;:!?\d]{0,14}?(?:存在的?(?:主要)?(?:问题|不足)(?:(?:和|及|与|、)(?:改进|整改)(?:情况|措施))?|主要问题(?:(?:和|及|与|、)(?:改进|整改)(?:情况|措施))?|(?:今后|下一步|下步)?(?:的)?(?:改进|整改)(?:措施|情况|方向|计划)|(?:下一步|下步|今后)(?:的)?工作(?:打算|计划|安排|思路|重点)?|工作(?:计划|打算|安排|思路))/

export function analyseLines(nz: Normalized): LineInfo[] {
  const t = nz.text
  const out: LineInfo[] = []
  const n = nz.lines.length
  for (let i = 0; i < n; i++) {
    const { s, e, gap } = nz.lines[i]
    const text = t.slice(s, e)
    const mark = lineMark(t, s, e)
    const cs = mark ? mark.end : s
    const content = t.slice(cs, e)
    const m = HEAD_END.exec(content)
    const headLen = m ? m.index : content.length
    let head = content.slice(0, headLen)
    const rest = m ? content.slice(m.index + 1) : ''
    let headingLike = false
    let afterHead = e
    let kind: HeadKind = null
    const commas = (head.match(/,/g) || []).length
    if (head.length > 0 && head.length <= 40 && commas <= 2) {
      kind = classify(head)
      // "2、加强业务培训,进一步改进工作方式。": a numbered sentence of clauses is an item whose words
      // happen to sound like a heading; a heading names its section in its first clause
      if (
        kind !== null &&
        mark &&
        rest.length === 0 &&
        m?.[0] === '。' &&
        commas > 0 &&
        classify(head.slice(0, head.indexOf(','))) === null
      )
        kind = null
      if (rest.length === 0) {
        // whole line is the heading (maybe ending with 。 or :)
        // an unnumbered line that is a sentence ("依申请公开答复的规范性还需提高。") is no heading,
        // whatever words it uses; an unnumbered heading is a name, not a statement
        headingLike = mark
          ? true
          : head.length <= 30 && kind !== null && !(m?.[0] === '。' && (head.length > 12 || commas > 0 || kind === 'other'))
      } else if (kind !== null && kind !== 'other' && head.length <= (mark ? 20 : 10) && (m![0] === '。' || m![0] === ':')) {
        headingLike = true
        afterHead = cs + m!.index + 1
        const g = mark ? GLUED_HEAD.exec(head) : null
        if (g && g[0].length < head.length && classify(g[0]) === kind) {
          head = g[0]
          afterHead = cs + g[0].length
        }
      }
      if (!headingLike) kind = null
      else if (!mark && kind === null) headingLike = false
    }
    if (!headingLike && !mark && m?.[0] === ':' && head.length <= 40) {
      // a sentence that introduces a list: "下一步，我单位将重点做好以下工作：", "但仍存在一些问题："
      const k = introKind(head)
      if (k) {
        headingLike = true
        kind = k
        afterHead = rest.length ? cs + m.index + 1 : e
      }
    }
    if (!headingLike && mark && (mark.type === 'A' || mark.type === 'B')) {
      // a heading glued to its first sentence: "五、存在的主要问题2018年,我局…"
      const g = GLUED_HEAD.exec(content.slice(0, 40))
      if (g && g[0].length < content.length) {
        const k = classify(g[0])
        if (k === 'problem' || k === 'plan' || k === 'both') {
          headingLike = true
          kind = k
          head = g[0]
          afterHead = cs + g[0].length
        }
      }
    }
    if (!headingLike) head = ''
    // terminators: page chrome, dates, signatures
    let terminator = false
    if (text.length <= 30 && CHROME_LINE.test(text)) terminator = true
    else if (text.length <= 80 && CHROME_ANY.test(text)) terminator = true
    else if (DATE_LINE.test(text)) terminator = true
    out.push({ s, e, gap, mark, head, afterHead, headingLike, kind, terminator, text })
  }
  // signatures: a short agency-like line followed by a date line (or at the very end)
  for (let i = 0; i < n; i++) {
    const l = out[i]
    if (l.terminator || l.mark || l.text.length > 30 || /[,。;:!?]/.test(l.text)) continue
    if (!AGENCY_SUFFIX.test(l.text)) continue
    const next = out[i + 1]
    if ((next && DATE_LINE.test(next.text)) || (!next && i > 3)) l.terminator = true
  }
  return out
}

export interface Region {
  /** first content line index */
  from: number
  /** line index after the last content line */
  to: number
  kind: 'problem' | 'plan' | 'both'
  level: Level
  headLine: number
}

/** Sections announced by a problems/plans heading, and where they end. */
export function findRegions(lines: LineInfo[]): Region[] {
  const regions: Region[] = []
  const n = lines.length
  let i = 0
  while (i < n) {
    const l = lines[i]
    const lv = levelOf(l)
    if (!l.headingLike || !lv || !(l.kind === 'problem' || l.kind === 'plan' || l.kind === 'both')) {
      i++
      continue
    }
    // a sub-heading about how earlier problems were rectified, inside another section: not new work
    if (lv > 1 && /(?:整改|落实)(?:落实)?情况/.test(l.head)) {
      i++
      continue
    }
    const v = l.mark?.value ?? 0
    let j = i + 1
    let inner = 0
    for (; j < n; j++) {
      const m = lines[j]
      if (m.terminator) break
      const mlv = levelOf(m)
      if (lv === 1) {
        if (m.mark && m.mark.type === 'A') {
          const w = m.mark.value ?? 0
          if (l.mark && l.mark.type === 'A') {
            if (w === inner + 1 && (inner > 0 || w === 1) && !(m.headingLike && m.kind && w > v)) {
              inner = w
              continue
            }
            if (w > v || (m.headingLike && m.kind)) break
            continue
          }
          // unnumbered heading: any numbered section heading ends it
          if (m.headingLike && (m.kind || w !== inner + 1)) break
          inner = w
          continue
        }
        const inlineLabel = m.afterHead < m.e
        if (!m.mark && m.headingLike && !inlineLabel && m.kind && m.kind !== l.kind) break
        if (!m.mark && m.headingLike && !inlineLabel && m.kind === 'other') break
      } else {
        // level 2/3 section: ends at a heading of the same or a higher level
        if (mlv !== null && mlv <= lv && m.headingLike) {
          if (mlv < lv) break
          if (m.mark && l.mark && m.mark.type === l.mark.type) break
          if (!m.mark) break
        }
        if (m.mark && m.mark.type === 'A') break
      }
    }
    regions.push({ from: i + (l.afterHead < l.e ? 0 : 1), to: j, kind: l.kind as Region['kind'], level: lv, headLine: i })
    // nested sub-headings are handled as labels inside the region
    i = Math.max(j, i + 1)
  }
  return regions
}
