// CSV as Excel on a Chinese desktop writes and reads it: RFC 4180 quoting, CRLF, UTF-8 with a BOM
// (without it Excel guesses GBK and shows mojibake), and cells that could run as formulas defused.

const BOM = '\uFEFF'

/** Leading characters that make Excel, WPS or LibreOffice treat a cell as a formula (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/

/** Prefixes a would-be formula with an apostrophe, which spreadsheets show as plain text. */
export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value
}

/** Undoes neutraliseFormula on import, so an exported file round-trips to the same text. */
export function restoreFormula(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value
}

function quote(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}

export function writeCsv(rows: readonly (readonly string[])[]): string {
  return BOM + rows.map(r => r.map(v => quote(neutraliseFormula(v))).join(',')).join('\r\n') + '\r\n'
}

export class CsvError extends Error {}

/**
 * Parses RFC 4180 text (also tolerating LF line ends and a tab delimiter, as Excel's "Unicode
 * text" export uses). Returns the records; a record keeps its cells' raw text.
 */
export function parseCsv(text: string): string[][] {
  if (text.startsWith(BOM)) text = text.slice(1)
  const firstLine = text.slice(0, text.search(/\r?\n|$/))
  const delimiter = !firstLine.includes(',') && firstLine.includes('\t') ? '\t' : ','
  const records: string[][] = []
  let record: string[] = []
  let cell = ''
  let quoted = false
  let i = 0
  while (i < text.length) {
    const ch = text[i]
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"'
          i += 2
          continue
        }
        quoted = false
        i++
        continue
      }
      cell += ch
      i++
      continue
    }
    if (ch === '"' && cell === '') {
      quoted = true
      i++
    } else if (ch === delimiter) {
      record.push(cell)
      cell = ''
      i++
    } else if (ch === '\r' || ch === '\n') {
      record.push(cell)
      records.push(record)
      record = []
      cell = ''
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1
    } else {
      cell += ch
      i++
    }
  }
  if (quoted) throw new CsvError('CSV 文件中有未闭合的引号。')
  if (cell !== '' || record.length) {
    record.push(cell)
    records.push(record)
  }
  return records
}

/**
 * Bytes of a CSV file to text. UTF-8 (with or without BOM) first; UTF-16 when it has a BOM; else
 * GB18030, which is what Excel on a Chinese Windows writes when "CSV" is chosen.
 */
export function decodeCsvBytes(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2))
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2))
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return new TextDecoder('gb18030').decode(bytes)
  }
}
