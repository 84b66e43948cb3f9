// Training data for the learned step, from labelled reports: each candidate is labelled with the
// kind of the gold item it names (its text contains the item's key) or continues (its text lies
// inside the item's text), else "none" — the same matching the corpus scorer uses. Pure.
import { analyseReport } from '../index'
import { toOriginal } from '../normalize'
import { buildCandidates, sentences } from './candidates'
import { boundaryFeatures } from './boundaries'
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
  const kinds = [
    ['problem', report.problems],
    ['plan', report.plans],
  ] as const
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

/** How far after a cut a gold item's key may begin (lead-in words such as "并", "同时,", "我局将"). */
const KEY_SLACK = 4

/**
 * Boundary examples: the clause boundaries inside every rule item and every sentence that names a
 * gold item. A boundary is a start (label 1) when a gold key begins within KEY_SLACK characters
 * after it and the piece since the last start is itself an item or part of one.
 */
export function boundaryExamplesOf(report: LabelledReport): Example[] {
  const a = analyseReport(report.text)
  const t = a.nz.text
  const cands = buildCandidates({ text: t, lines: a.lines, regions: a.regions, raw: a.raw })
  const keys = [...report.problems, ...report.plans].map(g => scoreNorm(g.key)).filter(Boolean)
  const orig = (s: number, e: number) => {
    const [x, y] = toOriginal(a.nz, s, e)
    return report.text.slice(x, y)
  }
  // units: every rule item and every sentence that names a gold item or lies in one (the rules'
  // own cuts between items of one sentence are examples too)
  const units = new Map<string, { s: number; e: number; kind: 'problem' | 'plan' }>()
  for (const c of cands) if (c.rule) units.set(`${c.s}:${c.e}`, { s: c.s, e: c.e, kind: c.rule })
  for (const l of a.lines) {
    if (l.terminator) continue
    for (const [s, e] of sentences(t, l.headingLike ? l.afterHead : l.s, l.e)) {
      const lab = labelOf(orig(s, e), report)
      if (lab && !units.has(`${s}:${e}`)) units.set(`${s}:${e}`, { s, e, kind: CLASSES[lab] as 'problem' | 'plan' })
    }
  }
  const out: Example[] = []
  for (const u of units.values()) {
    let last = u.s
    for (const b of boundaryFeatures(t, u.s, u.e, u.kind)) {
      const after = scoreNorm(orig(b.p, u.e))
      const starts = keys.some(k => {
        const i = after.indexOf(k)
        return i >= 0 && i <= KEY_SLACK
      })
      const label = starts && labelOf(orig(last, b.p), report) ? 1 : 0
      if (label) last = b.p
      out.push({ features: b.features, label })
    }
  }
  return out
}

export const TRAIN_OPTIONS: TrainOptions = { epochs: 20, rate: 0.3, l2: 1e-5, minCount: 2, seed: 7 }
export const BOUNDARY_CLASSES = ['none', 'start'] as const
export const BOUNDARY_OPTIONS: TrainOptions = { epochs: 20, rate: 0.3, l2: 1e-3, minCount: 2, seed: 11, classes: BOUNDARY_CLASSES }

export function trainOn(
  reports: LabelledReport[],
  opts: TrainOptions = TRAIN_OPTIONS,
  boundaryOpts: TrainOptions | null = BOUNDARY_OPTIONS,
): Model {
  const model = train(reports.flatMap(examplesOf), opts)
  if (boundaryOpts) model.boundary = train(reports.flatMap(boundaryExamplesOf), boundaryOpts)
  return model
}
