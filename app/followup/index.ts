// Follow-up between years: given the extraction of an agency's report for year Y and the text and
// extraction of a report for a later year, say whether the two are the same agency, which earlier
// commitments the later report shows done (evidence) or does not mention, and which problems recur.
// Pure code: no I/O. These are suggestions for a supervisor to confirm or reject.
import type { Extraction } from '../extract/types'
import { matchAgency, type AgencyAliases, type AgencyMatch } from '../agencies/match'
import { reportAgency } from '../agencies/report-agency'
import { findEvidence, type Evidence } from './evidence'
import { findRecurring, type Recurrence } from './recurrence'
import type { TopicModel } from './model'

export { findEvidence, EVIDENCE_THRESHOLD } from './evidence'
export type { Evidence, EvidenceResult, PlanInput } from './evidence'
export { findRecurring } from './recurrence'
export type { Recurrence, ProblemInput } from './recurrence'
export { shortcomingTopics, TOPICS, TOPIC_LABELS } from './topics'
export { predictTopics, topicProbabilities, trainTopicModel } from './model'
export type { TopicModel, TopicExample } from './model'
export { DEFAULT_TOPIC_MODEL } from './topic-model'
export type { TopicId } from './topics'

export interface ReportForFollowUp {
  /** The decoded report text that the extraction's offsets point into. */
  text: string
  extraction: Extraction
}

export interface FollowUp {
  earlier: { agency: string | null; year: number | null }
  later: { agency: string | null; year: number | null }
  sameAgency: AgencyMatch
  recurring: Recurrence[]
  evidence: Evidence[]
  notMentioned: string[]
}

export interface FollowUpOptions {
  aliases?: AgencyAliases
  /** The topic model (default: the trained one shipped in topic-model.json). */
  model?: TopicModel
}

/** Compare two reports, whatever their agencies (sameAgency says whether they are one). */
export function followUp(earlier: ReportForFollowUp, later: ReportForFollowUp, opts: FollowUpOptions = {}): FollowUp {
  const ea = reportAgency(earlier),
    la = reportAgency(later)
  const problems = (r: ReportForFollowUp) => r.extraction.items.filter(i => i.kind === 'problem')
  const plans = earlier.extraction.items.filter(i => i.kind === 'plan').map(i => ({ text: i.text, title: i.title }))
  const recurring = findRecurring(problems(earlier), problems(later), { model: opts.model })
  // the later report's own problems and plans say what is still to do, not what was done
  const { evidence, notMentioned } = findEvidence(plans, later.text, { exclude: later.extraction.items, model: opts.model })
  return {
    earlier: { agency: ea, year: earlier.extraction.year },
    later: { agency: la, year: later.extraction.year },
    sameAgency: matchAgency(ea, la, opts.aliases),
    recurring,
    evidence,
    notMentioned,
  }
}
