// Items: one per distinct problem or commitment inside the problems/plans sections.
import type { LineInfo, Region } from './structure'
import { levelOf } from './structure'
import { buildChains, findMarks, lineMark, type Chain } from './markers'
import {
  ACTION_VERB,
  ADVERB,
  CONTEXT_CLAUSE,
  LEAD_FILLER,
  PLAN_CUE_CLAUSE,
  PLAN_CUE_SENTENCE,
  PLAN_GENERIC_TOKENS,
  PLAN_HEAD,
  PROBLEM_CUE,
  PROBLEM_GENERIC_TOKENS,
  PROBLEM_HEAD,
  PURPOSE_CLAUSE,
} from './lexicon'

export type Kind = 'problem' | 'plan'

export interface RawItem {
  kind: Kind
  s: number
  e: number
  /** title span (normalised offsets) */
  ts: number
  te: number
  /** items of one enumeration share a group id; position inside it */
  group: number
  idx: number
}

export interface Ctx {
  text: string
  lines: LineInfo[]
  lineStarts: number[]
  lineEnds: number[]
  group: number
}

// ---------------------------------------------------------------------------------------------
// helpers

function lineIndexAt(ctx: Ctx, pos: number): number {
  let lo = 0,
    hi = ctx.lineStarts.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (ctx.lineStarts[mid] <= pos) lo = mid
    else hi = mid - 1
  }
  return lo
}

const OPEN = '“《(「‘【〔'
const CLOSE = '”》)」’】〕'

interface Clause {
  s: number
  e: number
  /** delimiter that ends it: ',' ';' '。' ':' or '\n' (line end) or '' (end of span) */
  d: string
  /** first clause of a sentence (after 。 ! ? or a line start) */
  first: boolean
  /** first clause after a ';' or a sentence start */
  afterStrong: boolean
}

const OPEN_CODES = new Set([...OPEN].map(c => c.charCodeAt(0)))
const CLOSE_CODES = new Set([...CLOSE].map(c => c.charCodeAt(0)))

function clauses(text: string, s: number, e: number): Clause[] {
  const out: Clause[] = []
  let depth = 0
  let cs = s
  let first = true
  let afterStrong = true
  for (let i = s; i < e; i++) {
    const code = text.charCodeAt(i)
    let d = ''
    if (code === 0x0a) d = '\n'
    else if (code === 0x2c || code === 0x3b || code === 0x3002 || code === 0x3a || code === 0x21 || code === 0x3f) {
      if (depth === 0) d = code === 0x21 || code === 0x3f ? '。' : text[i]
    } else if (code > 0x7f || code === 0x28 || code === 0x29) {
      if (OPEN_CODES.has(code)) depth++
      else if (CLOSE_CODES.has(code)) depth = depth > 0 ? depth - 1 : 0
      continue
    } else continue
    if (!d) continue
    const c = text[i]
    if (c === '\n') depth = 0
    const ce = c === '\n' ? i : i + 1
    if (ce > cs) out.push({ s: cs, e: ce, d, first, afterStrong })
    cs = i + 1
    if (d === '。' || d === '\n') {
      first = true
      afterStrong = true
    } else if (d === ';' || d === ':') {
      first = d === ':' ? first && false : false
      afterStrong = true
    } else {
      first = false
      afterStrong = false
    }
  }
  if (e > cs) out.push({ s: cs, e, d: '', first, afterStrong })
  return out
}

function bodyOf(text: string, c: Clause): string {
  let b = text.slice(c.s, c.e)
  if (c.d && c.d !== '\n') b = b.slice(0, -1)
  return b
}

function hanCount(s: string): number {
  let n = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0x4e00 && c <= 0x9fff) n++
  }
  return n
}

// ---------------------------------------------------------------------------------------------
// classification of clauses

const MARK_PREFIX =
  /^(?:[●■◆◇□•·▪►▶√✓❖➢➤]|[(][一二三四五六七八九十\d]{1,3}[)]是?|[一二三四五六七八九十]{1,3}[)]|[)](?=[\u4e00-\u9fff“《])|[一二三四五六七八九十]{1,3}[、.)]|\d{1,2}[、.)]|[①-⑳]|其?[一二三四五六七八九十]{1,2}[是要]|第[一二三四五六七八九十]{1,2}[,、:]?|首先|其次|再次|最后|另一方面|一方面)[,:]?/
const STRIP_WORD =
  /^(?:下一步|下步|今后|接下来|同时|此外|另外|对此|为此|总之|因此|所以|具体来说|具体而言|具体|今年|明年|新的一年|在新的一年里?)[,]?/
const SUBJECT_MODAL =
  /^(?:我们|我[\u4e00-\u9fff]{1,3}?|本[\u4e00-\u9fff]{1,3}?|[\u4e00-\u9fff()]{2,18}?(?:局|委|办|中心|所|院|镇|乡|街道|政府|委员会|管委会|办公室|单位|部门|机关|学校|公司))?(?:将会|还将|也将|将|要|会|拟|计划|准备)(?=[\u4e00-\u9fff《“])/
const SUBJECT_ONLY =
  /^(?:我们|我局|本局|我委|本委|我办|本办|我中心|本中心|我镇|本镇|我乡|我街道|我单位|本单位|本机关|我部门|本部门|我厅|我院|我所|本所|我区|我县|我市|全局|全区|全县|全市|全镇|各部门|各单位|[\u4e00-\u9fff]{2,14}(?:局|委员会|管委会|办公室|中心|研究所|政府|办事处))(?=进一步|继续|不断|持续|切实|认真|积极|严格|深入|全面|大力|着力|努力|重点|逐步|及时|主动|扎实|坚持|加快|加强|加大|完善|提高|提升|强化|健全|建立|推进|推动|做好|抓好|落实)/

type PlanClass = 'context' | 'purpose' | 'generic' | 'action' | 'other' | 'empty'

/** Offset inside a clause where its action starts (after context words, subject and fillers). */
export function actionOffset(body0: string): number {
  let b = body0
  const mk = MARK_PREFIX.exec(b)
  if (mk) b = b.slice(mk[0].length)
  for (let k = 0; k < 4; k++) {
    const m = STRIP_WORD.exec(b) ?? LEAD_FILLER.exec(b)
    if (!m || m[0].length === b.length) break
    b = b.slice(m[0].length)
  }
  const m = SUBJECT_MODAL.exec(b) ?? SUBJECT_ONLY.exec(b)
  if (m && m[0].length < b.length) b = b.slice(m[0].length)
  const f = LEAD_FILLER.exec(b)
  if (f && f[0].length < b.length && !/^(?:进一步|重点)/.test(f[0])) b = b.slice(f[0].length)
  return body0.length - b.length
}

const PROBLEM_LEAD = /^[^,。;:]{0,24}?(?:还|仍|仍然|也|但|同时)?(?:存在着|存在|面临着|面临)(?:以下|一些|如下)?(?:问题|不足)?[:]?/

/** Title span of a prose item: its first clause without the lead-in. */
function proseTitle(t: string, s: number, e: number, kind: Kind): [number, number] {
  const cl = clauses(t, s, e)
  for (const c of cl) {
    const body = bodyOf(t, c)
    let off = 0
    if (kind === 'plan') {
      const k = classifyPlanClause(body)
      if (k === 'context' || k === 'empty' || k === 'generic') continue
      off = actionOffset(body)
    } else {
      const m = PROBLEM_LEAD.exec(body)
      if (m && m[0].length < body.length - 4) off = m[0].length
    }
    const a = c.s + off
    const b = c.s + body.length
    if (b - a >= 3) return titleSpan(t, a, Math.max(b, Math.min(e, a + 40)))
  }
  return titleSpan(t, s, e)
}

/** Length (Han characters) of a clause from where its action starts (after subject and fillers). */
export function actionLength(body0: string): number {
  let b = body0.replace(MARK_PREFIX, '')
  for (let k = 0; k < 3; k++) {
    const m = STRIP_WORD.exec(b) ?? LEAD_FILLER.exec(b)
    if (!m || m[0].length === b.length) break
    b = b.slice(m[0].length)
  }
  const m = SUBJECT_MODAL.exec(b) ?? SUBJECT_ONLY.exec(b)
  if (m && m[0].length < b.length) b = b.slice(m[0].length)
  return hanCount(b)
}

export function classifyPlanClause(body0: string): PlanClass {
  let b = body0.replace(MARK_PREFIX, '')
  for (let k = 0; k < 3; k++) {
    const m = STRIP_WORD.exec(b)
    if (!m) break
    b = b.slice(m[0].length)
  }
  if (!b) return 'empty'
  if (CONTEXT_CLAUSE.test(b)) return 'context'
  if (PURPOSE_CLAUSE.test(b)) return 'purpose'
  for (let k = 0; k < 3; k++) {
    const m = LEAD_FILLER.exec(b)
    if (!m || m[0].length === b.length) break
    b = b.slice(m[0].length)
  }
  let m = SUBJECT_MODAL.exec(b)
  if (m && m[0].length < b.length) b = b.slice(m[0].length)
  else {
    m = SUBJECT_ONLY.exec(b)
    if (m) b = b.slice(m[0].length)
  }
  if (CONTEXT_CLAUSE.test(b)) return 'context'
  if (PURPOSE_CLAUSE.test(b)) return 'purpose'
  let adverbs = 0
  for (let k = 0; k < 4; k++) {
    const a = ADVERB.exec(b)
    if (!a || a[0].length === b.length) break
    b = b.slice(a[0].length)
    adverbs++
    if (CONTEXT_CLAUSE.test(b)) return 'context'
  }
  if (b.startsWith('通过')) b = b.slice(2)
  // "在…上取得新突破" is a commitment of its own
  if (IN_ACHIEVE.test(b)) return 'action'
  const isAction = ACTION_VERB.test(b) || (adverbs > 0 && hanCount(b) >= 2)
  if (!isAction) return 'other'
  PLAN_GENERIC_RE.lastIndex = 0
  const rest2 = b.replace(PLAN_GENERIC_RE, '')
  if (hanCount(rest2) < 1) return 'generic'
  return 'action'
}
const RESULT_VERB = /^(?:提高|提升|确保|保障|促进|形成|实现)/
const IN_ACHIEVE = /^在[^,。;]{2,30}(?:上|方面|中)(?:取得|实现|迈出|有所|形成|做到)/
const PLAN_GENERIC_RE = new RegExp(PLAN_GENERIC_TOKENS.source, 'g')
const PROBLEM_GENERIC_RE = new RegExp(PROBLEM_GENERIC_TOKENS.source, 'g')

export function isProblemClause(body: string): boolean {
  const b = body.replace(MARK_PREFIX, '')
  if (!PROBLEM_CUE.test(b)) return false
  PROBLEM_GENERIC_RE.lastIndex = 0
  const rest = b.replace(PROBLEM_GENERIC_RE, '')
  return hanCount(rest) >= 2
}

const FILLER_CLAUSE =
  /^(?:比如|例如|如|主要是|主要有|主要表现在|主要体现在|具体表现在|具体如下|表现在|一是|其中|另外|此外|同时|总之|总体来看|从总体来看)$/

function looksPlanLike(text: string, s: number, e: number): boolean {
  const cl = clauses(text, s, Math.min(e, s + 120))
  for (const c of cl) {
    const k = classifyPlanClause(bodyOf(text, c))
    if (k === 'empty' || k === 'context') continue
    return k === 'action' || k === 'generic'
  }
  return false
}
function looksProblemLike(text: string, s: number, e: number): boolean {
  const cl = clauses(text, s, Math.min(e, s + 160))
  for (const c of cl) {
    if (isProblemClause(bodyOf(text, c))) return true
    if (c.d === '。' || c.d === '\n') break
  }
  return false
}

// ---------------------------------------------------------------------------------------------
// titles

const TITLE_END = /[。;:!?\n]/

function titleSpan(text: string, s: number, e: number): [number, number] {
  let a = s
  const m = MARK_PREFIX.exec(text.slice(s, Math.min(e, s + 12)))
  if (m) a = s + m[0].length
  while (a < e && /[\s,.、:]/.test(text[a])) a++
  let b = a
  while (b < e && !TITLE_END.test(text[b])) b++
  if (b - a > 40) {
    let c = a
    let depth = 0
    while (c < e && c - a < 40) {
      const ch = text[c]
      if (OPEN.includes(ch)) depth++
      else if (CLOSE.includes(ch)) depth--
      else if (ch === ',' && depth <= 0 && c - a >= 4) break
      c++
    }
    b = c
  }
  if (b <= a) b = Math.min(e, a + 40)
  while (b > a && /[,、]/.test(text[b - 1])) b--
  return [a, b]
}

function trimSpan(text: string, s: number, e: number): [number, number] {
  while (s < e && /[\s\n]/.test(text[s])) s++
  while (e > s && /[\s\n]/.test(text[e - 1])) e--
  return [s, e]
}

function pushItem(ctx: Ctx, out: RawItem[], kind: Kind, s: number, e: number, idx: number, title?: [number, number]) {
  ;[s, e] = trimSpan(ctx.text, s, e)
  while (e > s && /[,;、:]/.test(ctx.text[e - 1])) e--
  if (e - s < 2) return
  if (hanCount(ctx.text.slice(s, e)) < 2) return
  const [ts, te] = title ?? titleSpan(ctx.text, s, e)
  out.push({ kind, s, e, ts, te, group: ctx.group, idx })
}

// ---------------------------------------------------------------------------------------------
// transitions in a combined section

function sentenceStarts(text: string, s: number, e: number): number[] {
  const out = [s]
  for (let i = s; i < e - 1; i++) {
    const c = text[i]
    if (c === '。' || c === '\n' || c === '!' || c === '?' || c === ';') out.push(i + 1)
  }
  return out
}

/** Where the commitments start inside a combined problems-and-plans span; null when nowhere. */
export function findTransition(ctx: Ctx, s: number, e: number): number | null {
  const t = ctx.text
  for (const p of sentenceStarts(t, s, e)) {
    const head = t.slice(p, Math.min(e, p + 60))
    if (MARK_PREFIX.test(head)) continue
    if (PLAN_CUE_SENTENCE.test(head)) {
      // a sentence that still admits problems is not the start of the plans
      const sentEnd = head.search(/[。;\n]/)
      const sent = sentEnd >= 0 ? head.slice(0, sentEnd) : head
      if (/存在|不足|问题|差距/.test(sent) && !/措施|将|下一步|今后|针对|对此|为此/.test(sent)) continue
      return p
    }
  }
  // clause-level cues ("…,在2017年的工作中,…会继续…")
  for (let i = s; i < e - 1; i++) {
    if (t[i] !== ',') continue
    const head = t.slice(i + 1, Math.min(e, i + 20))
    if (PLAN_CUE_CLAUSE.test(head)) return i + 1
  }
  return null
}

// ---------------------------------------------------------------------------------------------
// enumerations

function chooseChain(chains: Chain[]): Chain | null {
  let best: Chain | null = null
  for (const c of chains) if (c.marks.length >= 2 && (!best || c.marks[0].pos < best.marks[0].pos)) best = c
  if (best) return best
  for (const c of chains) {
    const v = c.marks[0].value
    if ((v === 1 || v === null) && c.type !== 'F' && c.type !== 'G' && c.type !== 'P' && (!best || c.marks[0].pos < best.marks[0].pos))
      best = c
  }
  return best
}

function isHeadingLine(l: LineInfo, markEnd: number): boolean {
  const content = l.text.slice(markEnd - l.s)
  if (content.length === 0 || content.length > 45) return false
  const i = content.search(/[。;!?]/)
  if (i >= 0 && i < content.length - 1) return false
  if ((content.match(/,/g) || []).length > 2) return false
  return !/:$/.test(content)
}
const isBodyLine = (l: LineInfo) => l.text.length >= 30 || /[。;]$/.test(l.text)

/** Items of one enumeration (with heading/body repair for lost markers). */
function chainItems(ctx: Ctx, out: RawItem[], kind: Kind, chain: Chain, s: number, e: number): number {
  const t = ctx.text
  const marks = chain.marks
  const spans: [number, number, boolean][] = [] // start, end, fromMark
  const allLineStart = marks.every(m => m.lineStart)
  for (let i = 0; i < marks.length; i++) {
    const a = marks[i].pos
    let b = i + 1 < marks.length ? marks[i + 1].pos : e
    if (i === marks.length - 1 && !allLineStart) {
      // an inline enumeration ends with its paragraph
      const li = lineIndexAt(ctx, a)
      b = Math.min(e, ctx.lineEnds[li])
    }
    spans.push([a, b, true])
  }
  let restStart = spans[spans.length - 1][1]
  // heading + body repair
  if (allLineStart && marks.length >= 2) {
    const info = spans.map(([a, b]) => {
      const l0 = lineIndexAt(ctx, a)
      const l1 = lineIndexAt(ctx, Math.max(a, b - 1))
      const mk = marks.find(m => m.pos === a)!
      return { l0, l1, heading: isHeadingLine(ctx.lines[l0], mk.end) && l1 > l0 }
    })
    const hs = info.filter(x => x.heading)
    if (hs.length >= 2 && hs.length >= info.length * 0.6) {
      const bodies = hs.map(x => x.l1 - x.l0)
      const newSpans: [number, number, boolean][] = []
      for (let k = 0; k < spans.length; k++) {
        const x = info[k]
        const others = bodies.filter((_, j) => hs[j] !== x)
        const othersSingle = others.length >= 2 && others.every(c => c === 1)
        let curStart = spans[k][0]
        for (let li = x.l0 + 2; li <= x.l1; li++) {
          const L = ctx.lines[li]
          const prev = ctx.lines[li - 1]
          const next = ctx.lines[li + 1]
          const unmarkedHeading = !L.mark && isHeadingLine(L, L.s) && next && li + 1 <= x.l1 && isBodyLine(next) && isBodyLine(prev)
          const extraBody = othersSingle && isBodyLine(L) && isBodyLine(prev) && li - 1 > x.l0
          if (unmarkedHeading || extraBody) {
            newSpans.push([curStart, L.s, true])
            curStart = L.s
            if (unmarkedHeading) li++
          }
        }
        newSpans.push([curStart, spans[k][1], true])
      }
      spans.length = 0
      spans.push(...newSpans)
    }
  }
  ctx.group++
  spans.forEach(([a, b], i) => {
    // title: a heading line is its own title
    const li = lineIndexAt(ctx, a)
    const L = ctx.lines[li]
    let title: [number, number] | undefined
    if (L.e < b && isHeadingLine(L, a === L.s && L.mark ? L.mark.end : L.s)) {
      title = titleSpan(t, a, L.e)
    }
    pushItem(ctx, out, kind, a, b, i, title)
  })
  return restStart
}

// ---------------------------------------------------------------------------------------------
// prose

/** A problem clause without a subject of its own ("存在内容不一致的情况", "还需要进一步充实丰富") takes
 *  the clause before it as its subject. */
const SUBJECTLESS = /^(?:还|仍|也|均|都|尚|时有|偶有)?(?:存在|有待|需要|需|亟待|有|出现|造成|导致)/
const CONNECTIVE = /^(?:但是|但|然而|不过|同时|而且|并且)/
/** Where a lead clause's words start, after a connective ("但是面对公众的关注" → "面对公众的关注"). */
function afterConnective(t: string, s: number, e: number): number {
  const m = CONNECTIVE.exec(t.slice(s, Math.min(e, s + 4)))
  return m && s + m[0].length < e ? s + m[0].length : s
}
/** A lead clause that reports achievements or sets the time is no subject of a problem. */
const ACHIEVED = /取得|成效|成绩|进展|虽然|尽管|总体|整体|以来|年度|\d{4}年|目前|当前/

function problemProse(ctx: Ctx, out: RawItem[], s: number, e: number) {
  const t = ctx.text
  const cl = clauses(t, s, e)
  let cur: { s: number; e: number; n: number } | null = null
  const items: { s: number; e: number; n: number }[] = []
  // the first clause of a sentence that names what the problem is about, when the words of the
  // problem follow ("公开平台之间信息不同步，存在内容不一致的情况")
  let lead: { s: number; e: number } | null = null
  for (const c of cl) {
    if (c.first) cur = lead = null
    const body = bodyOf(t, c)
    if (c.d === ':') {
      cur = lead = null
      continue
    }
    if (!body || FILLER_CLAUSE.test(body.replace(MARK_PREFIX, ''))) continue
    if (isProblemClause(body)) {
      const from = lead && SUBJECTLESS.test(body.replace(MARK_PREFIX, '')) ? afterConnective(t, lead.s, lead.e) : c.s
      cur = { s: from, e: c.e, n: 1 }
      lead = null
      items.push(cur)
    } else if (!cur && !ACHIEVED.test(body)) {
      // the nearest clause before the problem's words in the same sentence
      lead = { s: c.s, e: c.e }
    } else if (!cur) {
      lead = null
    } else if (cur && !c.afterStrong) {
      cur.e = c.e
      cur.n++
    } else if (PROBLEM_CUE.test(body)) {
      cur = null
    }
  }
  ctx.group++
  let idx = 0
  for (const it of items) {
    // short problems listed with 、 in one clause
    if (it.n === 1) {
      const parts = splitEnum(t, it.s, it.e)
      if (parts) {
        for (const [a, b] of parts) pushItem(ctx, out, 'problem', a, b, idx++, proseTitle(t, a, b, 'problem'))
        continue
      }
    }
    pushItem(ctx, out, 'problem', it.s, it.e, idx++, proseTitle(t, it.s, it.e, 'problem'))
  }
}

/**
 * "工作力度不够大、时效性不够强、制度建设不够健全" -> three spans; null when it is not such a list, and
 * when the first part admits nothing by itself ("存在积极性、主动性不够": the parts share one predicate;
 * 5-fold CV 0.957 → 0.967).
 */
function splitEnum(t: string, s: number, e: number): [number, number][] | null {
  const parts: [number, number][] = []
  let depth = 0
  let a = s
  for (let i = s; i < e; i++) {
    const c = t[i]
    if (OPEN.includes(c)) depth++
    else if (CLOSE.includes(c)) depth = Math.max(0, depth - 1)
    else if (c === '、' && depth === 0) {
      parts.push([a, i + 1])
      a = i + 1
    }
  }
  parts.push([a, e])
  if (parts.length < 2) return null
  let cues = 0
  for (let k = 0; k < parts.length; k++) {
    const [x, y] = parts[k]
    const p = t
      .slice(x, y)
      .replace(/[、,;。]$/, '')
      .replace(/等(?:方面的?)?(?:问题|不足|情况)?$/, '')
    if (hanCount(p) < 4) return null
    const cue = PROBLEM_CUE.test(p)
    if (cue) cues++
    // "存在积极性、主动性不够": subjects sharing the last part's predicate are one problem
    if (k === 0 && !cue) return null
  }
  if (cues * 2 < parts.length) return null
  return parts
}

function planProse(ctx: Ctx, out: RawItem[], s: number, e: number) {
  const t = ctx.text
  const cl = clauses(t, s, e)
  let cur: { s: number; e: number; len: number } | null = null
  let pending: number | null = null
  let purpose = false
  const items: { s: number; e: number; len: number }[] = []
  for (const c of cl) {
    if (c.afterStrong) {
      cur = null
      pending = null
      purpose = false
    }
    if (purpose) continue
    const body = bodyOf(t, c)
    if (c.d === ':') {
      cur = null
      pending = null
      continue
    }
    if (!body) continue
    const k = classifyPlanClause(body)
    switch (k) {
      case 'empty':
      case 'context':
        if (pending === null) pending = c.s
        break
      case 'purpose':
        purpose = true
        break
      case 'generic':
        if (cur) {
          cur.e = c.e
          cur.len += hanCount(body) + 1
        } else if (pending === null) pending = c.s
        break
      case 'action': {
        const alen = actionLength(body)
        if (cur && cur.len < 10 && (alen <= 8 || RESULT_VERB.test(body.slice(actionOffset(body)).replace(ADVERB, '')))) {
          cur.e = c.e
          cur.len += actionLength(body) + 1
        } else {
          cur = { s: pending ?? c.s, e: c.e, len: actionLength(body) }
          items.push(cur)
        }
        pending = null
        break
      }
      case 'other':
        if (cur) {
          cur.e = c.e
          cur.len += hanCount(body) + 1
        } else if (
          hanCount(body) >= 6 &&
          /进行|开展|建立|完善|加强|推进|实现|提高|提升|升级|改造|增加|扩大|落实|做好|强化|优化|规范|健全/.test(body)
        ) {
          cur = { s: pending ?? c.s, e: c.e, len: hanCount(body) }
          items.push(cur)
          pending = null
        }
        break
    }
  }
  ctx.group++
  items.forEach((it, i) => pushItem(ctx, out, 'plan', it.s, it.e, i, proseTitle(t, it.s, it.e, 'plan')))
}

/** Paragraph-per-item lists without markers. */
function paragraphItems(ctx: Ctx, out: RawItem[], kind: Kind, s: number, e: number): boolean {
  const l0 = lineIndexAt(ctx, s)
  const l1 = lineIndexAt(ctx, Math.max(s, e - 1))
  if (l1 - l0 < 1) return false
  const paras: [number, number][] = []
  for (let li = l0; li <= l1; li++) {
    const a = Math.max(s, ctx.lineStarts[li])
    const b = Math.min(e, ctx.lineEnds[li])
    if (b > a) paras.push([a, b])
  }
  if (paras.length < 2) return false
  // the first paragraph may be an introduction ending with ':'
  let start = 0
  if (/:$/.test(t(ctx, paras[0]))) start = 1
  const rest = paras.slice(start)
  if (rest.length < 2) return false
  const ok = rest.every(([a, b]) => {
    const heading = isHeadingLine(ctx.lines[lineIndexAt(ctx, a)], a) && b - a <= 45
    if (kind === 'plan') return !heading && looksPlanLike(ctx.text, a, b) && b - a >= 8
    return !heading && looksProblemLike(ctx.text, a, b)
  })
  if (!ok) return false
  ctx.group++
  rest.forEach(([a, b], i) => pushItem(ctx, out, kind, a, b, i))
  return true
}
const t = (ctx: Ctx, [a, b]: [number, number]) => ctx.text.slice(a, b)

/** Items of one kind in [s, e). */
export function itemize(ctx: Ctx, out: RawItem[], kind: Kind, s: number, e: number) {
  ;[s, e] = trimSpan(ctx.text, s, e)
  if (e <= s) return
  const marks = findMarks(ctx.text, s, e, ctx.lineStarts, ctx.lineEnds)
  if (!marks.some(m => m.pos === s)) {
    // a marker right after a heading label ("改进措施:1、…") counts as at a line start
    const li = lineIndexAt(ctx, s)
    const m0 = lineMark(ctx.text, s, ctx.lineEnds[li])
    if (m0 && m0.type !== 'A') marks.unshift(m0)
  }
  const chain = chooseChain(buildChains(marks))
  if (chain) {
    const rest = chainItems(ctx, out, kind, chain, s, e)
    if (rest < e) {
      // text after an inline enumeration's paragraph
      const [a, b] = trimSpan(ctx.text, rest, e)
      if (b > a) prose(ctx, out, kind, a, b)
    }
    return
  }
  prose(ctx, out, kind, s, e)
}

function prose(ctx: Ctx, out: RawItem[], kind: Kind, s: number, e: number) {
  if (paragraphItems(ctx, out, kind, s, e)) return
  if (kind === 'problem') problemProse(ctx, out, s, e)
  else planProse(ctx, out, s, e)
}

// ---------------------------------------------------------------------------------------------
// regions

interface Run {
  s: number
  e: number
  kind: 'problem' | 'plan' | 'both' | 'skip'
}

const LABEL_STICKY = /([^。;:!?\n,]{1,18}):/y

function splitInlineLabels(ctx: Ctx, run: Run): Run[] {
  const t = ctx.text
  const out: Run[] = []
  let cur: Run = { ...run }
  const starts: number[] = []
  for (let i = run.s; i < run.e; i++) {
    if (i === run.s) {
      starts.push(i)
      continue
    }
    const c = t.charCodeAt(i - 1)
    if (c === 0x3002 || c === 0x3b || c === 0x21 || c === 0x3f || c === 0x0a || c === 0x2c) starts.push(i)
  }
  for (const st of starts) {
    if (t.indexOf(':', st) < 0) break
    LABEL_STICKY.lastIndex = st
    const m = LABEL_STICKY.exec(t)
    if (!m || m.index + m[0].length > run.e) continue
    const label = m[1].replace(MARK_PREFIX, '')
    if (/\n/.test(label)) continue
    const p = PROBLEM_HEAD.test(label) || /^(?:问题|不足)$/.test(label)
    const q = PLAN_HEAD.test(label) || /^(?:措施|整改|改进)$/.test(label) || /(?:改进|整改)措施|措施如下/.test(label)
    if (p === q) continue
    const kind = p ? 'problem' : 'plan'
    cur.e = m.index
    out.push(cur)
    cur = { s: m.index + m[0].length, e: run.e, kind }
  }
  out.push(cur)
  // "1.问题…。改进措施:…" per item: a labelled run ends where the next numbered line starts
  const res: Run[] = []
  for (let i = 0; i < out.length; i++) {
    const r = out[i]
    if (i === 0 || r.e <= r.s) {
      res.push(r)
      continue
    }
    const li = lineIndexAt(ctx, r.s)
    let cut = -1
    for (let k = li + 1; k < ctx.lines.length && ctx.lineStarts[k] < r.e; k++) {
      if (ctx.lines[k].mark) {
        cut = ctx.lineStarts[k]
        break
      }
    }
    if (cut > r.s) {
      res.push({ s: r.s, e: cut, kind: r.kind })
      res.push({ s: cut, e: r.e, kind: run.kind })
    } else res.push(r)
  }
  return res.filter(r => r.e > r.s)
}

export function processRegion(ctx: Ctx, region: Region, allowMixedProblem: boolean): RawItem[] {
  const out: RawItem[] = []
  const lines = ctx.lines
  const head = lines[region.headLine]
  const s0 = head.afterHead < head.e ? head.afterHead : region.from < lines.length ? lines[region.from].s : head.e
  const e0 = region.to - 1 >= region.from ? lines[region.to - 1].e : head.e
  if (e0 <= s0) return out
  let regionKind: Run['kind'] = region.kind === 'problem' && allowMixedProblem ? 'both' : region.kind
  // sub-labels on their own lines
  const runs: Run[] = []
  let cur: Run = { s: s0, e: e0, kind: regionKind }
  for (let li = region.from; li < region.to; li++) {
    if (li === region.headLine) continue
    const L = lines[li]
    const lv = levelOf(L)
    if (!L.headingLike || !L.kind || L.kind === 'other' || lv === null) continue
    if (L.mark && head.mark && L.mark.type === head.mark.type && L.mark.type === 'A') continue
    cur.e = L.s
    runs.push(cur)
    const k: Run['kind'] = L.kind === 'prev' ? 'skip' : L.kind
    cur = { s: L.afterHead < L.e ? L.afterHead : L.e, e: e0, kind: k }
  }
  runs.push(cur)
  // a problems label not followed by a plans label: the plans may still follow in prose
  for (let k = 0; k < runs.length; k++) {
    if (runs[k].kind === 'problem' && regionKind === 'both' && !runs.slice(k + 1).some(r => r.kind === 'plan')) runs[k].kind = 'both'
  }
  for (const r0 of runs) {
    if (r0.kind === 'skip' || r0.e <= r0.s) continue
    const parts = splitInlineLabels(ctx, r0)
    for (let k = 0; k < parts.length; k++) {
      const r = parts[k]
      if (r.kind === 'problem' && r0.kind === 'both' && !parts.slice(k + 1).some(x => x.kind === 'plan')) r.kind = 'both'
      if (r.kind === 'skip') continue
      if (r.kind === 'problem' || r.kind === 'plan') {
        itemize(ctx, out, r.kind, r.s, r.e)
        continue
      }
      mixed(ctx, out, r.s, r.e)
    }
  }
  return out
}

/** A combined problems-and-plans span: find where the plans start. */
export function mixed(ctx: Ctx, out: RawItem[], s: number, e: number) {
  let T = findTransition(ctx, s, e)
  const marks = findMarks(ctx.text, s, e, ctx.lineStarts, ctx.lineEnds)
  const chains = buildChains(marks).filter(c => c.marks.length >= 2 || c.marks[0].value === 1)
  const planLike = (c: Chain) => {
    const ms = c.marks
    let n = 0
    for (let i = 0; i < ms.length; i++) {
      const b = i + 1 < ms.length ? ms[i + 1].pos : e
      if (looksPlanLike(ctx.text, ms[i].end, b) && !looksProblemLike(ctx.text, ms[i].end, b)) n++
    }
    return n * 2 > ms.length
  }
  if (T !== null) {
    // a plan cue inside an enumeration ("1、拓展…。2、统一认识…。我镇将按照…"): a list of measures
    // is not cut in two; the commitments start with its first item, unless the items before the cue
    // admit problems ("1.政策解读不够深入。改进措施:…")
    const around = chains.find(c => c.marks.length >= 2 && c.marks[0].pos < T! && c.marks[c.marks.length - 1].pos > T!)
    if (around && planLike(around) && !looksProblemLike(ctx.text, around.marks[0].end, T)) T = around.marks[0].pos
  }
  if (T === null) {
    const first = chooseChain(chains)
    if (first) {
      if (planLike(first)) {
        T = first.marks[0].pos
      } else {
        const later = chains.find(
          c => c.marks[0].pos > first.marks[first.marks.length - 1].pos && c.marks[0].lineStart === first.marks[0].lineStart,
        )
        if (later && planLike(later)) T = later.marks[0].pos
      }
    }
  }
  if (T === null) {
    itemize(ctx, out, 'problem', s, e)
    return
  }
  if (T > s) itemize(ctx, out, 'problem', s, T)
  itemize(ctx, out, 'plan', T, e)
}
