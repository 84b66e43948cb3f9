// Upload: validate by decoding (bad files are refused and nothing is stored), store, queue.
import type { DB } from '../../db/db'
import { isStorageFull } from '../errors'
import type { SessionUser } from '../auth/session.server'
import { uploadLimits } from '../limits'
import { decodeDocument, decodePastedText, DocumentError } from '../documents/decode'
import { requestReportProcessing } from '../jobs.server'
import { extractReport } from '../extract/index'
import { storeReport, type StoreResult } from './reports.server'
import { storedFilename } from '../documents/filename'

export function maxUploadBytes(): number {
  return uploadLimits().reportBytes
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
