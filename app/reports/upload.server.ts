// Upload: validate by decoding (bad files are refused and nothing is stored), store, queue. Decoding
// and the preview's extraction run in the web process's extraction threads (upload-threads.server.ts).
import type { DB } from '../../db/db'
import { isStorageFull } from '../errors'
import type { SessionUser } from '../auth/session.server'
import { uploadLimits } from '../limits'
import { DocumentError, type DecodedDocument } from '../documents/decode'
import { requestReportProcessing } from '../jobs/client.server'
import { storeReport, type StoreResult } from './reports.server'
import { storedFilename } from '../documents/filename'
import type { DocumentRefusal, UploadDecodeInput, UploadPreview } from './analyse'
import { uploadThreads } from './upload-threads.server'

export function maxUploadBytes(): number {
  return uploadLimits().reportBytes
}

export type UploadInput = { kind: 'file'; bytes: Uint8Array; filename: string } | { kind: 'paste'; text: string; title?: string }

export type UploadResult = ({ ok: true } & StoreResult) | { ok: false; status: number; error: string }

const toThread = (input: UploadInput): UploadDecodeInput =>
  input.kind === 'file'
    ? { kind: 'file', bytes: input.bytes, filename: input.filename, maxBytes: maxUploadBytes() }
    : { kind: 'paste', text: input.text, maxBytes: maxUploadBytes() }

/** A thread's answer, or the reason it could not give one, as the refusal the user sees. */
async function inThread<T extends object>(run: () => Promise<T | DocumentRefusal>): Promise<T> {
  let answer: T | DocumentRefusal
  try {
    answer = await run()
  } catch (err) {
    throw threadFailure(err)
  }
  if ('documentError' in answer) throw new DocumentError(answer.documentError.code, answer.documentError.message)
  return answer
}

/** Too many uploads waiting, or a thread ended by its heap limit: refusals in Chinese, not 500s. */
function threadFailure(err: unknown): unknown {
  const e = err as { message?: string; code?: string }
  if (e?.message === 'Task queue is at limit') return new UploadBusy()
  if (e?.code === 'ERR_WORKER_OUT_OF_MEMORY')
    return new DocumentError('too_large', '文件内容过于复杂，处理所需内存超过上限，已拒绝处理。请拆分文件或另存为 PDF、.docx 后再上传。')
  return err
}

class UploadBusy extends Error {}
const BUSY = { ok: false as const, status: 503, error: '服务器正在处理较多文件，请稍后重试。' }

export type PreviewResult = ({ ok: true } & UploadPreview) | { ok: false; status: number; error: string }

/** What the extractor would find, without storing anything (the upload page's 预览). */
export async function previewReport(input: UploadInput): Promise<PreviewResult> {
  try {
    const { preview } = await inThread(() => uploadThreads().previewUpload(toThread(input)))
    return { ok: true, ...preview }
  } catch (err) {
    if (err instanceof DocumentError) return { ok: false, status: err.status, error: err.message }
    if (err instanceof UploadBusy) return BUSY
    throw err
  }
}

export async function uploadReport(db: DB, user: SessionUser, input: UploadInput): Promise<UploadResult> {
  try {
    const { decoded } = await inThread<{ decoded: DecodedDocument }>(() => uploadThreads().decodeUpload(toThread(input)))
    const bytes = input.kind === 'file' ? input.bytes : new TextEncoder().encode(input.text)
    const filename =
      input.kind === 'file'
        ? storedFilename(input.filename)
        : storedFilename(`${(input.title?.trim() || '粘贴文本').replace(/[\\/]/g, '_').slice(0, 80)}.txt`)
    const stored = await storeReport(db, { bytes, filename, unitId: user.unitId, uploadedBy: user.id, decoded })
    if (!stored.duplicate) await requestReportProcessing(stored.report.id)
    return { ok: true, ...stored }
  } catch (err) {
    if (err instanceof DocumentError) return { ok: false, status: err.status, error: err.message }
    if (err instanceof UploadBusy) return BUSY
    // storeReport writes in one transaction: nothing of the report is kept.
    if (isStorageFull(err))
      return { ok: false, status: 507, error: '服务器存储空间不足，报告未保存。请稍后重试，或联系管理员清理存储空间。' }
    throw err
  }
}
