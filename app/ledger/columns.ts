// The ledger (台账) format: the columns every rectification ledger carries, in the order people
// expect them, plus one technical column that lets an edited export update the same tasks.
// The headers are the file format itself, so they live here rather than in app/ui/zh.ts.

export const LEDGER_COLUMNS = [
  { key: 'seq', header: '序号', width: 6 },
  { key: 'problem', header: '问题', width: 44 },
  { key: 'measure', header: '整改措施', width: 44 },
  { key: 'unit', header: '责任单位', width: 20 },
  { key: 'owner', header: '责任人', width: 12 },
  { key: 'due', header: '整改时限', width: 13 },
  { key: 'progress', header: '整改进展', width: 32 },
  { key: 'status', header: '完成情况', width: 16 },
  { key: 'closedOn', header: '销号日期', width: 13 },
  { key: 'source', header: '来源报告', width: 28 },
  /** Technical: empty for a new row; an export fills it so an import updates the same task. */
  { key: 'taskId', header: '任务编号', width: 38 },
] as const

export type LedgerKey = (typeof LEDGER_COLUMNS)[number]['key']
export type LedgerRow = Record<LedgerKey, string>

export const LEDGER_HEADERS: readonly string[] = LEDGER_COLUMNS.map(c => c.header)

export function headerOf(key: LedgerKey): string {
  return LEDGER_COLUMNS.find(c => c.key === key)!.header
}

/** The ledger row as an array in column order, for writing a sheet. */
export function rowCells(row: LedgerRow): string[] {
  return LEDGER_COLUMNS.map(c => row[c.key])
}
