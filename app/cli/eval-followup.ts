// Measures the follow-up engine on the labelled corpus in tests/fixtures/followup.
//   npm run eval:followup                 in-sample: the shipped model, every pair of corpus reports
//   npm run eval:followup -- --folds 5    honest: k-fold cross-validation by report — the model is
//                                         trained on the reports of k−1 folds and scored on pairs of
//                                         reports of the held-out fold; every report is held out once
// Recurrence: ordered pairs of reports with labelled problems; evidence: a report with labelled plans
// against one with labelled work-done passages (the measures of eval/score-followup.mjs).
import { parseArgs } from 'node:util'
import { extractReport } from '../extract/index'
import { followUp, type ReportForFollowUp } from '../followup/index'
import { trainTopicModel, type TopicModel } from '../followup/model'
import { DEFAULT_TOPIC_MODEL } from '../followup/topic-model'
import { add, emptyTally, precision, recall, scoreMixedEvidence, scoreRecurrence, type LabelledItem, type Tally } from '../followup/scoring'
import { topicExamples, topicIds } from '../followup/training'
import { readLabelledCorpus, readReportText } from './followup-corpus'

const { values } = parseArgs({
  options: { folds: { type: 'string' }, verbose: { type: 'boolean', default: false }, why: { type: 'boolean', default: false } },
  allowPositionals: true,
})
const corpus = readLabelledCorpus()
const k = values.folds ? Number(values.folds) : 0

const reports = new Map<string, ReportForFollowUp>()
const report = (f: string) => {
  let r = reports.get(f)
  if (!r) {
    const text = readReportText(f)!
    reports.set(f, (r = { text, extraction: extractReport(text) }))
  }
  return r
}
const withText = (f: string) => readReportText(f) !== null

const problems = new Map<string, LabelledItem[]>(),
  plans = new Map<string, LabelledItem[]>()
for (const i of corpus.topics.items) {
  if (!i.topics?.length || !withText(i.file)) continue
  const m = i.kind === 'problem' ? problems : plans
  const text = (i.kind === 'problem' ? corpus.gold[i.file]?.problems : corpus.gold[i.file]?.plans)?.find(x => x.key === i.key)?.text
  m.set(i.file, [...(m.get(i.file) ?? []), { key: i.key, topics: i.topics, text }])
}
const passages = new Map<string, Array<{ text: string; topics: string[] }>>()
for (const q of corpus.passages.items)
  if (q.topics?.length && withText(q.file)) passages.set(q.file, [...(passages.get(q.file) ?? []), { text: q.text, topics: q.topics }])

// folds: reports in a fixed order of a hash of their names, dealt round-robin
const files = [...new Set([...problems.keys(), ...plans.keys(), ...passages.keys()])].sort()
const hash = (s: string) => {
  let h = 2166136261
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0
  return h
}
const fold = new Map([...files].sort((a, b) => hash(a) - hash(b) || (a < b ? -1 : 1)).map((f, i) => [f, k ? i % k : 0]))

let rec = emptyTally(),
  ev = emptyTally()
const t0 = Date.now()
for (let f = 0; f < Math.max(1, k); f++) {
  const model: TopicModel = k
    ? trainTopicModel(
        topicExamples(corpus, file => fold.get(file) !== f),
        topicIds(corpus),
      )
    : DEFAULT_TOPIC_MODEL
  const mine = files.filter(x => fold.get(x) === f)
  let r = emptyTally(),
    e = emptyTally()
  for (const a of mine)
    for (const b of mine) {
      if (a === b) continue
      const A = problems.get(a),
        B = problems.get(b),
        P = plans.get(a),
        Q = passages.get(b)
      if (!(A && B) && !(P && Q)) continue
      const res = followUp(report(a), report(b), { model })
      if (A && B) r = add(r, scoreRecurrence(res, A, B))
      if (P && Q) e = add(e, scoreMixedEvidence(res, P, Q, values.why ? l => console.log(`${a}→${b} ${l}`) : undefined))
    }
  if (k && values.verbose) console.log(`fold ${f + 1}/${k}: ${mine.length} reports | ${line(r, e)}`)
  rec = add(rec, r)
  ev = add(ev, e)
}
function line(r: Tally, e: Tally) {
  const f = (x: number) => x.toFixed(3)
  return `recurrence P ${f(precision(r))} R ${f(recall(r))} (${r.tp}/${r.predicted} right, ${r.found}/${r.expected} found) | mixed evidence P ${f(precision(e))} R ${f(recall(e))} (${e.tp}/${e.predicted} right, ${e.found}/${e.expected} plans found)`
}
console.log(
  `eval:followup — ${k ? `${k}-fold cross-validation by report` : 'in-sample (shipped model)'}, ${files.length} reports, ${((Date.now() - t0) / 1000).toFixed(1)} s`,
)
console.log(line(rec, ev))
