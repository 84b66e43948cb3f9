// Turns uploaded bytes (or pasted text) into the document text every other part works on.
// Pure: takes bytes, returns text; no file system, no network.
import iconv from 'iconv-lite'

export type DocumentFormat = 'txt' | 'html' | 'docx' | 'pdf' | 'paste'

export interface DecodedDocument {
  text: string
  /** The encoding actually used, e.g. "UTF-8", "GB18030", "Big5", "UTF-16LE"; for docx/pdf the container format. */
  encoding: string
  format: DocumentFormat
}

export type DocumentErrorCode = 'unsupported_type' | 'empty' | 'too_large' | 'corrupt' | 'encoding' | 'no_text'

/** A document that cannot be read. `message` is Chinese and shown to the user as is. */
export class DocumentError extends Error {
  readonly code: DocumentErrorCode
  /** HTTP status an API should answer with. */
  readonly status: 400 | 413 | 415
  constructor(code: DocumentErrorCode, message: string) {
    super(message)
    this.name = 'DocumentError'
    this.code = code
    this.status = code === 'too_large' ? 413 : code === 'unsupported_type' ? 415 : 400
  }
}

export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024

export interface DecodeInput {
  bytes: Uint8Array
  filename: string
  maxBytes?: number
}

// Placeholder: plain text only (UTF-8, else GB18030). The ingest work replaces this with the full decoder.
export async function decodeDocument({ bytes, filename, maxBytes = DEFAULT_MAX_BYTES }: DecodeInput): Promise<DecodedDocument> {
  if (bytes.byteLength === 0) throw new DocumentError('empty', `文件“${filename}”是空的。`)
  if (bytes.byteLength > maxBytes) throw new DocumentError('too_large', `文件“${filename}”超过大小上限（${Math.round(maxBytes / 1048576)} MB）。`)
  if (!/\.(txt|text)$/i.test(filename)) throw new DocumentError('unsupported_type', `不支持的文件类型：“${filename}”。`)
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const utf8 = new TextDecoder('utf-8', { fatal: false }).decode(buf)
  if (!utf8.includes('\uFFFD')) return { text: utf8.replace(/^\uFEFF/, ''), encoding: 'UTF-8', format: 'txt' }
  return { text: iconv.decode(buf, 'gb18030'), encoding: 'GB18030', format: 'txt' }
}

export function decodePastedText(text: string, maxBytes = DEFAULT_MAX_BYTES): DecodedDocument {
  if (!text.trim()) throw new DocumentError('empty', '粘贴的文本是空的。')
  if (Buffer.byteLength(text, 'utf8') > maxBytes) throw new DocumentError('too_large', `粘贴的文本超过大小上限（${Math.round(maxBytes / 1048576)} MB）。`)
  return { text: text.replace(/^\uFEFF/, ''), encoding: 'UTF-8', format: 'paste' }
}
