// Upload: validate by decoding (bad files are refused and nothing is stored), store, queue.
import type { DB } from '../../db/db'
import type { SessionUser } from '../auth/session.server'
import { DEFAULT_MAX_BYTES, decodeDocument, decodePastedText, DocumentError } from '../documents/decode'
import { requestReportProcessing } from '../jobs.server'
import { storeReport, type StoreResult } from './reports.server'

export function maxUploadBytes(): number {
  return Number(process.env.MAX_UPLOAD_BYTES ?? DEFAULT_MAX_BYTES)
}

export type UploadInput = { kind: 'file'; bytes: Uint8Array; filename: string } | { kind: 'paste'; text: string; title?: string }

export type UploadResult = ({ ok: true } & StoreResult) | { ok: false; status: number; error: string }

export async function uploadReport(db: DB, user: SessionUser, input: UploadInput): Promise<UploadResult> {
  try {
    const maxBytes = maxUploadBytes()
    const decoded = input.kind === 'file' ? await decodeDocument({ bytes: input.bytes, filename: input.filename, maxBytes }) : decodePastedText(input.text, maxBytes)
    const bytes = input.kind === 'file' ? input.bytes : new TextEncoder().encode(input.text)
    const filename = input.kind === 'file' ? input.filename : `${(input.title?.trim() || '粘贴文本').slice(0, 80)}.txt`
    const stored = await storeReport(db, { bytes, filename, unitId: user.unitId, uploadedBy: user.id, decoded })
    if (!stored.duplicate) await requestReportProcessing(stored.report.id)
    return { ok: true, ...stored }
  } catch (err) {
    if (err instanceof DocumentError) return { ok: false, status: err.status, error: err.message }
    throw err
  }
}
