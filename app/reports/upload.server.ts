// Upload: validate by decoding (bad files are refused and nothing is stored), store, queue.
import type { DB } from '../../db/db'
import { isStorageFull } from '../errors'
import type { SessionUser } from '../auth/session.server'
import { uploadLimits } from '../limits'
import { decodeDocument, decodePastedText, DocumentError } from '../documents/decode'
import { requestReportProcessing } from '../jobs.server'
import { extractReport } from '../extract/index'
import { storeReport, type StoreResult } from './reports.server'

export function maxUploadBytes(): number {
  return uploadLimits().reportBytes
}

/**
 * The name a report is stored and shown under: the base name only (a client may send a path such as
 * "../../etc/passwd.txt"), without control or bidirectional-override characters (which could make
 * "x\u202etxt.exe" look like "xexe.txt"), at most 120 characters with the extension kept.
 */
export function storedFilename(filename: string): string {
  let name = String(filename ?? '').split(/[\\/]/).pop() ?? ''
  name = name.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '').trim()
  if (name.length > 120) {
    const dot = name.lastIndexOf('.')
    const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : ''
    name = name.slice(0, 120 - ext.length) + ext
  }
  return name || '未命名文件'
}

export type UploadInput = { kind: 'file'; bytes: Uint8Array; filename: string } | { kind: 'paste'; text: string; title?: string }

export type UploadResult = ({ ok: true } & StoreResult) | { ok: false; status: number; error: string }

function decodeInput(input: UploadInput) {
  const maxBytes = maxUploadBytes()
  return input.kind === 'file' ? decodeDocument({ bytes: input.bytes, filename: input.filename, maxBytes }) : Promise.resolve(decodePastedText(input.text, maxBytes))
}

export type PreviewResult =
  | { ok: true; encoding: string; format: string; agency: string | null; year: number | null; publishedAt: string | null; items: { kind: 'problem' | 'plan'; title: string; due: string | null }[] }
  | { ok: false; status: number; error: string }

/** What the extractor would find, without storing anything (the upload page's 预览). */
export async function previewReport(input: UploadInput): Promise<PreviewResult> {
  try {
    const decoded = await decodeInput(input)
    const x = extractReport(decoded.text)
    return { ok: true, encoding: decoded.encoding, format: decoded.format, agency: x.agency, year: x.year, publishedAt: x.publishedAt, items: x.items.map(i => ({ kind: i.kind, title: i.title, due: i.due })) }
  } catch (err) {
    if (err instanceof DocumentError) return { ok: false, status: err.status, error: err.message }
    throw err
  }
}

export async function uploadReport(db: DB, user: SessionUser, input: UploadInput): Promise<UploadResult> {
  try {
    const decoded = await decodeInput(input)
    const bytes = input.kind === 'file' ? input.bytes : new TextEncoder().encode(input.text)
    const filename = input.kind === 'file' ? storedFilename(input.filename) : storedFilename(`${(input.title?.trim() || '粘贴文本').replace(/[\\/]/g, '_').slice(0, 80)}.txt`)
    const stored = await storeReport(db, { bytes, filename, unitId: user.unitId, uploadedBy: user.id, decoded })
    if (!stored.duplicate) await requestReportProcessing(stored.report.id)
    return { ok: true, ...stored }
  } catch (err) {
    if (err instanceof DocumentError) return { ok: false, status: err.status, error: err.message }
    // storeReport writes in one transaction: nothing of the report is kept.
    if (isStorageFull(err)) return { ok: false, status: 507, error: '服务器存储空间不足，报告未保存。请稍后重试，或联系管理员清理存储空间。' }
    throw err
  }
}
