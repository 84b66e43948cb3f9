// From candidates and their class probabilities to items: an item the rules found is kept, with the
// kind the model prefers, and with the model's doubt as a low confidence for the supervisor to look
// at (dropping doubtful items lost more than it gained under cross-validation: docs/benchmarks.md);
// a sentence the rules did not cover becomes an item only when the model is confident it is one.
// Each item's confidence is the model's probability of its kind. Pure.
import type { Candidate } from './candidates'

export interface Thresholds {
  /** A rule item is dropped when P(none) reaches this. */
  drop: number
  /** An uncovered sentence is added when P(problem) or P(plan) reaches this. */
  add: number
}

export const THRESHOLDS: Thresholds = { drop: Infinity, add: 0.9 }

export interface Decided {
  s: number
  e: number
  kind: 'problem' | 'plan'
  confidence: number
  /** Index of the rule item it came from, or -1 for a sentence the model added. */
  rawIndex: number
}

export function decide(cands: Candidate[], probs: number[][], th: Thresholds = THRESHOLDS): Decided[] {
  const out: Decided[] = []
  cands.forEach((c, i) => {
    const [none, problem, plan] = probs[i]
    const kind = problem >= plan ? 'problem' : 'plan'
    const confidence = Math.max(problem, plan)
    if (c.rule) {
      if (none >= th.drop) return
      out.push({ s: c.s, e: c.e, kind, confidence, rawIndex: c.rawIndex })
    } else if (confidence >= th.add) {
      out.push({ s: c.s, e: c.e, kind, confidence, rawIndex: -1 })
    }
  })
  return out
}
