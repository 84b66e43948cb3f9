// Storing an uploaded report, and the one processing step the worker runs on it.
import { createHash } from 'node:crypto'
import type { DB } from '../../db/db'
import { newId, nowIso } from '../../db/ids'
import type { Report, ReportItem, ReportStatus } from '../../db/schema'
import type { DecodedDocument } from '../documents/decode'
import { analyseReport, type AnalyseInput, type Analysis } from '../../workers/analyse'
import { resolveReportAgency } from '../followup/agencies.server'

export type StoreResult = { report: Pick<Report, 'id' | 'status' | 'filename'>; duplicate: boolean }

export interface StoreInput {
  bytes: Uint8Array
  filename: string
  unitId: string
  uploadedBy: string | null
  decoded?: DecodedDocument
}

/**
 * Stores the bytes (and the decoded text when the caller already decoded it) as a `queued` report.
 * Identical content is recognised by its sha256 and not stored twice.
 */
export async function storeReport(db: DB, input: StoreInput): Promise<StoreResult> {
  return db.transaction().execute(trx => storeReportIn(trx, input))
}

/**
 * storeReport inside the caller's transaction: a batch import stores a group of files in one
 * (one commit instead of one per file). Two stores of the same bytes at once: the unique sha256 lets
 * one insert, the other finds it and is a duplicate.
 */
export async function storeReportIn(trx: DB, input: StoreInput): Promise<StoreResult> {
  const sha256 = createHash('sha256').update(input.bytes).digest('hex')
  const findExisting = () => trx.selectFrom('reports').select(['id', 'status', 'filename']).where('sha256', '=', sha256).executeTakeFirst()
  const existing = await findExisting()
  if (existing) return { report: existing, duplicate: true }
  const id = newId()
  const now = nowIso()
  const report = {
    id,
    filename: input.filename,
    format: input.decoded?.format ?? null,
    size_bytes: input.bytes.byteLength,
    sha256,
    encoding: input.decoded?.encoding ?? null,
    text: input.decoded?.text ?? null,
    status: 'queued' as const,
    unit_id: input.unitId,
    uploaded_by: input.uploadedBy,
    created_at: now,
    updated_at: now,
    error: null,
    agency_id: null,
    agency_name: null,
    year: null,
    published_at: null,
    title: null,
    processed_at: null,
  }
  const inserted = await trx.insertInto('reports').values(report).onConflict(oc => oc.column('sha256').doNothing()).executeTakeFirst()
  if (!Number(inserted.numInsertedOrUpdatedRows ?? 0)) {
    const winner = await findExisting()
    if (winner) return { report: winner, duplicate: true }
    throw new Error(`report ${sha256} neither stored nor found`)
  }
  await trx.insertInto('report_sources').values({ report_id: id, bytes: Buffer.from(input.bytes) }).execute()
  return { report: { id, status: 'queued', filename: input.filename }, duplicate: false }
}

export type ProcessOutcome = 'extracted' | 'failed' | 'skipped'

/** Attempts (counted as each starts) after which an unfinished report is marked failed. */
export const MAX_PROCESS_ATTEMPTS = 5

export interface ProcessOptions {
  /** Fault-injection for tests: called inside the transaction after items are written, before commit. */
  beforeCommit?: () => Promise<void>
  /** Decode and extract; the worker passes its extraction threads (workers/extract-pool.ts). Default: here. */
  analyse?: (input: AnalyseInput) => Promise<Analysis>
}

/**
 * decode (if needed) → extract → file under an agency → store items, in one transaction, so a crash
 * at any point leaves either nothing or everything. Safe to run again: a report already extracted is
 * skipped. The follow-up step (prior-year reminders, linking) is a job of its own that the worker
 * queues after this returns 'extracted'; followup_done_at stays null until it has run.
 */
export async function processReport(db: DB, reportId: string, opts: ProcessOptions = {}): Promise<ProcessOutcome> {
  const report = await db.selectFrom('reports').select(['id', 'status', 'text', 'filename', 'attempts']).where('id', '=', reportId).executeTakeFirst()
  if (!report || report.status === 'extracted' || report.status === 'confirmed' || report.status === 'failed') return 'skipped'
  // Each attempt is counted before the work: a report whose processing kills the worker every time
  // (it never gets to fail normally) stops here instead of being retried for ever.
  if (report.attempts >= MAX_PROCESS_ATTEMPTS) return markFailed(db, reportId, `已尝试处理 ${report.attempts} 次均未完成（处理进程中断），不再重试。请检查文件后重新上传。`)
  await db
    .updateTable('reports')
    .set(eb => ({ status: 'processing' as ReportStatus, attempts: eb('attempts', '+', 1), updated_at: nowIso() }))
    .where('id', '=', reportId)
    .execute()

  let input: AnalyseInput
  if (report.text !== null) input = { text: report.text }
  else {
    const source = await db.selectFrom('report_sources').select('bytes').where('report_id', '=', reportId).executeTakeFirst()
    if (!source) return markFailed(db, reportId, '原始文件缺失，无法处理。')
    input = { bytes: new Uint8Array(source.bytes), filename: report.filename }
  }
  const analysis = await (opts.analyse ?? analyseReport)(input)
  if ('documentError' in analysis) return markFailed(db, reportId, analysis.documentError)
  const { extraction, text, decoded } = analysis
  const now = nowIso()
  await db.transaction().execute(async trx => {
    // A write first: on SQLite the transaction then holds the write lock, which keeps two reports'
    // agency resolutions apart (see resolveAgency).
    await trx.deleteFrom('report_items').where('report_id', '=', reportId).execute()
    const agencyId = await resolveReportAgency(trx, extraction)
    // In chunks: PostgreSQL takes at most 65,535 parameters a statement (a 6 MB text has 12,000 items).
    const rows = extraction.items.map((item, seq) => ({
      id: newId(),
      report_id: reportId,
      seq,
      kind: item.kind,
      title: item.title,
      text: item.text,
      start_offset: item.start,
      end_offset: item.end,
      answers: JSON.stringify(item.answers),
      due_date: item.due,
      created_at: now,
    }))
    for (let i = 0; i < rows.length; i += 1000) await trx.insertInto('report_items').values(rows.slice(i, i + 1000)).execute()
    await trx
      .updateTable('reports')
      .set({
        status: 'extracted',
        error: null,
        text,
        ...(decoded ? { encoding: decoded.encoding, format: decoded.format } : {}),
        agency_id: agencyId,
        agency_name: extraction.agency,
        year: extraction.year,
        published_at: extraction.publishedAt,
        title: extraction.title,
        processed_at: now,
        updated_at: now,
        followup_done_at: null,
      })
      .where('id', '=', reportId)
      .execute()
    await opts.beforeCommit?.()
  })
  return 'extracted'
}

export async function markFailed(db: DB, reportId: string, reason: string): Promise<'failed'> {
  await db.updateTable('reports').set({ status: 'failed', error: reason, updated_at: nowIso() }).where('id', '=', reportId).execute()
  return 'failed'
}

/** Reports left queued or processing (e.g. Redis was down or a worker died): the worker re-queues them. */
export async function listUnfinishedReports(db: DB, olderThanMs = 0): Promise<string[]> {
  const before = new Date(Date.now() - olderThanMs).toISOString()
  const rows = await db.selectFrom('reports').select('id').where('status', 'in', ['queued', 'processing']).where('updated_at', '<=', before).execute()
  return rows.map(r => r.id)
}

export function itemAnswers(item: Pick<ReportItem, 'answers'>): number[] {
  try {
    const v = JSON.parse(item.answers)
    return Array.isArray(v) ? v.filter(n => Number.isInteger(n)) : []
  } catch {
    return []
  }
}
