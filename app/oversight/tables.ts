// Every oversight table as rows of typed cells: the .xlsx and .csv exports are written from these,
// with the same rows (and the same totals row) the page shows. Pure.
import { zh } from '../ui/zh'
import { missingByAgency, type AgencyYear, type ComplianceRow, type MissingReport, type OverviewRow } from './figures'
import type { Recurrence, TopicGroup, BoardTopic } from './recurring'
import type { AgeBucket } from './rules'
import type { PromiseYear } from './promises'

export type CellKind = 'text' | 'int' | 'percent' | 'date'
export type Cell = string | number | null

export interface TableColumn {
  header: string
  width: number
  kind: CellKind
}

export interface ExportTable {
  /** Worksheet name and the start of the file name. */
  name: string
  columns: TableColumn[]
  rows: Cell[][]
  /** The last row is a totals row. */
  totalsRow?: boolean
}

const text = (header: string, width = 14): TableColumn => ({ header, width, kind: 'text' })
const int = (header: string, width = 10): TableColumn => ({ header, width, kind: 'int' })
const pct = (header: string, width = 10): TableColumn => ({ header, width, kind: 'percent' })

/** How a cell reads in a CSV file (and anywhere text is needed). */
export function cellText(value: Cell, kind: CellKind): string {
  if (value === null) return ''
  if (kind === 'percent' && typeof value === 'number') return `${Math.round(value * 1000) / 10}%`
  return String(value)
}

export function csvRows(table: ExportTable): string[][] {
  return [table.columns.map(c => c.header), ...table.rows.map(r => r.map((v, i) => cellText(v, table.columns[i].kind)))]
}

export function overviewTable(o: { years: readonly number[]; rows: readonly OverviewRow[]; totals: OverviewRow }): ExportTable {
  const c = zh.oversight.columns
  const line = (r: OverviewRow): Cell[] => [
    r.name,
    ...o.years.map(y => r.reportsByYear[y] ?? 0),
    r.tasks,
    r.commitments,
    r.problems,
    r.closed,
    r.closedRate,
    r.overdue,
    r.returned,
    r.recurring,
    r.evidenced,
  ]
  return {
    name: zh.oversight.tables.overview,
    columns: [
      text(c.agency, 32),
      ...o.years.map(y => int(zh.oversight.tables.reportsOfYear(y))),
      int(c.tasks),
      int(c.commitments),
      int(c.problems),
      int(zh.oversight.agency.columns.closed),
      pct(c.closedRate),
      int(c.overdue),
      int(c.returned),
      int(c.recurring),
      int(c.evidenced, 14),
    ],
    rows: [...o.rows.map(line), line(o.totals)],
    totalsRow: true,
  }
}

export function complianceTable(rows: readonly ComplianceRow[]): ExportTable {
  const c = zh.oversight.compliance.columns
  const t = zh.oversight.compliance
  return {
    name: zh.oversight.tables.compliance,
    columns: [
      text(c.agency, 32),
      int(c.year, 8),
      text(c.title, 40),
      { ...text(c.published, 12), kind: 'date' },
      { ...text(c.deadline, 12), kind: 'date' },
      text(c.timeliness, 10),
      int(c.problems),
      int(c.plans),
      text(c.followUp, 12),
    ],
    rows: rows.map(r => [
      r.agencyName,
      r.year,
      r.title,
      r.publishedAt?.slice(0, 10) ?? null,
      r.deadline,
      t.timeliness[r.timeliness],
      r.problems,
      r.plans,
      t.followUp[r.followUp],
    ]),
  }
}

export function missingTable(missing: readonly MissingReport[]): ExportTable {
  const c = zh.oversight.compliance.missingColumns
  return {
    name: zh.oversight.tables.missing,
    columns: [text(c.agency, 32), text(c.year, 40), int(c.count)],
    rows: missingByAgency(missing).map(m => [m.agencyName, m.years.join('、'), m.years.length]),
  }
}

function recurrenceCells(e: Recurrence): Cell[] {
  const t = zh.oversight.recurring
  return [e.agencyName, e.earlierYear, e.earlierTitle, e.laterYear, e.laterTitle, t.statuses[e.status]]
}

export function recurringTable(groups: readonly TopicGroup[]): ExportTable {
  const c = zh.oversight.recurring.columns
  return {
    name: zh.oversight.tables.recurring,
    columns: [
      text(c.topic, 24),
      text(c.agency, 28),
      int(zh.oversight.agency.earlier, 10),
      text(c.earlier, 40),
      int(zh.oversight.agency.later, 10),
      text(c.later, 40),
      text(c.status, 8),
    ],
    rows: groups.flatMap(g => g.entries.map(e => [g.label, ...recurrenceCells(e)])),
  }
}

export function agencyYearsTable(years: readonly AgencyYear[]): ExportTable {
  const c = zh.oversight.agency.columns
  return {
    name: zh.oversight.tables.agencyYears,
    columns: [
      int(c.year, 8),
      int(c.reports, 8),
      int(c.tasks),
      int(c.closed),
      pct(c.closedRate),
      int(c.onTime),
      int(c.late),
      int(c.overdue, 12),
      int(c.returned),
      int(c.admitted, 12),
      int(c.recurring),
      int(c.commitments),
    ],
    rows: years.map(y => [
      y.year,
      y.reports,
      y.tasks,
      y.closed,
      y.closedRate,
      y.closedOnTime,
      y.closedLate,
      y.overdue,
      y.returned,
      y.problemsAdmitted,
      y.problemsRecurring,
      y.commitments,
    ]),
  }
}

export function agencyRecurringTable(
  recurrences: readonly (Recurrence & { topics: BoardTopic[] })[],
  topicLabel: (t: BoardTopic) => string,
): ExportTable {
  const a = zh.oversight.agency
  const c = zh.oversight.recurring.columns
  return {
    name: zh.oversight.tables.agencyRecurring,
    columns: [int(a.earlier, 10), text(c.earlier, 40), int(a.later, 10), text(c.later, 40), text(a.topic, 28), text(a.status, 8)],
    rows: recurrences.map(r => [
      r.earlierYear,
      r.earlierTitle,
      r.laterYear,
      r.laterTitle,
      r.topics.map(topicLabel).join('；'),
      zh.oversight.recurring.statuses[r.status],
    ]),
  }
}

export function agencyAgeTable(openByAge: readonly { bucket: AgeBucket; count: number }[]): ExportTable {
  const c = zh.oversight.agency.ageColumns
  return {
    name: zh.oversight.tables.agencyAge,
    columns: [text(c.bucket, 16), int(c.count)],
    rows: openByAge.map(b => [zh.oversight.agency.ageBuckets[b.bucket], b.count]),
  }
}

export function agencyPromisesTable(years: readonly PromiseYear[]): ExportTable {
  const c = zh.paperwork.promises.columns
  return {
    name: zh.paperwork.promises.title,
    columns: [
      int(c.year, 8),
      int(c.prior, 8),
      int(c.commitments),
      int(c.kept),
      pct(c.keptRate),
      int(c.problems),
      int(c.recurred),
      pct(c.recurredRate),
    ],
    rows: years.map(y => [y.year, y.priorYear, y.commitments, y.kept, y.keptRate, y.problems, y.recurred, y.recurredRate]),
  }
}
