// Training data for the learned step, from labelled reports: each candidate is labelled with the
// kind of the gold item it names (its text contains the item's key) or continues (its text lies
// inside the item's text), else "none" — the same matching the corpus scorer uses. Pure.
import { analyseReport } from '../index'
import { toOriginal } from '../normalize'
import { buildCandidates } from './candidates'
import { CLASSES, train, type Example, type Model, type TrainOptions } from './model'

export interface GoldItem {
  key: string
  text: string
}

export interface LabelledReport {
  name: string
  text: string
  problems: GoldItem[]
  plans: GoldItem[]
}

/** The scorer's normalisation: NFKC, no white space. */
export const scoreNorm = (s: string) => (s ?? '').normalize('NFKC').replace(/[\s\u00a0\u3000]+/g, '')

export function labelOf(candidate: string, report: Pick<LabelledReport, 'problems' | 'plans'>): number {
  const c = scoreNorm(candidate)
  if (!c) return 0
  const kinds = [['problem', report.problems], ['plan', report.plans]] as const
  for (const [kind, items] of kinds) if (items.some(g => c.includes(scoreNorm(g.key)))) return CLASSES.indexOf(kind)
  if (c.length >= 4) for (const [kind, items] of kinds) if (items.some(g => scoreNorm(g.text).includes(c))) return CLASSES.indexOf(kind)
  return 0
}

export function examplesOf(report: LabelledReport): Example[] {
  const a = analyseReport(report.text)
  const cands = buildCandidates({ text: a.nz.text, lines: a.lines, regions: a.regions, raw: a.raw })
  return cands.map(c => {
    const [s, e] = toOriginal(a.nz, c.s, c.e)
    return { features: c.features, label: labelOf(report.text.slice(s, e), report) }
  })
}

export const TRAIN_OPTIONS: TrainOptions = { epochs: 20, rate: 0.3, l2: 1e-5, minCount: 2, seed: 7 }

export function trainOn(reports: LabelledReport[], opts: TrainOptions = TRAIN_OPTIONS): Model {
  return train(reports.flatMap(examplesOf), opts)
}
