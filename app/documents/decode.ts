// Turns uploaded bytes (or pasted text) into the document text every other part works on.
// Pure: takes bytes, returns text; no file system, no network. (pdfjs reads its own bundled CJK CMap
// tables from node_modules when a PDF needs them; that is library data, not user input.)
//
// Formats: .txt (any common Chinese encoding, detected), .html/.htm, .docx, .pdf, pasted text.
// Every bad input ends in a DocumentError with a Chinese message naming the file and the reason.
import { uploadLimits } from '../limits'
import { DocumentError, displayName, formatMB, type DocumentErrorCode } from './errors'
import { cleanText, decodeTextBytes, sniffBinaryType, textStats, tryUtf8 } from './encoding'
import { htmlToText, looksLikeHtml, sniffHtmlCharset } from './html'
import { DocxError, docxToText } from './docx'
import { checkInflatedSize, PdfError, PDF_LIMITS, pdfToText } from './pdf'
import { isZip } from './zip'

export { DocumentError }
export type { DocumentErrorCode }

export type DocumentFormat = 'txt' | 'html' | 'docx' | 'pdf' | 'paste'

export interface DecodedDocument {
  text: string
  /** The encoding actually used, e.g. "UTF-8", "GB18030", "Big5", "UTF-16LE"; for docx/pdf the container format. */
  encoding: string
  format: DocumentFormat
}

export const DEFAULT_MAX_BYTES = uploadLimits({}).reportBytes

export interface DecodeInput {
  bytes: Uint8Array
  filename: string
  maxBytes?: number
}

const TEXT_EXT = new Set(['txt', 'text'])
const HTML_EXT = new Set(['html', 'htm', 'xhtml', 'shtml', 'shtm'])

/** Extensions we recognise but cannot read, with advice. */
const UNSUPPORTED_ADVICE: Record<string, string> = {
  doc: '这是旧版 Word（.doc）格式，请在 Word 或 WPS 中另存为 .docx 或 PDF 后再上传',
  wps: '这是 WPS 文字格式，请另存为 .docx 或 PDF 后再上传',
  rtf: '请另存为 .docx、PDF 或文本文件后再上传',
  odt: '请另存为 .docx 或 PDF 后再上传',
  mht: '这是单个文件网页（MHT）格式，请在浏览器中另存为“网页，仅 HTML”，或另存为 .docx、PDF 后再上传',
  mhtml: '这是单个文件网页（MHT）格式，请在浏览器中另存为“网页，仅 HTML”，或另存为 .docx、PDF 后再上传',
  xls: '不支持表格文件，请上传报告正文（.docx、PDF、网页或文本）',
  xlsx: '不支持表格文件，请上传报告正文（.docx、PDF、网页或文本）',
  et: '不支持表格文件，请上传报告正文（.docx、PDF、网页或文本）',
  csv: '不支持表格文件，请上传报告正文（.docx、PDF、网页或文本）',
  ppt: '不支持演示文稿，请上传报告正文（.docx、PDF、网页或文本）',
  pptx: '不支持演示文稿，请上传报告正文（.docx、PDF、网页或文本）',
  ofd: '不支持 OFD 版式文件，请上传 PDF 或 .docx 版本',
  caj: '不支持 CAJ 文件，请上传 PDF 或 .docx 版本',
  zip: '不支持压缩包，请解压后逐个上传报告文件',
  rar: '不支持压缩包，请解压后逐个上传报告文件',
  '7z': '不支持压缩包，请解压后逐个上传报告文件',
  png: '不支持图片，请上传含文字的 .docx、PDF、网页或文本',
  jpg: '不支持图片，请上传含文字的 .docx、PDF、网页或文本',
  jpeg: '不支持图片，请上传含文字的 .docx、PDF、网页或文本',
  gif: '不支持图片，请上传含文字的 .docx、PDF、网页或文本',
  bmp: '不支持图片，请上传含文字的 .docx、PDF、网页或文本',
  tif: '不支持图片，请上传含文字的 .docx、PDF、网页或文本',
  tiff: '不支持图片，请上传含文字的 .docx、PDF、网页或文本',
}

const SUPPORTED_LIST = '支持的格式：.txt、.html/.htm、.docx、.pdf'

function extensionOf(filename: string): string {
  const base =
    String(filename ?? '')
      .split(/[\\/]/)
      .pop() ?? ''
  const dot = base.lastIndexOf('.')
  return dot > 0 || (dot === 0 && base.length > 1)
    ? base
        .slice(dot + 1)
        .toLowerCase()
        .trim()
    : ''
}

function sizeCheck(size: number, maxBytes: number, what: string): void {
  if (size > maxBytes) {
    throw new DocumentError('too_large', `${what}过大（${formatMB(size)}），超过上限 ${formatMB(maxBytes)}，请拆分或压缩后再上传。`)
  }
}

function finish(text: string, encoding: string, format: DocumentFormat, name: string): DecodedDocument {
  const t = cleanText(text)
  if (!/\S/.test(t)) {
    if (format === 'txt') throw new DocumentError('empty', `文件“${name}”没有文字内容（只有空白）。`)
    const what = format === 'html' ? '网页中没有可见的文字' : format === 'docx' ? 'Word 文档中没有文字' : '文件中没有文字'
    throw new DocumentError('no_text', `文件“${name}”无法读取：${what}。`)
  }
  return { text: t, encoding, format }
}

function decodeTxt(bytes: Uint8Array, filename: string, name: string): DecodedDocument {
  const kind = sniffBinaryType(bytes)
  if (kind) {
    throw new DocumentError('unsupported_type', `文件“${name}”扩展名是文本，但内容实际是${kind}，无法作为文本读取。${SUPPORTED_LIST}。`)
  }
  const { text, encoding } = decodeTextBytes(bytes, filename)
  const start = cleanText(text.slice(0, 4096))
  if (looksLikeHtml(start)) return finish(htmlToText(cleanText(text)), encoding, 'html', name)
  return finish(text, encoding, 'txt', name)
}

function decodeHtml(bytes: Uint8Array, filename: string, name: string): DecodedDocument {
  const kind = sniffBinaryType(bytes)
  if (kind && kind !== 'RTF 文档') {
    throw new DocumentError('unsupported_type', `文件“${name}”扩展名是网页，但内容实际是${kind}，无法读取。${SUPPORTED_LIST}。`)
  }
  const declared = sniffHtmlCharset(bytes)
  const { text, encoding } = decodeTextBytes(bytes, filename, declared)
  return finish(htmlToText(cleanText(text)), encoding, 'html', name)
}

function decodeDocx(bytes: Uint8Array, name: string): DecodedDocument {
  if (!isZip(bytes)) {
    if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) {
      throw new DocumentError(
        'unsupported_type',
        `文件“${name}”实际是旧版 Word（.doc）格式或已加密的 Word 文件，无法读取。请在 Word 或 WPS 中另存为（不加密的）.docx 或 PDF 后再上传。`,
      )
    }
    throw new DocumentError('corrupt', `文件“${name}”无法读取：Word 文件已损坏或不是有效的 .docx 文件。`)
  }
  let text: string
  try {
    text = docxToText(bytes)
  } catch (err) {
    if (err instanceof DocxError) {
      switch (err.kind) {
        case 'bomb':
          throw new DocumentError(
            'corrupt',
            `文件“${name}”无法读取：压缩结构异常（解压后体积与压缩比不合理，疑似“压缩炸弹”），已拒绝处理。`,
          )
        case 'too_large':
          throw new DocumentError('too_large', `文件“${name}”解压后内容过大，超过处理上限，请拆分文档或另存为 PDF 后再上传。`)
        case 'encrypted':
          throw new DocumentError('corrupt', `文件“${name}”无法读取：Word 文件已加密，请取消密码保护后再上传。`)
        case 'not_docx':
          throw new DocumentError(
            'corrupt',
            `文件“${name}”无法读取：Word 文件已损坏或不是有效的 .docx 文件（缺少正文 word/document.xml）。`,
          )
        default:
          throw new DocumentError('corrupt', `文件“${name}”无法读取：Word 文件已损坏或不是有效的 .docx 文件。`)
      }
    }
    throw new DocumentError('corrupt', `文件“${name}”无法读取：Word 文件已损坏或不是有效的 .docx 文件。`)
  }
  return finish(text, 'DOCX', 'docx', name)
}

async function decodePdf(bytes: Uint8Array, name: string): Promise<DecodedDocument> {
  // The header may follow some junk, but must be near the start.
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024)).toString('latin1')
  if (!head.includes('%PDF-')) {
    const kind = sniffBinaryType(bytes)
    throw new DocumentError(
      'corrupt',
      `文件“${name}”无法读取：不是有效的 PDF 文件${kind ? `（内容实际是${kind}）` : '（缺少 PDF 文件头）'}。`,
    )
  }
  let text: string
  try {
    await checkInflatedSize(bytes)
    text = await pdfToText(bytes)
  } catch (err) {
    if (err instanceof PdfError) {
      switch (err.kind) {
        case 'inflates_too_much':
          throw new DocumentError(
            'too_large',
            `文件“${name}”解压后内容过大（超过 ${formatMB(Number(err.message))}，疑似“压缩炸弹”），已拒绝处理。请上传正常导出的 PDF 或 .docx。`,
          )
        case 'encrypted':
          throw new DocumentError('corrupt', `文件“${name}”无法读取：PDF 已加密（需要密码），请上传未加密的版本。`)
        case 'too_many_pages':
          throw new DocumentError(
            'too_large',
            `文件“${name}”页数过多（${err.message} 页），超过上限 ${PDF_LIMITS.maxPages} 页，请拆分后再上传。`,
          )
        case 'timeout':
          throw new DocumentError(
            'too_large',
            `文件“${name}”解析超时（超过 ${PDF_LIMITS.timeoutMs / 1000} 秒），PDF 可能过大或过于复杂，请拆分后再上传。`,
          )
      }
    }
    throw new DocumentError('corrupt', `文件“${name}”无法读取：PDF 文件已损坏或格式无效。`)
  }
  const st = textStats(text, 200_000)
  if (st.total === 0) {
    throw new DocumentError('no_text', `文件“${name}”无法读取：该 PDF 没有文字层（可能是扫描件），请上传可复制文字的版本。`)
  }
  // Fonts without a Unicode mapping give private-use or control codes instead of text.
  if (st.bad / st.total > 0.3 || (st.cjk >= 20 && st.common / st.cjk < 0.15)) {
    throw new DocumentError(
      'no_text',
      `文件“${name}”无法读取：该 PDF 的文字层无法识别（字体缺少编码信息），请上传可复制文字的版本或 .docx。`,
    )
  }
  return finish(text, 'PDF', 'pdf', name)
}

export async function decodeDocument({ bytes, filename, maxBytes = DEFAULT_MAX_BYTES }: DecodeInput): Promise<DecodedDocument> {
  const name = displayName(filename)
  if (!(bytes instanceof Uint8Array)) throw new DocumentError('corrupt', `文件“${name}”无法读取：没有收到文件内容。`)
  // Size first, before anything looks at the content.
  sizeCheck(bytes.byteLength, maxBytes, `文件“${name}”`)
  if (bytes.byteLength === 0) throw new DocumentError('empty', `文件“${name}”是空的（0 字节）。`)
  const ext = extensionOf(filename)
  try {
    if (TEXT_EXT.has(ext)) {
      // A PDF or Word file saved with a .txt name: read it as what it is.
      if (isZip(bytes) && hasDocxMarkers(bytes)) return decodeDocx(bytes, name)
      if (isPdf(bytes)) return await decodePdf(bytes, name)
      return decodeTxt(bytes, filename, name)
    }
    if (HTML_EXT.has(ext)) return decodeHtml(bytes, filename, name)
    if (ext === 'docx' || ext === 'docm' || ext === 'dotx') return decodeDocx(bytes, name)
    if (ext === 'pdf') return await decodePdf(bytes, name)
    if (ext === 'doc') {
      // Government sites often serve HTML pages or real .docx files under a .doc name.
      if (isZip(bytes)) return decodeDocx(bytes, name)
      const start = tryUtf8(bytes.subarray(0, Math.min(bytes.length, 2048)))
      const latin = start ?? Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 2048)).toString('latin1')
      if (looksLikeHtml(latin)) return decodeHtml(bytes, filename, name)
    }
    const advice = UNSUPPORTED_ADVICE[ext]
    if (advice) throw new DocumentError('unsupported_type', `不支持文件“${name}”的类型（.${ext}）：${advice}。`)
    if (!ext) throw new DocumentError('unsupported_type', `不支持文件“${name}”：文件名没有扩展名，无法判断类型。${SUPPORTED_LIST}。`)
    throw new DocumentError('unsupported_type', `不支持文件“${name}”的类型（.${ext}）。${SUPPORTED_LIST}。`)
  } catch (err) {
    if (err instanceof DocumentError) throw err
    // A library failed in a way we did not foresee: still a clean, Chinese answer.
    const code: DocumentErrorCode = 'corrupt'
    throw new DocumentError(code, `文件“${name}”无法读取：文件已损坏或格式无法识别。`)
  }
}

function isPdf(bytes: Uint8Array): boolean {
  return bytes[0] === 0x25 && bytes[1] === 0x50 && bytes[2] === 0x44 && bytes[3] === 0x46 && bytes[4] === 0x2d
}

function hasDocxMarkers(bytes: Uint8Array): boolean {
  const s = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1', Math.max(0, bytes.length - 65536))
  return s.includes('word/document.xml')
}

export function decodePastedText(text: string, maxBytes = DEFAULT_MAX_BYTES): DecodedDocument {
  const t = typeof text === 'string' ? text : ''
  sizeCheck(Buffer.byteLength(t, 'utf8'), maxBytes, '粘贴的文本')
  if (!/\S/.test(t.replace(/^\uFEFF/, ''))) throw new DocumentError('empty', '粘贴的文本是空的。')
  return { text: cleanText(t), encoding: 'UTF-8', format: 'paste' }
}
