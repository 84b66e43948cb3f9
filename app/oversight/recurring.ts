// The recurring-problems board: recurrences (a problem of year Y admitted again in a later report of
// the same agency) grouped by the shortcoming they admit, across agencies and years. The topic is
// the one the follow-up engine matched them on: the shortcoming topics both problems share; a pair
// matched only on close wording goes to 'wording'. Pure.
import { comparable } from '../followup/text'
import { shortcomingTopics, TOPIC_LABELS, type TopicId } from '../followup/topics'

export type BoardTopic = TopicId | 'wording'

export interface Recurrence {
  suggestionId: string
  status: 'pending' | 'confirmed'
  agencyId: string | null
  agencyName: string
  earlierReportId: string
  earlierYear: number | null
  earlierTitle: string
  earlierText: string
  laterReportId: string
  laterYear: number | null
  laterTitle: string
  laterText: string
  laterTaskId: string | null
}

function topicsOf(text: string, title: string): TopicId[] {
  return shortcomingTopics(comparable(text), comparable(title))
}

/** The shortcoming topics a recurrence is about (what both problems admit), or 'wording'. */
export function recurrenceTopics(r: Pick<Recurrence, 'earlierText' | 'earlierTitle' | 'laterText' | 'laterTitle'>): BoardTopic[] {
  const later = topicsOf(r.laterText, r.laterTitle)
  const earlier = new Set(topicsOf(r.earlierText, r.earlierTitle))
  const shared = later.filter(t => earlier.has(t))
  return shared.length ? shared : ['wording']
}

export interface TopicGroup {
  topic: BoardTopic
  label: string
  /** Recurrences about this topic (one recurrence may be about two topics). */
  recurrences: number
  agencies: number
  /** Years in which the problem came back, ascending. */
  years: number[]
  entries: (Recurrence & { topics: BoardTopic[] })[]
}

export function topicLabel(topic: BoardTopic, wordingLabel: string): string {
  return topic === 'wording' ? wordingLabel : TOPIC_LABELS[topic]
}

/** Groups by topic, the most frequent first; in a group, the latest years first. */
export function groupByTopic(recurrences: readonly Recurrence[], wordingLabel: string): TopicGroup[] {
  const groups = new Map<BoardTopic, TopicGroup>()
  for (const r of recurrences) {
    const topics = recurrenceTopics(r)
    for (const topic of topics) {
      let g = groups.get(topic)
      if (!g) {
        g = { topic, label: topicLabel(topic, wordingLabel), recurrences: 0, agencies: 0, years: [], entries: [] }
        groups.set(topic, g)
      }
      g.entries.push({ ...r, topics })
    }
  }
  for (const g of groups.values()) {
    g.recurrences = g.entries.length
    g.agencies = new Set(g.entries.map(e => e.agencyId ?? e.agencyName)).size
    g.years = [...new Set(g.entries.map(e => e.laterYear).filter((y): y is number => y !== null))].sort((a, b) => a - b)
    g.entries.sort((a, b) => (b.laterYear ?? 0) - (a.laterYear ?? 0) || a.agencyName.localeCompare(b.agencyName, 'zh-CN'))
  }
  // 'wording' (no shared topic) goes last whatever its size: it is a remainder, not a kind of problem.
  return [...groups.values()].sort(
    (a, b) => Number(a.topic === 'wording') - Number(b.topic === 'wording') || b.recurrences - a.recurrences || b.agencies - a.agencies,
  )
}
