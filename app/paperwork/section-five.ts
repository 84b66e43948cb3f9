// A draft of section 五 (存在的主要问题及改进情况) of an agency's report for a year, written from the
// record in the register of real reports: for each of last year's problems and commitments what was
// done (progress notes, follow-up evidence a supervisor confirmed), its status and date ("针对……的问题，
// 我局……，已于……完成整改"); then this year's open problems and measures, in the report's own words.
// Nothing is invented: every sentence is built from one task and carries its id. Pure.
import type { TaskStatus } from '../../db/schema'
import type { DocBlock, DocModel } from './docx'
import type { RecordTask, ReportRecord } from './record.server'
import { groupByProblem, cnNumber } from './rectification'
import { chineseDate, clause, selfName, withoutMarker } from './words'

export interface DraftSentence {
  taskId: string
  status: TaskStatus
  text: string
}

export interface DraftParagraph {
  /** Stable within a draft: the form field it is edited in. */
  key: string
  sentences: DraftSentence[]
}

export interface DraftSection {
  heading: string
  paragraphs: DraftParagraph[]
}

export interface SectionFiveDraft {
  agencyId: string
  agencyName: string
  year: number
  /** The year of the earlier report the first part accounts for; null when there is none. */
  priorYear: number | null
  priorReportId: string | null
  currentReportId: string | null
  sections: DraftSection[]
}

const ORDINALS = (n: number) => `${cnNumber(n)}是`

/** What was done, from the record: the latest progress notes, else the passage a later report was confirmed to contain. */
function deeds(t: RecordTask): string | null {
  const notes = [...new Set(t.notes.map(n => clause(n.note)).filter(Boolean))].slice(-2)
  if (notes.length) return notes.join('，')
  const passage = t.confirmedEvidence.at(-1)?.passage
  return passage ? clause(passage).replace(/^(我[局委办厅院所部会处]|我单位|我中心)/, '') : null
}

/** The status as a report says it, with its date. */
function outcome(t: RecordTask): string {
  const overdue = t.overdueDays && t.dueDate ? `，已超过整改时限（${chineseDate(t.dueDate)}）${t.overdueDays}天` : ''
  switch (t.status) {
    case 'closed':
      return t.closedOn ? `已于${chineseDate(t.closedOn)}完成整改` : '已完成整改'
    case 'pending_review':
      return `整改工作已基本完成，正在核验${overdue}`
    case 'in_progress':
      return `目前正在推进${t.progress > 0 ? `，完成进度${t.progress}%` : ''}${overdue}`
    case 'unassigned':
      return `整改工作尚未启动${overdue}`
    case 'ongoing':
      return '作为长期性工作持续推进'
    case 'cancelled':
      return '该项已不再推进'
  }
}

/** One sentence for one of last year's tasks. */
export function priorSentence(t: RecordTask, self: string): DraftSentence {
  const done = deeds(t)
  const subject = t.kind === 'problem' ? `针对“${clause(t.title)}”的问题` : `关于“${clause(t.title)}”的改进措施`
  return { taskId: t.id, status: t.status, text: `${subject}，${done ? `${self}${done}，` : ''}${outcome(t)}。` }
}

const OPEN: readonly TaskStatus[] = ['unassigned', 'in_progress', 'pending_review', 'ongoing']

export function buildSectionFiveDraft(input: {
  agencyId: string
  agencyName: string
  year: number
  prior: ReportRecord | null
  current: ReportRecord | null
}): SectionFiveDraft {
  const self = selfName(input.agencyName)
  const sections: DraftSection[] = []
  if (input.prior) {
    const { groups, others } = groupByProblem(input.prior.tasks)
    const paragraphs: DraftParagraph[] = groups.map(g => ({
      key: `prior-${g.problem.id}`,
      sentences: [g.problem, ...g.measures].map(t => priorSentence(t, self)),
    }))
    if (others.length) paragraphs.push({ key: 'prior-others', sentences: others.map(t => priorSentence(t, self)) })
    sections.push({ heading: `（一）${input.prior.report.year ?? '上'}年度报告所列问题整改情况`, paragraphs })
  }
  if (input.current) {
    const problems = input.current.tasks.filter(t => t.kind === 'problem' && OPEN.includes(t.status))
    const plans = input.current.tasks.filter(t => t.kind === 'plan' && OPEN.includes(t.status))
    if (problems.length)
      sections.push({
        heading: `（${cnNumber(sections.length + 1)}）存在的主要问题`,
        paragraphs: [
          {
            key: 'current-problems',
            sentences: problems.map((t, i) => ({
              taskId: t.id,
              status: t.status,
              text: `${ORDINALS(i + 1)}${clause(withoutMarker(t.text || t.title))}。`,
            })),
          },
        ],
      })
    if (plans.length)
      sections.push({
        heading: `（${cnNumber(sections.length + 1)}）改进措施`,
        paragraphs: [
          {
            key: 'current-plans',
            sentences: plans.map((t, i) => ({
              taskId: t.id,
              status: t.status,
              text: `${ORDINALS(i + 1)}${clause(withoutMarker(t.text || t.title))}。`,
            })),
          },
        ],
      })
  }
  return {
    agencyId: input.agencyId,
    agencyName: input.agencyName,
    year: input.year,
    priorYear: input.prior?.report.year ?? null,
    priorReportId: input.prior?.report.id ?? null,
    currentReportId: input.current?.report.id ?? null,
    sections,
  }
}

/** A paragraph's text as the draft proposes it. */
export const paragraphText = (p: DraftParagraph) => p.sentences.map(s => s.text).join('')

/** The whole draft as plain text (for copying), with the supervisor's edits where given (by paragraph key). */
export function draftText(draft: SectionFiveDraft, edits: Record<string, string> = {}): string {
  const out = ['五、存在的主要问题及改进情况']
  for (const s of draft.sections) {
    out.push(s.heading)
    for (const p of s.paragraphs) out.push(`　　${(edits[p.key] ?? paragraphText(p)).trim()}`)
  }
  return out.join('\n')
}

/** The draft as a Word document, with the supervisor's edits where given. */
export function sectionFiveDocument(draft: SectionFiveDraft, edits: Record<string, string> = {}): DocModel {
  const blocks: DocBlock[] = [
    { type: 'title', text: `${draft.agencyName}${draft.year}年政府信息公开工作年度报告\n（第五部分草稿）` },
    { type: 'heading', text: '五、存在的主要问题及改进情况' },
  ]
  for (const s of draft.sections) {
    blocks.push({ type: 'heading', text: s.heading })
    for (const p of s.paragraphs) {
      const text = (edits[p.key] ?? paragraphText(p)).trim()
      if (text) blocks.push({ type: 'paragraph', text })
    }
  }
  return { title: `${draft.agencyName}${draft.year}年度报告第五部分草稿`, blocks }
}
