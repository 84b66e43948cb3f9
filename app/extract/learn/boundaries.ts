// Where items begin inside a longer stretch of text: the second learned step of the extractor.
// The rules (and the sentence candidates) give spans; a span often holds more than one measure or
// shortcoming joined by commas ("下一步,我局将进一步完善工作制度,加强监督与培训", "…还存在差距,公开内容
//的及时性…需要改进"). Every clause boundary inside an item (after , ; 。 ! ? outside brackets) is
// a candidate cut; a binary logistic regression over the words on both sides and the item's kind
// and marker says whether a new item starts there. Training labels come from the gold items: a cut
// is right when a gold item's key starts just after it and the piece before it is itself an item
// or part of one (the scorer's own matching). Pure.
import { lineMark } from '../markers'
import {
  ACTION_VERB,
  ADVERB,
  CONTEXT_CLAUSE,
  LEAD_FILLER,
  PLAN_CUE_CLAUSE,
  PLAN_CUE_SENTENCE,
  PROBLEM_CUE,
  PURPOSE_CLAUSE,
} from '../lexicon'
import { predict, type Model } from './model'

export interface Boundary {
  /** offset (normalised text) where the next clause starts */
  p: number
  features: string[]
}

const CUT_AFTER = new Set([',', ';', '。', '!', '?'])
const OPEN = new Set([...'“《(「‘【〔'])
const CLOSE = new Set([...'”》)」’】〕'])
const HAN = /[\u3400-\u9fff]/g
const hanCount = (s: string) => (s.match(HAN) ?? []).length

/** A cut is made when the model gives at least this. */
export const CUT_THRESHOLD = 0.5

/** The clause boundaries of the span [s, e) of `text`: after , ; 。 ! ? at bracket depth 0, with words on both sides. */
export function clauseBoundaries(text: string, s: number, e: number): number[] {
  const out: number[] = []
  let depth = 0
  let last = s
  for (let i = s; i < e - 1; i++) {
    const ch = text[i]
    if (OPEN.has(ch)) depth++
    else if (CLOSE.has(ch)) depth = Math.max(0, depth - 1)
    else if (depth === 0 && CUT_AFTER.has(ch)) {
      let p = i + 1
      while (p < e && /\s/.test(text[p])) p++
      if (p >= e) break
      if (hanCount(text.slice(last, i)) >= 2 && hanCount(text.slice(p, e)) >= 2) {
        out.push(p)
        last = p
      }
    }
  }
  return out
}

/** Strips a marker and lead-in words ("并", "同时,", "进一步") to reach a clause's content. */
function content(t: string): string {
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

const lenBucket = (n: number) => (n < 4 ? 0 : n < 8 ? 1 : n < 14 ? 2 : n < 24 ? 3 : n < 48 ? 4 : 5)

/** The features of every boundary of an item [s, e) of kind `kind`. */
export function boundaryFeatures(text: string, s: number, e: number, kind: 'problem' | 'plan'): Boundary[] {
  const ps = clauseBoundaries(text, s, e)
  if (!ps.length) return []
  const item = text.slice(s, e)
  const mark = lineMark(item, 0, item.length)
  const mk = mark ? mark.type : '-'
  const edges = [s, ...ps, e]
  const unitCue = PLAN_CUE_SENTENCE.test(content(item.slice(0, 80)))
  const out: Boundary[] = []
  for (let i = 1; i < edges.length - 1; i++) {
    const p = edges[i]
    const prev = text.slice(edges[i - 1], p).replace(/\s+/g, '')
    const next = text.slice(p, edges[i + 1]).replace(/\s+/g, '')
    const delim = prev[prev.length - 1]
    const pb = prev.replace(/[,;。!?]$/, '')
    const nc = content(next)
    const pc = content(pb)
    // structural and cue features only: the corpus is too small for words (they memorised it)
    const f = ['bias', `k:${kind}`, `mk:${mk}`, `d:${delim}`, `kd:${kind}|${delim}`]
    f.push(`i:${Math.min(i, 3)}`, `left:${Math.min(edges.length - 2 - i, 3)}`)
    f.push(`pl:${lenBucket(hanCount(pb))}`, `nl:${lenBucket(hanCount(next))}`)
    if (nc.length < next.length) f.push('n:filler')
    if (ACTION_VERB.test(nc)) f.push('n:act', `n:act|${kind}`)
    if (PURPOSE_CLAUSE.test(next)) f.push('n:purpose')
    if (CONTEXT_CLAUSE.test(next)) f.push('n:context')
    if (PROBLEM_CUE.test(next)) f.push('n:pcue', `n:pcue|${kind}`)
    if (PLAN_CUE_CLAUSE.test(next)) f.push('n:qc')
    if (ACTION_VERB.test(pc)) f.push('p:act')
    if (CONTEXT_CLAUSE.test(pb) || (PLAN_CUE_SENTENCE.test(pb) && !ACTION_VERB.test(pc))) f.push('p:context')
    if (i === 1 && mark) f.push('p:marked')
    // a run of short measures ("完善工作制度,加强监督与培训") against one measure and its elaboration
    const pa = ACTION_VERB.test(pc) || ACTION_VERB.test(content(pc.replace(/^[^,]{0,12}?(?:将|要|拟)/, '')))
    const na = ACTION_VERB.test(nc)
    f.push(`pn:${pa ? 1 : 0}${na ? 1 : 0}|${kind}`, `pnm:${pa ? 1 : 0}${na ? 1 : 0}|${mk === '-' ? 0 : 1}`)
    if (unitCue) f.push('u:qs', `u:qs|${na ? 1 : 0}`)
    f.push(`nb:${Math.min(ps.length, 5)}|${mk === '-' ? 0 : 1}`)
    if (PROBLEM_CUE.test(pb)) f.push('p:pcue', `p:pcue|${kind}`)
    if (/等$/.test(pb)) f.push('p:deng')
    out.push({ p, features: f })
  }
  return out
}

/** The cuts the model makes in an item, with their probabilities. */
export function cutsOf(
  model: Model,
  text: string,
  s: number,
  e: number,
  kind: 'problem' | 'plan',
  threshold = CUT_THRESHOLD,
): Array<{ p: number; prob: number }> {
  const out: Array<{ p: number; prob: number }> = []
  for (const b of boundaryFeatures(text, s, e, kind)) {
    const prob = predict(model, b.features)[1]
    if (prob >= threshold) out.push({ p: b.p, prob })
  }
  return out
}
