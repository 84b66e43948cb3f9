// Reading a report file for the command-line tools: bytes from disk, decoded like an upload.
import fs from 'node:fs'
import path from 'node:path'
import { decodeDocument, DocumentError, type DecodedDocument } from '../documents/decode'

export async function readDocument(file: string): Promise<DecodedDocument> {
  const bytes = new Uint8Array(fs.readFileSync(file))
  return decodeDocument({ bytes, filename: path.basename(file) })
}

/** Why a file could not be read, in Chinese. */
export function readError(file: string, e: unknown): string {
  if (e instanceof DocumentError) return e.message
  const code = (e as NodeJS.ErrnoException)?.code
  if (code === 'ENOENT') return `找不到文件“${file}”。`
  if (code === 'EISDIR') return `“${file}”是一个目录，不是文件。`
  if (code === 'EACCES') return `没有权限读取文件“${file}”。`
  return `无法读取文件“${file}”：${(e as Error)?.message ?? String(e)}`
}
