// Evidence that a commitment of year Y was carried out: passages of the year Y+1 report that report
// doing it. Each sentence (and, in long sentences, each window of a few clauses) of the later report
// is scored against the commitment with character-bigram BM25-style weights (inverse frequency
// over the later report's sentences, domain stop words removed), favouring shared runs of words
// over scattered characters, and adjusted by cues of completion (已/完成/建成/累计/共发布…) and of
// intention (将/拟/下一步…: the later report's own plans are not evidence). A passage also counts
// when it is about what the plan is about in other words (加强培训 ↔ 组织开展业务培训2次): the topic
// model (model.ts) reads the shortcoming topics of the plan and of every passage.
import { normalize, toOriginal } from '../extract/normalize'
import { comparableFeatures, features, probabilitiesOf, topicsFrom, type TopicModel } from './model'
import { contentText, isStopBigram } from './text'
import { DEFAULT_TOPIC_MODEL } from './topic-model'

export interface PlanInput {
  /** Verbatim text of the commitment (from the earlier report). */
  text: string
  /** Its title (heading or first clause), when known: its words say what was promised. */
  title?: string
}

export interface Evidence {
  plan: string
  /** Verbatim passage of the later text: laterText.slice(start, end). */
  passage: string
  start: number
  end: number
  score: number
  /** Why it was offered: the plan's own words, or a passage about the same shortcoming in other words. */
  basis: 'wording' | 'topic'
}

export interface EvidenceResult {
  evidence: Evidence[]
  notMentioned: string[]
  top?: Evidence[]
}

export interface EvidenceOptions {
  /** Spans [start, end) of the later text that cannot be evidence (its own problems and plans). */
  exclude?: Array<{ start: number; end: number }>
  /** Minimum score for a passage to count as evidence. */
  threshold?: number
  /** Diagnostics: also return the best `debug` passages per plan (in `top`). */
  debug?: number
  /** The topic model (default: the trained one). */
  model?: TopicModel
}

/** Below this, passages were mostly wrong (year pairs in tests/fixtures/pairs, mixed pairs of the corpus). */
export const EVIDENCE_THRESHOLD = 0.55
/** Wording this close (weighed by the passage being about the plan's topics) is evidence first. */
const WORDING_THRESHOLD = 0.6
/** …when the passage is at least this much about one of the plan's topics. */
const ABOUT_MIN = 0.4
// Chosen by 5-fold cross-validation by report (npm run eval:followup -- --folds 5):
/** How much a passage about the plan's topic counts without shared wording (see findEvidence). */
const TOPIC_WEIGHT = 0.8
/** …when it is a heading or speaks of the future (将/下一步), or reports nothing done in particular. */
const TOPIC_FUTURE = 0.3
const TOPIC_PLAIN = 0.7
/** A plan is about every topic the model gives ≥ 0.5, else its likeliest if ≥ this. */
const PLAN_TOPIC_FLOOR = 0.1
/** Shared wording counts this much when the passage is about none of the plan's topics. */
const WORDING_FLOOR = 0.3

const DONE =
  /已经|已(?!有|于)|完成|建成|建立了|开通|上线|累计|共计|共(?:发布|公开|举办|开展|组织|收到|受理|办理|更新|录入|编制|制定|梳理|清理|培训|召开)|全年|首次|实现了|制定了|出台了|印发了|修订了|开展了|组织了|举办了|召开了|设立了|开设了|新增|增加了|较上年|同比|比上年|截至|截止|先后|均已|全部|达到|\d+(?:条|次|期|件|个|篇|场|人次|余条|余次|万)/
const FUTURE =
  /下一步|下步|下一年度?|下年度|今后|明年|要(?:完善|加强|进一步|继续|做好|抓好|不断)|虽然|将(?!其|之|近|军)|拟|计划(?!生育)|争取|力争|努力|着力|进一步|继续|要(?:进一步|加强|继续)|有待|尚未|还需|仍需|不足|不够|问题/

const HEADING = /^(?:[(（]?[一二三四五六七八九十\d]{1,2}[)）、.．]|[一二三四五六七八九十]是)[^,。;:]{0,18}[。:]?$/

interface Window {
  s: number // normalised offsets
  e: number
  grams: Map<string, number[]> // token -> positions in the window's Han-only text
}

// Words every report uses about any commitment: they count, but little.
const COMMON = new Set<string>()
for (const w of [
  '群众',
  '公众',
  '社会',
  '关注',
  '关心',
  '普遍',
  '广大',
  '人民',
  '权益',
  '合法',
  '热点',
  '知情',
  '参与',
  '监督',
  '主动',
  '依法',
  '领导',
  '组织',
  '保障',
  '服务',
  '管理',
  '建设',
  '机制',
  '制度',
  '发布',
  '提供',
  '方便',
  '便民',
  '网站',
  '平台',
  '栏目',
  '渠道',
  '形式',
  '方式',
  '内容',
  '范围',
  '意识',
  '理念',
  '职能',
  '职责',
  '明确',
  '行政',
  '事项',
  '办理',
  '实行',
  '实施',
  '推行',
  '政策',
  '文件',
  '各级',
  '全市',
  '全区',
  '全县',
  '严格',
  '统一',
  '标准',
  '措施',
  '需要',
  '能力',
  '人员',
  '申请',
  '依申请',
  '准确',
  '完整',
  '时效',
  '日常',
  '重要',
  '全面',
  '深化',
  '优化',
  '中心',
  '市政',
  '区政',
  '县政',
  '办公',
  '认识',
  '思想',
  '学习',
  '贯彻',
  '精神',
  '部署',
  '安排',
  '计划',
])
  for (let i = 0; i + 2 <= w.length; i++) COMMON.add(w.slice(i, i + 2))

// Ways of saying the same deed: a plan says 扩大, the next report says 新增; a concept token is
// added wherever one of its words appears, so the two passages share it.
const CONCEPTS: Array<[string, RegExp]> = [
  ['#expand', /扩大|新增|增加|拓展|拓宽|增设|扩展|丰富/],
  ['#train', /培训|轮训|业务学习|专题学习|讲座|授课/],
  ['#publicise', /宣传|宣讲|普及|推广/],
  ['#interpret', /解读|图解|答问/],
  ['#build', /建设|建成|建立|搭建|开通|上线|开设|设立|开发/],
  ['#rules', /制度|办法|规程|细则|规定|机制/],
  ['#sort', /梳理|清理|排查|自查/],
  ['#update', /更新|维护/],
  ['#staff', /专人|专职|人员配备|配齐|配备/],
  ['#interact', /互动|回应|留言|咨询|在线访谈|开放日/],
]

function tokensOf(t: string, s: number, e: number): Map<string, number[]> {
  const h = contentText(t.slice(s, e))
  const m = new Map<string, number[]>()
  for (let i = 0; i + 1 < h.length; i++) {
    if (h[i] === '|' || h[i + 1] === '|') continue
    const g = h.slice(i, i + 2)
    if (isStopBigram(g)) continue
    const l = m.get(g)
    if (l) l.push(i)
    else m.set(g, [i])
  }
  const whole = t.slice(s, e)
  for (const [c, re] of CONCEPTS) if (re.test(whole)) m.set(c, [-1])
  return m
}

function sentenceSpans(t: string): Array<[number, number]> {
  const out: Array<[number, number]> = []
  let s = 0
  for (let i = 0; i <= t.length; i++) {
    const c = t[i]
    if (i === t.length || c === '。' || c === '!' || c === '?' || c === ';' || c === '\n') {
      const e = i < t.length && c !== '\n' ? i + 1 : i
      let a = s
      while (a < e && (t[a] === ' ' || t[a] === '\n')) a++
      if (e - a >= 6) out.push([a, e])
      s = i + 1
    }
  }
  return out
}

function clauseSpans(t: string, s: number, e: number): Array<[number, number]> {
  const out: Array<[number, number]> = []
  let a = s
  for (let i = s; i < e; i++) {
    const c = t[i]
    if (c === ',' || c === ':' || i === e - 1) {
      out.push([a, i + 1])
      a = i + 1
    }
  }
  return out
}

// A clause that sets the scene (结合市民之家入驻…, 以…为契机, 按照…要求) does not say what was promised.
const CONTEXT =
  /^(?:[一二三四五六七八九十\d]{1,2}[是、.)]|[(][一二三四五六七八九十\d]{1,2}[)])?(?:结合|以|按照|根据|依据|依照|依托|围绕|针对|对照|立足|借助|随着|在)/

/** Weight of each word of a plan: its title's words count most, scene-setting clauses least. */
function planWeights(plan: string, title: string): Map<string, number> {
  const w = new Map<string, number>()
  const put = (g: string, x: number) => w.set(g, Math.max(w.get(g) ?? 0, x))
  for (const clause of plan.split(/[,;。:!?\n]/)) {
    if (!clause) continue
    const x = CONTEXT.test(clause) ? 0.3 : 1
    for (const g of tokensOf(clause, 0, clause.length).keys()) put(g, x)
  }
  if (title) for (const g of tokensOf(title, 0, title.length).keys()) put(g, 1.5)
  return w
}

/** Candidate passages of the later report: sentences, and windows of 1–3 clauses of long ones (spans only). */
function windowSpans(t: string, sentences: Array<[number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = []
  for (const [s, e] of sentences) {
    if (e - s <= 120) out.push([s, e])
    if (e - s > 60) {
      const cl = clauseSpans(t, s, e)
      for (let i = 0; i < cl.length; i++) {
        for (let k = i; k < Math.min(cl.length, i + 3); k++) {
          const ws = cl[i][0],
            we = cl[k][1]
          if (we - ws < 8 || (i === 0 && k === cl.length - 1 && e - s <= 120)) continue
          if (we - ws > 120) break
          out.push([ws, we])
        }
      }
    }
  }
  return out
}

/**
 * Find, for each plan, the passage of `laterText` that best reports doing it, or mark it not
 * mentioned. Offsets are into `laterText` exactly as given.
 */
export function findEvidence(plans: PlanInput[], laterText: string, opts: EvidenceOptions = {}): EvidenceResult {
  const threshold = opts.threshold ?? EVIDENCE_THRESHOLD
  const nz = normalize(laterText)
  const t = nz.text
  const exclude = opts.exclude ?? []
  const sentences = sentenceSpans(t)
  // A sentence's words are read once: for the frequencies below and as a passage.
  const sentenceTokens = new Map<string, Map<string, number[]>>()
  const tokensAt = (s: number, e: number) => {
    const key = `${s}:${e}`
    let m = sentenceTokens.get(key)
    if (!m) sentenceTokens.set(key, (m = tokensOf(t, s, e)))
    return m
  }
  // Passages inside the later report's own problems and plans are dropped before their words are read.
  const windows: Window[] = windowSpans(t, sentences)
    .filter(([ws, we]) => {
      const [s, e] = toOriginal(nz, ws, we)
      return !exclude.some(x => s < x.end && x.start < e)
    })
    .map(([s, e]) => ({ s, e, grams: tokensAt(s, e) }))
  // inverse sentence frequency, over the sentences of the later report
  const df = new Map<string, number>()
  for (const [s, e] of sentences) for (const g of tokensAt(s, e).keys()) df.set(g, (df.get(g) ?? 0) + 1)
  const N = Math.max(1, sentences.length)
  const idf = (g: string) => Math.log(1 + (N - (df.get(g) ?? 0) + 0.5) / ((df.get(g) ?? 0) + 0.5))

  // score every (plan, passage); then give each passage to the plan it fits best, so that one
  // achievement is not offered as evidence for several commitments
  const model = opts.model ?? DEFAULT_TOPIC_MODEL
  const queries = plans.map(plan => {
    const q = normalize(plan.text).text
    const h = plan.title ? normalize(plan.title).text : ''
    return {
      tokens: tokensOf(q, 0, q.length),
      weights: planWeights(q, h),
      topics: topicsFrom(probabilitiesOf(model, features(q)), 0.5, PLAN_TOPIC_FLOOR),
    }
  })
  // a word several commitments share (the 市民之家 that plans 1 and 5 both mention) identifies none
  const planDf = new Map<string, number>()
  for (const q of queries) for (const g of q.tokens.keys()) planDf.set(g, (planDf.get(g) ?? 0) + 1)
  // A passage sharing fewer than two words with a plan scores 0 (scoreWindow): only those sharing
  // two or more are scored, found from the words' lists of passages, in passage order.
  const passagesWith = new Map<string, number[]>()
  windows.forEach((w, wi) => {
    for (const g of w.grams.keys()) {
      const l = passagesWith.get(g)
      if (l) l.push(wi)
      else passagesWith.set(g, [wi])
    }
  })
  const shared = new Int32Array(windows.length)
  // what each passage is about (the topic model), and whether it reports a deed done
  const passageTopics = windows.map(w => probabilitiesOf(model, comparableFeatures(t.slice(w.s, w.e))))
  const stance = windows.map(w => {
    const x = t.slice(w.s, w.e)
    // a heading (（三）加强学习宣传) names a kind of work, the sentences after it report it
    if (HEADING.test(x)) return TOPIC_FUTURE
    return DONE.test(x) ? 1 : FUTURE.test(x) ? TOPIC_FUTURE : TOPIC_PLAIN
  })
  const scored = queries.map(q => {
    const weight = (g: string) => (q.weights.get(g) ?? 1) / (planDf.get(g) ?? 1)
    const touched: number[] = []
    for (const g of q.tokens.keys()) for (const wi of passagesWith.get(g) ?? []) if (shared[wi]++ === 1) touched.push(wi)
    shared.fill(0)
    const wording = new Float64Array(windows.length)
    for (const wi of touched) wording[wi] = scoreWindow(t, windows[wi], q.tokens, g => idf(g) * weight(g))
    const aboutOf = (wi: number) => {
      let about = 0
      for (const topic of q.topics) about = Math.max(about, passageTopics[wi].get(topic) ?? 0)
      return about
    }
    const byWording = touched
      .map(wi => ({ w: windows[wi], score: wording[wi], about: aboutOf(wi) }))
      .filter(x => x.score > 0)
      .sort((x, y) => y.score - x.score || x.w.s - y.w.s)
    // a passage about what the plan is about counts even in other words (加强培训 ↔ 组织业务培训2次);
    // shared wording about another shortcoming (政务中心建设 ↔ 政务公开制度建设) counts less
    const byTopic = (wi: number) => {
      const a = aboutOf(wi)
      return 1 - (1 - wording[wi] * (WORDING_FLOOR + (1 - WORDING_FLOOR) * a)) * (1 - TOPIC_WEIGHT * a * stance[wi])
    }
    return { byWording, byTopic }
  })
  // First the passages that say it in the plan's own words, each given to the plan it fits best so
  // that one achievement is not offered for several commitments; then, for the plans left, the
  // passage most about what they are about (one deed may answer several plans). One passage a plan:
  // the best one for each shortcoming a plan addresses was measured no better.
  const taken: Array<{ s: number; e: number }> = []
  const chosen = new Map<number, { w: Window; score: number; basis: Evidence['basis'] }>()
  const order = plans.map((_, i) => i).sort((i, j) => (scored[j].byWording[0]?.score ?? 0) - (scored[i].byWording[0]?.score ?? 0))
  for (const i of order) {
    const pick = scored[i].byWording.find(x => !taken.some(tk => x.w.s < tk.e && tk.s < x.w.e))
    if (pick && pick.score >= WORDING_THRESHOLD && pick.about >= ABOUT_MIN) {
      chosen.set(i, { w: pick.w, score: pick.score, basis: 'wording' })
      taken.push({ s: pick.w.s, e: pick.w.e })
    }
  }
  const ranked = (i: number) =>
    windows
      .map((w, wi) => ({ w, score: scored[i].byTopic(wi) }))
      .filter(x => x.score > 0)
      .sort((x, y) => y.score - x.score || x.w.s - y.w.s)
  plans.forEach((_, i) => {
    if (chosen.has(i)) return
    // the best passage (the first, on a tie), in one pass
    let best = -1,
      bs = 0
    for (let wi = 0; wi < windows.length; wi++) {
      const x = scored[i].byTopic(wi)
      if (x > bs || (x === bs && best >= 0 && windows[wi].s < windows[best].s)) ((best = wi), (bs = x))
    }
    if (best >= 0 && bs >= threshold) chosen.set(i, { w: windows[best], score: bs, basis: 'topic' })
  })
  const evidence: Evidence[] = []
  const notMentioned: string[] = []
  const top: Evidence[] = []
  const asEvidence = (plan: string, w: Window, score: number, basis: Evidence['basis']): Evidence => {
    const [s, e] = toOriginal(nz, w.s, w.e)
    return { plan, passage: laterText.slice(s, e), start: s, end: e, score: round(score), basis }
  }
  plans.forEach((plan, i) => {
    const c = chosen.get(i)
    if (c) evidence.push(asEvidence(plan.text, c.w, c.score, c.basis))
    else notMentioned.push(plan.text)
    if (opts.debug)
      top.push(
        ...ranked(i)
          .slice(0, opts.debug)
          .map(x => asEvidence(plan.text, x.w, x.score, 'topic')),
      )
  })
  return opts.debug ? { evidence, notMentioned, top } : { evidence, notMentioned }
}

/** How strongly a passage reports doing what the plan promised, 0..1. */
function scoreWindow(t: string, w: Window, q: Map<string, number[]>, idf: (g: string) => number): number {
  let raw = 0
  let matched = 0
  let specific = 0
  const hitPos: number[] = []
  for (const [g, pos] of w.grams) {
    if (!q.has(g)) continue
    matched++
    const common = COMMON.has(g)
    if (!common) specific++
    raw += idf(g) * (g.startsWith('#') ? 1.2 : common ? 0.3 : 1)
    if (pos[0] >= 0 && !common) hitPos.push(...pos)
  }
  if (matched < 2 || specific < 1) return 0
  // longest run of consecutive matched bigrams: 三公经费 (3 bigrams) beats 三…公…经…费 scattered
  hitPos.sort((a, b) => a - b)
  let run = 1,
    longest = hitPos.length ? 1 : 0
  for (let i = 1; i < hitPos.length; i++) {
    if (hitPos[i] === hitPos[i - 1] + 1) longest = Math.max(longest, ++run)
    else if (hitPos[i] !== hitPos[i - 1]) run = 1
  }
  let s = raw * (longest >= 3 ? 1.4 : longest >= 2 ? 1.15 : 1)
  const text = t.slice(w.s, w.e)
  const done = DONE.test(text)
  if (done) s *= 1.3
  else s *= FUTURE.test(text) ? 0.4 : 0.7
  return 1 - Math.exp(-s / SCALE)
}

/** Raw match strength that maps to a score of 1 - 1/e. */
const SCALE = 8

function round(x: number): number {
  return Math.round(x * 1000) / 1000
}
