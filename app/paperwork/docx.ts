// A document model (title, headings, paragraphs, tables) written as a Word .docx in the layout of
// government documents: title and headings in 黑体, body in 仿宋_GB2312 三号, first-line indent of two
// characters. Fonts are named, not embedded: each run names the Latin font (FangSong / SimHei) and
// the East Asian one (仿宋_GB2312 / 黑体), the names Word and WPS on office machines resolve.
import {
  AlignmentType,
  BorderStyle,
  Document,
  Packer,
  PageOrientation,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
} from 'docx'

export const FANGSONG = { ascii: 'FangSong', hAnsi: 'FangSong', cs: 'FangSong', eastAsia: '仿宋_GB2312' }
export const HEITI = { ascii: 'SimHei', hAnsi: 'SimHei', cs: 'SimHei', eastAsia: '黑体' }

/** A table cell: its lines (a list is one line each); `rowSpan` merges it down; null where a cell above covers it. */
export type DocCell = { lines: string[]; rowSpan?: number; bold?: boolean } | null

export type DocBlock =
  | { type: 'title'; text: string }
  | { type: 'heading'; text: string }
  | { type: 'paragraph'; text: string; align?: 'left' | 'right' | 'center'; indent?: boolean }
  | { type: 'table'; caption?: string; columns: Array<{ header: string; width: number }>; rows: DocCell[][] }

export interface DocModel {
  title: string
  landscape?: boolean
  blocks: DocBlock[]
}

/** Half-points: 二号 22pt, 三号 16pt, 小四 12pt, 五号 10.5pt. */
const SIZE = { title: 44, heading: 32, body: 32, table: 21 }

function lines(text: string, size: number, font: typeof FANGSONG, bold = false): TextRun[] {
  return text.split('\n').map((line, i) => new TextRun({ text: line, font, size, bold, break: i > 0 ? 1 : undefined }))
}

function block(b: Exclude<DocBlock, { type: 'table' }>): Paragraph {
  switch (b.type) {
    case 'title':
      return new Paragraph({
        alignment: AlignmentType.CENTER,
        spacing: { before: 240, after: 480, line: 560 },
        children: lines(b.text, SIZE.title, HEITI),
      })
    case 'heading':
      return new Paragraph({
        spacing: { before: 240, after: 120, line: 560 },
        indent: { firstLine: 640 },
        keepNext: true,
        children: lines(b.text, SIZE.heading, HEITI),
      })
    case 'paragraph': {
      const align = b.align === 'right' ? AlignmentType.RIGHT : b.align === 'center' ? AlignmentType.CENTER : AlignmentType.JUSTIFIED
      return new Paragraph({
        alignment: align,
        spacing: { line: 560 },
        indent: b.indent === false || b.align ? undefined : { firstLine: 640 },
        children: lines(b.text, SIZE.body, FANGSONG),
      })
    }
  }
}

const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' }
const borders = { top: border, bottom: border, left: border, right: border }

function cell(c: NonNullable<DocCell>, width: number, header = false): TableCell {
  const paragraphs = (c.lines.length ? c.lines : ['']).map(
    text =>
      new Paragraph({
        alignment: header ? AlignmentType.CENTER : AlignmentType.LEFT,
        children: lines(text, SIZE.table, header || c.bold ? HEITI : FANGSONG),
      }),
  )
  return new TableCell({
    children: paragraphs,
    rowSpan: c.rowSpan,
    borders,
    width: { size: width, type: WidthType.PERCENTAGE },
    verticalAlign: VerticalAlignTable.CENTER,
    margins: { top: 60, bottom: 60, left: 80, right: 80 },
  })
}

function table(b: Extract<DocBlock, { type: 'table' }>): Array<Paragraph | Table> {
  const total = b.columns.reduce((s, c) => s + c.width, 0)
  const pct = b.columns.map(c => (100 * c.width) / total)
  const header = new TableRow({ tableHeader: true, children: b.columns.map((c, i) => cell({ lines: [c.header] }, pct[i], true)) })
  const rows = b.rows.map(r => new TableRow({ cantSplit: true, children: r.flatMap((c, i) => (c ? [cell(c, pct[i])] : [])) }))
  const out: Array<Paragraph | Table> = []
  if (b.caption)
    out.push(new Paragraph({ spacing: { before: 240, after: 120 }, keepNext: true, children: lines(b.caption, SIZE.heading - 4, HEITI) }))
  out.push(new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [header, ...rows] }))
  return out
}

/** The .docx bytes of a document model. */
export async function renderDocx(model: DocModel): Promise<Uint8Array<ArrayBuffer>> {
  const doc = new Document({
    title: model.title,
    creator: '整改跟踪',
    styles: { default: { document: { run: { font: FANGSONG, size: SIZE.body } } } },
    sections: [
      {
        properties: {
          page: {
            size: model.landscape ? { orientation: PageOrientation.LANDSCAPE } : {},
            // 公文 margins: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (in twips)
            margin: model.landscape
              ? { top: 1418, bottom: 1418, left: 1588, right: 1474 }
              : { top: 2098, bottom: 1984, left: 1588, right: 1474 },
          },
        },
        children: model.blocks.flatMap(b => (b.type === 'table' ? table(b) : [block(b)])),
      },
    ],
  })
  const buf = await Packer.toBuffer(doc)
  return new Uint8Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)) as Uint8Array<ArrayBuffer>
}
