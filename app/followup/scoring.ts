// How the follow-up engine is scored against labels, the same measures as the shared scorer
// (eval/score-followup.mjs): recurrence over pairs of reports whose problems carry shortcoming
// topics (two problems should recur exactly when they share one), and evidence on mixed pairs (a
// plan of one report against labelled sentences of another's account of work done). Pure code.
import type { FollowUp } from './index'

export interface LabelledItem {
  key: string
  topics: string[]
  /** The item's whole text (a reported text inside it names it too). */
  text?: string
}

export interface Tally {
  tp: number
  predicted: number
  found: number
  expected: number
}

export const emptyTally = (): Tally => ({ tp: 0, predicted: 0, found: 0, expected: 0 })

export function add(a: Tally, b: Tally): Tally {
  return { tp: a.tp + b.tp, predicted: a.predicted + b.predicted, found: a.found + b.found, expected: a.expected + b.expected }
}

export const norm = (s: string | null | undefined) => (s ?? '').normalize('NFKC').replace(/[\s\u00a0\u3000]+/g, '')

export function overlap(a: string, b: string): boolean {
  a = norm(a)
  b = norm(b)
  if (!a || !b) return false
  if (a.includes(b) || b.includes(a)) return true
  const grams = (s: string) => new Set(Array.from({ length: Math.max(0, s.length - 1) }, (_, i) => s.slice(i, i + 2)))
  const A = grams(a),
    B = grams(b)
  let n = 0
  for (const g of B) if (A.has(g)) n++
  return n / Math.max(1, Math.min(A.size, B.size)) >= 0.5
}

const names = (items: LabelledItem[], text: string) =>
  items.filter(x => norm(text).includes(norm(x.key)) || (!!x.text && norm(text).length >= 4 && norm(x.text).includes(norm(text))))
const share = (a: { topics: string[] }, b: { topics: string[] }) => a.topics.some(t => b.topics.includes(t))

/** Recurrence of one pair: tp and predicted over reported pairs, found/expected over labelled problem pairs. */
export function scoreRecurrence(r: FollowUp, A: LabelledItem[], B: LabelledItem[]): Tally {
  const gold = new Set<string>()
  for (const x of A) for (const y of B) if (share(x, y)) gold.add(x.key + '\u0000' + y.key)
  const found = new Set<string>()
  let tp = 0
  for (const rec of r.recurring) {
    const xs = names(A, rec.earlier),
      ys = names(B, rec.later)
    const hit = xs.flatMap(x => ys.map(y => x.key + '\u0000' + y.key)).find(k => gold.has(k))
    if (hit && !found.has(hit)) (tp++, found.add(hit))
  }
  return { tp, predicted: r.recurring.length, found: found.size, expected: gold.size }
}

/** Evidence of one mixed pair: plans P of the earlier report, labelled work-done passages Q of the later. */
export function scoreMixedEvidence(
  r: FollowUp,
  P: LabelledItem[],
  Q: Array<{ text: string; topics: string[] }>,
  log?: (line: string) => void,
): Tally {
  const expected = P.filter(p => Q.some(q => share(p, q)))
  const found = new Set<string>()
  let tp = 0,
    predicted = 0
  for (const e of r.evidence) {
    const ps = names(P, e.plan ?? '')
    if (!ps.length) continue
    predicted++
    const qs = Q.filter(q => overlap(e.passage ?? '', q.text))
    const hit = ps.filter(p => qs.some(q => share(p, q)))
    if (hit.length) {
      tp++
      for (const p of hit) found.add(p.key)
    } else
      log?.(
        `wrong ${qs.length ? 'topic' : 'place'}: [${ps.map(p => p.topics).join(';')}] ${ps[0].key} → ${qs.map(q => '[' + q.topics + ']').join('')} ${norm(e.passage).slice(0, 50)} (${e.score})`,
      )
  }
  if (log)
    for (const p of expected)
      if (!found.has(p.key))
        log(`missed: [${p.topics}] ${p.key} ${r.evidence.some(e => names([p], e.plan).length) ? '(evidence elsewhere)' : '(none)'}`)
  return { tp, predicted, found: expected.filter(p => found.has(p.key)).length, expected: expected.length }
}

export function precision(t: Tally): number {
  return t.predicted ? t.tp / t.predicted : 0
}

export function recall(t: Tally): number {
  return t.expected ? t.found / t.expected : 0
}
