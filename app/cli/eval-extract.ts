// npm run eval:extract [-- --folds 5] [--thresholds drop,add[,relabel[,cut[,addClause]]]] [--rules]
// The extractor's figure on the labelled corpus, scored as ../shared/eval/score-extraction.mjs
// scores it. With --folds k: k-fold cross-validation by report — the corpus is cut into k folds
// (by sorted name, report i in fold i mod k), the learned step is trained on k−1 folds and scores
// the held-out one, so every report is scored once by a model that never saw it. Without --folds:
// the shipped weights on the whole corpus (the plain figure). --rules: the structural rules alone.
// --holdout FILE: train on the reports not named in FILE (one name a line), score those named.
// --train '{"epochs":10}' overrides training options (for trying changes under cross-validation).
// --noise KIND scores every report after a transformation real pages show (see app/extract/learn/noise.ts):
// traditional script, injected pinyin, hard line breaks inside words, a flattened one-line page.
// --synthetic N scores N reports made from parts in the layouts real reports use (learn/synthetic.ts).
import fs from 'node:fs'
import { parseArgs } from 'node:util'
import { extractReportStrict } from '../extract/index'
import type { Model } from '../extract/learn/model'
import { add, emptyCounts, f1, scoreKind } from '../extract/learn/score'
import { trainOn, TRAIN_OPTIONS } from '../extract/learn/train'
import { THRESHOLDS, type Thresholds } from '../extract/learn/decode'
import { noiseOf } from '../extract/learn/noise'
import { syntheticReports } from '../extract/learn/synthetic'
import { loadCorpus, type CorpusReport } from './corpus'

const { values } = parseArgs({
  options: {
    folds: { type: 'string' },
    thresholds: { type: 'string' },
    rules: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
    train: { type: 'string' },
    holdout: { type: 'string' },
    noise: { type: 'string' },
    synthetic: { type: 'string' },
  },
})
const noise = values.noise ? noiseOf(values.noise) : null
const th: Thresholds = values.thresholds
  ? (([drop, addT, relabel, cut, addClause]) => ({
      drop,
      add: addT,
      relabel: relabel ?? THRESHOLDS.relabel,
      cut: cut ?? THRESHOLDS.cut,
      addClause: addClause ?? THRESHOLDS.addClause,
    }))(values.thresholds.split(',').map(Number))
  : THRESHOLDS
const corpus: CorpusReport[] = values.synthetic ? syntheticReports(Number(values.synthetic)) : await loadCorpus()

const totals = { problem: emptyCounts(), plan: emptyCounts() }
/** Confidence bands: how many items fell in each and how many of those were right. */
const BANDS = [0, 0.5, 0.7, 0.9] as const
const bands = BANDS.map(() => ({ n: 0, ok: 0 }))
let scored = 0
function score(r: CorpusReport, model: Model | null | undefined) {
  scored++
  const x = extractReportStrict(noise ? noise.apply(r.text, r.name) : r.text, { model, thresholds: th })
  for (const kind of ['problem', 'plan'] as const) {
    const items = x.items.filter(i => i.kind === kind)
    const gold = kind === 'problem' ? r.problems : r.plans
    const c = scoreKind(
      noise ? gold.map(g => ({ ...g, key: noise.read(g.key), text: noise.read(g.text) })) : gold,
      items.map(i => (noise ? noise.read(i.text) : i.text)),
    )
    totals[kind] = add(totals[kind], c)
    items.forEach((it, j) => {
      if (it.confidence == null) return
      const b = BANDS.findLastIndex(lo => it.confidence! >= lo)
      bands[b].n++
      if (c.ok[j]) bands[b].ok++
    })
    if (values.verbose && (c.paired < c.gold || c.correct < c.pred)) {
      console.log(`${r.name} ${kind}: ${c.paired}/${c.gold} gold, ${c.correct}/${c.pred} pred`)
      for (const m of c.missed) console.log(`    missed: ${m}`)
      items.forEach((it, j) => c.ok[j] || console.log(`    wrong (${it.confidence ?? '-'}): ${it.text.replace(/\s+/g, ' ').slice(0, 70)}`))
    }
  }
}

const k = values.folds ? Number(values.folds) : 0
const trainOptions = { ...TRAIN_OPTIONS, ...(values.train ? JSON.parse(values.train) : {}) }
if (values.holdout) {
  // Train on every report not listed in the file, score the listed ones (e.g. reports added after the rules were written).
  const listed = new Set(
    fs
      .readFileSync(values.holdout, 'utf8')
      .split('\n')
      .map(l => l.trim())
      .filter(Boolean),
  )
  const model = values.rules
    ? null
    : trainOn(
        corpus.filter(r => !listed.has(r.name)),
        trainOptions,
      )
  for (const r of corpus.filter(r => listed.has(r.name))) score(r, model)
} else if (k > 1) {
  for (let fold = 0; fold < k; fold++) {
    const held = corpus.filter((_, i) => i % k === fold)
    const model = trainOn(
      corpus.filter((_, i) => i % k !== fold),
      trainOptions,
    )
    for (const r of held) score(r, model)
  }
} else {
  for (const r of corpus) score(r, values.rules ? null : undefined)
}
const fmt = (x: number) => x.toFixed(3)
const all = add(totals.problem, totals.plan)
const s = f1(all)
const sp = f1(totals.problem)
const sl = f1(totals.plan)
console.log(`problems P ${fmt(sp.P)} R ${fmt(sp.R)} F1 ${fmt(sp.F)} | plans P ${fmt(sl.P)} R ${fmt(sl.R)} F1 ${fmt(sl.F)}`)
console.log(
  `${noise ? `[${values.noise}] ` : ''}${values.holdout ? `held out (${values.rules ? 'rules alone' : 'trained on the rest'})` : k > 1 ? `${k}-fold cross-validated` : values.rules ? 'rules alone' : 'shipped model'}: micro F1 ${fmt(s.F)} (P ${fmt(s.P)} R ${fmt(s.R)}) over ${totals.problem.gold + totals.plan.gold ? scored : 0} reports, ${all.gold} gold items (drop ${th.drop}, add ${th.add})`,
)
if (bands.some(b => b.n))
  console.log(
    `confidence: ${BANDS.map((lo, i) => `≥${lo}: ${bands[i].n} items, ${bands[i].n ? Math.round((100 * bands[i].ok) / bands[i].n) : 0}% right`).join(' · ')}`,
  )
