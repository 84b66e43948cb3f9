// The corpus figure, computed the way ../shared/eval/score-extraction.mjs computes it: per report
// and kind, a predicted item pairs with a gold item whose key it contains (one to one, maximum
// bipartite matching); a prediction is correct when paired or when it lies inside a gold item of
// its kind. Used by the cross-validation (npm run eval:extract) so every fold is scored alike. Pure.
import { scoreNorm, type GoldItem } from './train'

export interface Counts {
  gold: number
  pred: number
  paired: number
  correct: number
}

export const emptyCounts = (): Counts => ({ gold: 0, pred: 0, paired: 0, correct: 0 })

/** Counts for one report and kind; `ok[j]`: prediction j is correct. */
export function scoreKind(gold: GoldItem[], pred: string[]): Counts & { ok: boolean[]; missed: string[] } {
  const p = pred.map(scoreNorm)
  const hits = gold.map(g => p.map((t, j) => (t.includes(scoreNorm(g.key)) ? j : -1)).filter(j => j >= 0))
  const owner = new Array<number>(p.length).fill(-1)
  const tryG = (i: number, seen: Set<number>): boolean => {
    for (const j of hits[i]) {
      if (seen.has(j)) continue
      seen.add(j)
      if (owner[j] < 0 || tryG(owner[j], seen)) {
        owner[j] = i
        return true
      }
    }
    return false
  }
  let paired = 0
  for (let i = 0; i < gold.length; i++) if (tryG(i, new Set())) paired++
  const ok = p.map((t, j) => owner[j] >= 0 || (t.length > 0 && gold.some(g => scoreNorm(g.text).includes(t))))
  const missed = gold.filter((_, i) => !owner.includes(i)).map(g => g.key)
  return { gold: gold.length, pred: p.length, paired, correct: ok.filter(Boolean).length, ok, missed }
}

export function add(a: Counts, b: Counts): Counts {
  return { gold: a.gold + b.gold, pred: a.pred + b.pred, paired: a.paired + b.paired, correct: a.correct + b.correct }
}

export function f1(c: Counts): { P: number; R: number; F: number } {
  const P = c.pred ? c.correct / c.pred : c.gold ? 0 : 1
  const R = c.gold ? c.paired / c.gold : 1
  return { P, R, F: P + R ? (2 * P * R) / (P + R) : 0 }
}
