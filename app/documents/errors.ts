// The one error type the document decoder throws for bad input. Re-exported by decode.ts.

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

/** The file name as shown in messages: no directories, no control characters, not absurdly long. */
export function displayName(filename: string): string {
  let name =
    String(filename ?? '')
      .split(/[\\/]/)
      .pop() ?? ''
  name = name.replace(/[\u0000-\u001f\u007f]/g, '').trim()
  if (name.length > 80) name = name.slice(0, 40) + '…' + name.slice(-30)
  return name || '（未命名文件）'
}

export function formatMB(bytes: number): string {
  const mb = bytes / (1024 * 1024)
  return mb >= 10 ? `${Math.round(mb)} MB` : `${Math.round(mb * 10) / 10} MB`
}
