// Recurring problems: problems of the later report that admit the same shortcoming as a problem of
// the earlier one ("年年讲，年年犯"). Two problems recur when they share a shortcoming topic
// (公开不及时 / 信息更新不及时 are both `timely`), or, without a topic, when their wording is close.
// A problem's topics are read by the learned topic model (model.ts), which also weighs the
// hand-written lexicon (topics.ts).
import { probabilitiesOf, features, topicsFrom, type TopicModel } from './model'
import { comparable, contentBigrams, dice } from './text'
import { DEFAULT_TOPIC_MODEL } from './topic-model'
import { shortcomingTopics, type TopicId } from './topics'

export interface ProblemInput {
  /** Verbatim text of the problem. */
  text: string
  /** Its title (heading or first clause), when known. */
  title?: string
}

export interface Recurrence {
  earlier: string
  later: string
  score: number
  /** Shortcoming topics both problems admit. */
  topics: TopicId[]
}

/** Wording this close means the same problem even when no topic names it. */
const WORDING_THRESHOLD = 0.5
/**
 * A problem admits every topic the model gives at least this probability, else its likeliest if that
 * reaches TOPIC_FLOOR (chosen by 5-fold cross-validation by report, npm run eval:followup -- --folds 5).
 */
export const TOPIC_THRESHOLD = 0.5
export const TOPIC_FLOOR = 0.1
/**
 * …and a topic the lexicon names (滞后 → timely) when the model gives it at least LEXICON_FLOOR, or
 * only LEXICON_FLOOR_UNSURE when the model is unsure of every topic (none reaches MODEL_SURE): the
 * lexicon speaks where the model has little to go on (发布滞后 in traditional script) and is outvoted
 * where the model has a clear reading. 5-fold CV by report (2026-12-07): one floor of 0.05 for all
 * gave recurrence P 0.829 R 0.871; 0.4 for all P 0.868 R 0.828; this pair P 0.866 R 0.863 (a
 * plateau for MODEL_SURE 0.7–0.8).
 */
const LEXICON_FLOOR = 0.4
const LEXICON_FLOOR_UNSURE = 0.05
const MODEL_SURE = 0.7

export interface RecurrenceOptions {
  model?: TopicModel
}

interface Analysed {
  text: string
  topics: TopicId[]
  grams: Set<string>
}

function analyse(p: ProblemInput, model: TopicModel): Analysed {
  const norm = comparable(p.text)
  const prob = probabilitiesOf(model, features(norm))
  const lexicon = shortcomingTopics(norm, p.title ? comparable(p.title) : undefined)
  // (A short problem is read like any other: a rule that gave problems under 12 characters a topic only
  // on a clear reading cost cross-validated recall 0.909 → 0.828; the subject-less clause it was written
  // for, "还需要进一步充实丰富", is no longer cut from its subject by the extractor.)
  const topics = topicsFrom(prob, TOPIC_THRESHOLD, TOPIC_FLOOR)
  // a topic the lexicon names (滞后 → timely) counts when the model does not rule it out
  const floor = Math.max(0, ...prob.values()) < MODEL_SURE ? LEXICON_FLOOR_UNSURE : LEXICON_FLOOR
  for (const t of lexicon) if (!topics.includes(t) && (prob.get(t) ?? 0) >= floor) topics.push(t)
  return { text: p.text, topics, grams: contentBigrams(norm) }
}

/** Every (earlier, later) pair of problems that admit the same shortcoming, best first. */
export function findRecurring(earlier: ProblemInput[], later: ProblemInput[], opts: RecurrenceOptions = {}): Recurrence[] {
  const model = opts.model ?? DEFAULT_TOPIC_MODEL
  const A = earlier.map(p => analyse(p, model))
  const B = later.map(p => analyse(p, model))
  const out: Recurrence[] = []
  const seen = new Set<string>()
  for (const a of A) {
    for (const b of B) {
      const key = a.text + '\u0000' + b.text
      if (seen.has(key)) continue // a problem printed twice (導讀 + body) is one problem
      const shared = a.topics.filter(t => b.topics.includes(t))
      const wording = dice(a.grams, b.grams)
      if (!shared.length && wording < WORDING_THRESHOLD) continue
      seen.add(key)
      const union = new Set([...a.topics, ...b.topics]).size || 1
      const score = Math.min(1, (shared.length ? 0.55 + 0.25 * (shared.length / union) : 0.4) + 0.4 * wording)
      out.push({ earlier: a.text, later: b.text, score: Math.round(score * 1000) / 1000, topics: shared })
    }
  }
  return out.sort((x, y) => y.score - x.score)
}
