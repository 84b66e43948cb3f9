// The ledger as an Excel workbook (ExcelJS): written so it reads well when opened and printed,
// and read back tolerantly, whatever Excel or WPS did to the cells in between.
import ExcelJS from 'exceljs'
import { readCentralDirectory } from '../documents/zip'
import { zh } from '../ui/zh'
import { LEDGER_COLUMNS, type LedgerRow } from './columns'

const DATE_KEYS = new Set(['due', 'closedOn'])
const WRAP_KEYS = new Set(['problem', 'measure', 'progress', 'source'])
const XLSX_MAX_DECLARED = 100 * 1024 * 1024

function isoDateToCell(value: string): Date | string {
  const m = value.match(/^(\d{4})-(\d{2})-(\d{2})$/)
  // UTC midnight: ExcelJS turns it into a whole serial day number, with no time zone drift.
  return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : value
}

export interface SheetColumn {
  header: string
  width: number
  /** Excel number format, e.g. 'yyyy-mm-dd' or '0.0%'. */
  numFmt?: string
  wrap?: boolean
}

export type SheetCell = string | number | Date | null

/**
 * A table as a worksheet that reads well when opened and printed: frozen bold header, filters,
 * column widths and formats, landscape A4 fitted to the page width. Every exported table is written
 * through here (the ledger, the oversight tables).
 */
function addTableSheet(
  wb: ExcelJS.Workbook,
  name: string,
  columns: readonly SheetColumn[],
  rows: readonly (readonly SheetCell[])[],
): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, {
    views: [{ state: 'frozen', ySplit: 1 }],
    pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, paperSize: 9 },
  })
  ws.columns = columns.map(c => ({ header: c.header, width: c.width }))
  for (const r of rows) ws.addRow([...r])
  // Column styles first: they apply to every cell; the header's own style goes on top.
  columns.forEach((c, i) => {
    const col = ws.getColumn(i + 1)
    col.alignment = { vertical: 'top', wrapText: !!c.wrap }
    if (c.numFmt) col.numFmt = c.numFmt
  })
  const header = ws.getRow(1)
  header.font = { bold: true }
  header.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true }
  header.height = 22
  header.eachCell(cell => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } }
    cell.border = { bottom: { style: 'thin', color: { argb: 'FFBFBFBF' } } }
  })
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } }
  return ws
}

async function workbookBytes(wb: ExcelJS.Workbook): Promise<Uint8Array<ArrayBuffer>> {
  const out = await wb.xlsx.writeBuffer()
  return new Uint8Array(out as ArrayBuffer)
}

function newWorkbook(): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook()
  wb.creator = zh.appName
  wb.created = new Date()
  return wb
}

/** One table as an .xlsx file. `totalsRow`: the last row is a totals row (bold, rule above). */
export async function writeTableXlsx(table: {
  sheetName: string
  columns: readonly SheetColumn[]
  rows: readonly (readonly SheetCell[])[]
  totalsRow?: boolean
}): Promise<Uint8Array<ArrayBuffer>> {
  const wb = newWorkbook()
  const ws = addTableSheet(wb, table.sheetName, table.columns, table.rows)
  if (table.totalsRow && table.rows.length) {
    const last = ws.getRow(table.rows.length + 1)
    last.font = { bold: true }
    last.eachCell(cell => {
      cell.border = { top: { style: 'thin', color: { argb: 'FF7F7F7F' } } }
    })
  }
  return workbookBytes(wb)
}

export async function writeLedgerXlsx(rows: readonly LedgerRow[]): Promise<Uint8Array<ArrayBuffer>> {
  const wb = newWorkbook()
  const ws = addTableSheet(
    wb,
    zh.ledger.sheetName,
    LEDGER_COLUMNS.map(c => ({
      header: c.header,
      width: c.width,
      wrap: WRAP_KEYS.has(c.key),
      numFmt: DATE_KEYS.has(c.key) ? 'yyyy-mm-dd' : undefined,
    })),
    rows.map(r =>
      LEDGER_COLUMNS.map(c =>
        c.key === 'seq' && /^\d+$/.test(r.seq) ? Number(r.seq) : DATE_KEYS.has(c.key) ? isoDateToCell(r[c.key]) : r[c.key],
      ),
    ),
  )
  // The technical column: grey, last, with a note so nobody "tidies" it away.
  const idCol = ws.getColumn(LEDGER_COLUMNS.length)
  idCol.font = { color: { argb: 'FF999999' }, size: 9 }
  const idHeader = ws.getRow(1).getCell(LEDGER_COLUMNS.length)
  idHeader.font = { bold: true, color: { argb: 'FF999999' } }
  idHeader.note = zh.ledger.idNote
  return workbookBytes(wb)
}

export class XlsxError extends Error {}

function cellText(value: ExcelJS.CellValue, numFmt: string | undefined): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number') return numFmt?.includes('%') ? `${Math.round(value * 100)}%` : String(value)
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE'
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10)
  if ('richText' in value) return value.richText.map(t => t.text).join('')
  if ('formula' in value || 'sharedFormula' in value)
    return cellText((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue, numFmt)
  if ('text' in value) return String((value as ExcelJS.CellHyperlinkValue).text ?? '')
  return '' // errors (#N/A …)
}

/** The first sheet (or the one named 整改台账) as rows of text. Dates come back as YYYY-MM-DD. */
export async function readLedgerXlsx(bytes: Uint8Array): Promise<string[][]> {
  // ExcelJS inflates the whole package: refuse zip bombs before it starts.
  let declared = 0
  try {
    declared = readCentralDirectory(bytes).reduce((sum, e) => sum + e.size, 0)
  } catch {
    throw new XlsxError('not a readable zip')
  }
  if (declared > XLSX_MAX_DECLARED) throw new XlsxError('too large when unpacked')
  const wb = new ExcelJS.Workbook()
  try {
    await wb.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ExcelJS.Buffer)
  } catch {
    throw new XlsxError('not a readable workbook')
  }
  const ws = wb.getWorksheet(zh.ledger.sheetName) ?? wb.worksheets[0]
  if (!ws) return []
  const rows: string[][] = []
  for (let r = 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r)
    const cells: string[] = []
    for (let c = 1; c <= Math.max(row.cellCount, 0); c++) {
      const cell = row.getCell(c)
      cells.push(cellText(cell.value, cell.numFmt))
    }
    rows.push(cells)
  }
  return rows
}
