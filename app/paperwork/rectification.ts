// The 整改情况报告 of one annual report, as a document model: title, basis, totals, a table per
// problem (the problem's own task, then each measure that answers it), the measures that answer no
// problem, and a signature block. Pure: the record and today's date in, the document out. Every task
// of the record appears in exactly one row.
import type { DocBlock, DocCell, DocModel } from './docx'
import type { RecordTask, ReportRecord } from './record.server'
import { chineseDate, clause, completion } from './words'

const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十']
export const cnNumber = (n: number): string =>
  n <= 10
    ? NUMERALS[n - 1]
    : n < 20
      ? `十${NUMERALS[n - 11]}`
      : n < 100
        ? `${NUMERALS[Math.floor(n / 10) - 1]}十${n % 10 ? NUMERALS[(n % 10) - 1] : ''}`
        : String(n)

export const RECTIFICATION_COLUMNS = [
  { header: '问题', width: 16 },
  { header: '整改措施', width: 18 },
  { header: '责任单位', width: 10 },
  { header: '责任人', width: 7 },
  { header: '整改时限', width: 9 },
  { header: '完成情况', width: 12 },
  { header: '佐证材料', width: 18 },
  { header: '销号日期', width: 10 },
]

/** The report as its title names it: "某局2024年政府信息公开工作年度报告". */
export function reportName(r: ReportRecord['report']): string {
  if (r.agencyName && r.year) return `${r.agencyName}${r.year}年政府信息公开工作年度报告`
  return r.title ?? r.agencyName ?? r.filename
}

/** Which problem each measure is filed under: the first problem it answers that has a task; others are "other measures". */
export function groupByProblem(tasks: readonly RecordTask[]): {
  groups: Array<{ problem: RecordTask; measures: RecordTask[] }>
  others: RecordTask[]
} {
  const problems = tasks.filter(t => t.kind === 'problem')
  const bySeq = new Map(problems.map(p => [p.seq, p]))
  const groups = problems.map(problem => ({ problem, measures: [] as RecordTask[] }))
  const others: RecordTask[] = []
  for (const t of tasks) {
    if (t.kind !== 'plan') continue
    const home = t.answers.map(s => bySeq.get(s)).find(Boolean)
    if (home) groups.find(g => g.problem === home)!.measures.push(t)
    else others.push(t)
  }
  return { groups, others }
}

function taskCells(t: RecordTask, measure: string): DocCell[] {
  const note = t.notes.at(-1)?.note
  return [
    { lines: [measure] },
    { lines: [t.unitName] },
    { lines: [t.ownerName ?? '—'] },
    { lines: [t.dueDate ?? '—'] },
    { lines: note ? [completion(t), `进展：${clause(note)}`] : [completion(t)] },
    { lines: t.evidence.length ? t.evidence.map((e, i) => `${i + 1}. ${e.name}`) : ['—'] },
    { lines: [t.closedOn ?? '—'] },
  ]
}

export interface RectificationTotals {
  problems: number
  measures: number
  tasks: number
  byStatus: Record<string, number>
  overdue: number
  evidence: number
}

export function rectificationTotals(tasks: readonly RecordTask[]): RectificationTotals {
  const byStatus: Record<string, number> = {}
  for (const t of tasks) byStatus[t.status] = (byStatus[t.status] ?? 0) + 1
  return {
    problems: tasks.filter(t => t.kind === 'problem').length,
    measures: tasks.filter(t => t.kind === 'plan').length,
    tasks: tasks.length,
    byStatus,
    overdue: tasks.filter(t => t.overdueDays).length,
    evidence: tasks.reduce((n, t) => n + t.evidence.length, 0),
  }
}

export function buildRectificationReport(record: ReportRecord, today: string): DocModel {
  const { report, tasks } = record
  const name = reportName(report)
  const author = report.agencyName ?? report.unitName
  const title = `关于${name}所列问题整改情况的报告`
  const t = rectificationTotals(tasks)
  const n = (s: string) => t.byStatus[s] ?? 0
  const blocks: DocBlock[] = [
    { type: 'title', text: title },
    {
      type: 'paragraph',
      text: `根据《中华人民共和国政府信息公开条例》第五十条的规定，${author}在《${name}》“存在的主要问题及改进情况”部分列明了存在的问题和改进措施。现将上述问题的整改情况报告如下。`,
    },
    { type: 'heading', text: '一、总体情况' },
    {
      type: 'paragraph',
      text: tasks.length
        ? `报告列明问题 ${t.problems} 个、整改措施 ${t.measures} 项，共形成整改任务 ${t.tasks} 项。截至${chineseDate(today)}，已核验销号 ${n('closed')} 项，待核验 ${n('pending_review')} 项，正在整改 ${n('in_progress')} 项，待分派 ${n('unassigned')} 项，长期坚持 ${n('ongoing')} 项，已取消 ${n('cancelled')} 项；其中超过整改时限尚未完成 ${t.overdue} 项。共提交佐证材料 ${t.evidence} 份。`
        : '该报告尚未确认生成整改任务。',
    },
    { type: 'heading', text: '二、具体整改情况' },
  ]
  const { groups, others } = groupByProblem(tasks)
  groups.forEach(({ problem, measures }, i) => {
    const span = 1 + measures.length
    const rows: DocCell[][] = [
      [{ lines: [clause(problem.title)], rowSpan: span > 1 ? span : undefined, bold: true }, ...taskCells(problem, '针对本问题的整改')],
      ...measures.map(m => [null, ...taskCells(m, clause(m.title))]),
    ]
    blocks.push({
      type: 'table',
      caption: `（${cnNumber(i + 1)}）问题${cnNumber(i + 1)}：${clause(problem.title)}`,
      columns: RECTIFICATION_COLUMNS,
      rows,
    })
  })
  if (others.length) {
    blocks.push({
      type: 'table',
      caption: `（${cnNumber(groups.length + 1)}）其他整改措施`,
      columns: RECTIFICATION_COLUMNS,
      rows: others.map((m, i) => [
        i === 0 ? { lines: ['（未对应具体问题）'], rowSpan: others.length > 1 ? others.length : undefined } : null,
        ...taskCells(m, clause(m.title)),
      ]),
    })
  }
  blocks.push(
    { type: 'heading', text: '三、报送' },
    { type: 'paragraph', text: '以上情况，特此报告。' },
    { type: 'paragraph', text: `报送单位（盖章）：${report.unitName}`, align: 'right' },
    { type: 'paragraph', text: '负责人（签字）：　　　　　　　', align: 'right' },
    { type: 'paragraph', text: '填报人：　　　　　　联系电话：　　　　　　', align: 'right' },
    { type: 'paragraph', text: chineseDate(today), align: 'right' },
  )
  return { title, landscape: true, blocks }
}
