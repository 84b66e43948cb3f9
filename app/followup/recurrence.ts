// Recurring problems: problems of the later report that admit the same shortcoming as a problem of
// the earlier one ("年年讲，年年犯"). Two problems recur when they share a shortcoming topic
// (公开不及时 / 信息更新不及时 are both `timely`), or, without a topic, when their wording is close.
import { comparable, contentBigrams, dice } from './text'
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

interface Analysed {
  text: string
  topics: TopicId[]
  grams: Set<string>
}

function analyse(p: ProblemInput): Analysed {
  const norm = comparable(p.text)
  const title = p.title ? comparable(p.title) : undefined
  return { text: p.text, topics: shortcomingTopics(norm, title), grams: contentBigrams(norm) }
}

/** Every (earlier, later) pair of problems that admit the same shortcoming, best first. */
export function findRecurring(earlier: ProblemInput[], later: ProblemInput[]): Recurrence[] {
  const A = earlier.map(analyse)
  const B = later.map(analyse)
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
