// The oversight tables as .xlsx or .csv files of exactly the filter on the page, written by the
// same code as the ledger export (one way to export a table).
import type { DB } from '../../db/db'
import type { DownloadFile } from '../http.server'
import { writeCsv } from '../ledger/csv'
import { writeTableXlsx, type SheetColumn } from '../ledger/xlsx.server'
import { AppError } from '../errors'
import { todayInShanghai } from '../tasks/dates'
import type { Actor } from '../auth/scope'
import { zh } from '../ui/zh'
import type { OversightQuery } from './filters'
import { agency, compliance, overview, recurringBoard, resolveFilters } from './oversight.server'
import { topicLabel } from './recurring'
import { promiseFigures } from './promises.server'
import {
  agencyAgeTable,
  agencyPromisesTable,
  agencyRecurringTable,
  agencyYearsTable,
  complianceTable,
  csvRows,
  missingTable,
  overviewTable,
  recurringTable,
  type CellKind,
  type ExportTable,
} from './tables'

export const EXPORT_TABLES = [
  'overview',
  'compliance',
  'missing',
  'recurring',
  'agency-years',
  'agency-recurring',
  'agency-age',
  'agency-promises',
] as const
export type ExportTableName = (typeof EXPORT_TABLES)[number]

export function isExportTable(v: string | null): v is ExportTableName {
  return (EXPORT_TABLES as readonly string[]).includes(v ?? '')
}

async function buildTable(
  db: DB,
  actor: Actor,
  table: ExportTableName,
  q: OversightQuery,
  agencyId: string | null,
  today: string,
): Promise<{ table: ExportTable; prefix: string }> {
  const { filters } = await resolveFilters(db, actor, q, today)
  const range = zh.oversight.tables.rangeSuffix(filters.yearFrom, filters.yearTo)
  switch (table) {
    case 'overview': {
      // Every row, in the page's order.
      const o = await overview(db, actor, { ...filters, status: q.status, sort: q.sort, dir: q.dir }, today)
      return { table: overviewTable(o), prefix: range }
    }
    case 'compliance':
    case 'missing': {
      const c = await compliance(db, actor, { ...filters, issue: q.issue }, today)
      return { table: table === 'compliance' ? complianceTable(c.rows) : missingTable(c.missing), prefix: range }
    }
    case 'recurring': {
      const b = await recurringBoard(db, actor, { ...filters, includePending: q.pending })
      return { table: recurringTable(b.groups), prefix: range }
    }
    default: {
      if (!agencyId) throw new AppError(400, zh.oversight.tables.badTable)
      // The agency page's range: the years in the URL, else every year of the agency.
      const page = await agency(
        db,
        actor,
        agencyId,
        { unitId: filters.unitId, yearFrom: q.from ? filters.yearFrom : undefined, yearTo: q.to ? filters.yearTo : undefined },
        today,
      )
      const t =
        table === 'agency-years'
          ? agencyYearsTable(page.years)
          : table === 'agency-recurring'
            ? agencyRecurringTable(page.recurrences, topic => topicLabel(topic, zh.oversight.recurring.wording))
            : table === 'agency-promises'
              ? agencyPromisesTable(await promiseFigures(db, page.reports))
              : agencyAgeTable(page.openByAge)
      return { table: t, prefix: page.agency.name }
    }
  }
}

const NUM_FMT: Record<CellKind, string | undefined> = { text: undefined, int: '0', percent: '0.0%', date: undefined }

export async function exportOversightTable(
  db: DB,
  actor: Actor,
  input: { table: ExportTableName; format: 'xlsx' | 'csv'; query: OversightQuery; agencyId: string | null },
  today = todayInShanghai(),
): Promise<DownloadFile> {
  const { table, prefix } = await buildTable(db, actor, input.table, input.query, input.agencyId, today)
  const filename = `${table.name}-${prefix}-${today}.${input.format}`
  if (input.format === 'csv')
    return { filename, contentType: 'text/csv; charset=utf-8', body: new TextEncoder().encode(writeCsv(csvRows(table))) }
  const columns: SheetColumn[] = table.columns.map(c => ({
    header: c.header,
    width: c.width,
    numFmt: NUM_FMT[c.kind],
    wrap: c.kind === 'text' && c.width >= 28,
  }))
  return {
    filename,
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    body: await writeTableXlsx({ sheetName: table.name, columns, rows: table.rows, totalsRow: table.totalsRow }),
  }
}
