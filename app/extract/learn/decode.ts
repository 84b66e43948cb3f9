// From candidates and their class probabilities to items: an item the rules found is kept, with the
// kind the model prefers, and with the model's doubt as a low confidence for the supervisor to look
// at (dropping doubtful items lost more than it gained under cross-validation: docs/benchmarks.md);
// the rules keep their kind unless the model is sure of the other one (P ≥ 0.5: held out,
// 0.916 for anything from 0.4 to 0.8, 0.909 following the model always, 0.903 never); a sentence the rules did
// not cover becomes an item only when the model is confident it is one.
// Each item's confidence is the model's probability of its kind. Pure.
import type { Candidate } from './candidates'

export interface Thresholds {
  /** A rule item is dropped when P(none) reaches this. */
  drop: number
  /** An uncovered sentence is added when P(problem) or P(plan) reaches this. */
  add: number
  /** An uncovered clause of a sentence that holds rule items is added when P(problem) or P(plan) reaches this. */
  addClause: number
  /** A rule item takes the model's other kind only when the model gives that kind at least this. */
  relabel: number
  /** An item is cut at a clause boundary where the boundary model gives a start at least this (boundaries.ts). */
  cut: number
}

export const THRESHOLDS: Thresholds = { drop: Infinity, add: 0.9, addClause: 0.95, relabel: 0.5, cut: 0.5 }

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
    const preferred = problem >= plan ? 'problem' : 'plan'
    if (c.rule) {
      if (none >= th.drop) return
      // the model overrules the rules' kind only when it is sure of the other kind
      const kind = preferred !== c.rule && Math.max(problem, plan) >= th.relabel ? preferred : c.rule
      out.push({ s: c.s, e: c.e, kind, confidence: kind === 'problem' ? problem : plan, rawIndex: c.rawIndex })
      return
    }
    const kind = preferred
    const confidence = Math.max(problem, plan)
    if (confidence >= (c.clause ? th.addClause : th.add)) {
      out.push({ s: c.s, e: c.e, kind, confidence, rawIndex: -1 })
    }
  })
  return out
}
