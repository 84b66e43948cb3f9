// Storing an uploaded report, and the one processing step the worker runs on it.
import { createHash } from 'node:crypto'
import type { DB } from '../../db/db'
import { newId, nowIso } from '../../db/ids'
import type { Report, ReportItem, ReportStatus } from '../../db/schema'
import type { DecodedDocument } from '../documents/decode'
import { analyseReport, type AnalyseInput, type Analysis } from './analyse'
import { fileAgency } from '../agencies/registry.server'
import { identifyingAgencyName } from '../agencies/resolve'
import { unitIdsUnder } from '../auth/scope.server'
import { defaultDueDate, todayInShanghai } from '../tasks/dates'

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
 * Identical content that the uploading unit can see is recognised by its sha256 and not stored twice.
 */
export async function storeReport(db: DB, input: StoreInput): Promise<StoreResult> {
  return (await db.transaction().execute(trx => storeReportsIn(trx, [input])))[0]
}

/**
 * storeReport for many files inside the caller's transaction (a batch import stores a group of files
 * in one): a few statements for the group instead of four per file.
 *
 * A file is a duplicate when a report with the same bytes is filed under its unit or a unit below it
 * (what the uploader of that unit sees), or came earlier in the same group for the same unit. Reports
 * of other trees are never looked at, so an answer never names a report the uploader cannot open,
 * and two provinces importing the same public report each keep their own (decision 022). Two stores
 * of the same bytes into one unit at once: the unique (sha256, unit_id) lets one insert; the other
 * finds it and is a duplicate.
 */
export async function storeReportsIn(trx: DB, inputs: StoreInput[]): Promise<StoreResult[]> {
  if (!inputs.length) return []
  const shas = inputs.map(input => createHash('sha256').update(input.bytes).digest('hex'))
  const keyOf = (unitId: string, sha: string) => `${unitId} ${sha}`
  const keys = inputs.map((input, i) => keyOf(input.unitId, shas[i]))
  const unitIds = [...new Set(inputs.map(i => i.unitId))]
  const paths = new Map(
    (await trx.selectFrom('units').select(['id', 'path']).where('id', 'in', unitIds).execute()).map(u => [u.id, u.path]),
  )
  type Found = StoreResult['report'] & { sha256: string; unit_id: string }
  /** Reports with these bytes within each unit's subtree; the unit's own first, then the oldest. */
  const findStored = async (wanted: string[]) => {
    const found = new Map<string, Found>()
    for (const unitId of unitIds) {
      const path = paths.get(unitId)
      const mine = [...new Set(wanted.filter(k => k.startsWith(`${unitId} `)).map(k => k.slice(unitId.length + 1)))]
      if (!path || !mine.length) continue
      for (let i = 0; i < mine.length; i += 500) {
        const rows = await trx
          .selectFrom('reports')
          .select(['id', 'status', 'filename', 'sha256', 'unit_id'])
          .where('sha256', 'in', mine.slice(i, i + 500))
          .where('unit_id', 'in', unitIdsUnder(trx, path))
          .orderBy('created_at')
          .orderBy('id')
          .execute()
        for (const r of rows) {
          const k = keyOf(unitId, r.sha256)
          const prev = found.get(k)
          if (!prev || (r.unit_id === unitId && prev.unit_id !== unitId)) found.set(k, r)
        }
      }
    }
    return new Map([...found].map(([k, r]) => [k, { id: r.id, status: r.status, filename: r.filename }]))
  }
  const stored = await findStored([...new Set(keys)])
  const now = nowIso()
  const fresh = new Map<string, { input: StoreInput; sha256: string; id: string }>()
  for (const [i, input] of inputs.entries())
    if (!stored.has(keys[i]) && !fresh.has(keys[i])) fresh.set(keys[i], { input, sha256: shas[i], id: newId() })
  const rows = [...fresh.values()].map(({ input, sha256, id }) => ({
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
  }))
  const inserted = new Set<string>()
  // In chunks: PostgreSQL takes at most 65,535 parameters a statement.
  for (let i = 0; i < rows.length; i += 500) {
    const done = await trx
      .insertInto('reports')
      .values(rows.slice(i, i + 500))
      .onConflict(oc => oc.columns(['sha256', 'unit_id']).doNothing())
      .returning(['sha256', 'unit_id'])
      .execute()
    for (const r of done) inserted.add(keyOf(r.unit_id, r.sha256))
  }
  // Lost to a store of the same bytes into the same unit in another transaction: that one is the report.
  const lost = [...fresh.keys()].filter(k => !inserted.has(k))
  if (lost.length) for (const [k, r] of await findStored(lost)) stored.set(k, r)
  const sources = [...fresh]
    .filter(([k]) => inserted.has(k))
    .map(([, { input, id }]) => ({ report_id: id, bytes: Buffer.from(input.bytes) }))
  for (let i = 0; i < sources.length; i += 500)
    await trx
      .insertInto('report_sources')
      .values(sources.slice(i, i + 500))
      .execute()

  const claimed = new Set<string>()
  return inputs.map((input, i) => {
    const key = keys[i]
    const mine = fresh.get(key)
    if (mine && inserted.has(key) && !claimed.has(key)) {
      claimed.add(key)
      return { report: { id: mine.id, status: 'queued', filename: mine.input.filename }, duplicate: false }
    }
    const existing =
      stored.get(key) ?? (mine && inserted.has(key) ? { id: mine.id, status: 'queued' as const, filename: mine.input.filename } : undefined)
    if (!existing) throw new Error(`report ${shas[i]} neither stored nor found in unit ${input.unitId}`)
    return { report: { id: existing.id, status: existing.status, filename: existing.filename }, duplicate: true }
  })
}

export type ProcessOutcome = 'extracted' | 'failed' | 'skipped'

/** Attempts (counted as each starts) after which an unfinished report is marked failed. */
export const MAX_PROCESS_ATTEMPTS = 5

export interface ProcessOptions {
  /** Fault-injection for tests: called inside the transaction after items are written, before commit. */
  beforeCommit?: () => Promise<void>
  /** Decode and extract; the worker passes its extraction threads (extract-pool.server.ts). Default: here. */
  analyse?: (input: AnalyseInput) => Promise<Analysis>
  /** The clock: today decides whether a suggested deadline is still ahead (default: the real time). */
  now?: Date
}

/**
 * decode (if needed) → extract → file under an agency → store the report's fields and items in one
 * transaction, so a crash at any point leaves the report either unprocessed or complete (an agency
 * filed for a new name stays, see fileAgency). Safe to run again: a report already extracted is
 * skipped. The follow-up step (prior-year reminders, linking) is a job of its own that the worker
 * queues after this returns 'extracted'; followup_done_at stays null until it has run.
 */
export async function processReport(db: DB, reportId: string, opts: ProcessOptions = {}): Promise<ProcessOutcome> {
  // Claimed and counted in one statement, which also reads what the extraction needs (the stored
  // bytes only when there is no text yet). Each attempt is counted before the work: a report whose
  // processing kills the worker every time (it never gets to fail normally) stops at the limit.
  const claimed = await db
    .updateTable('reports')
    .set(eb => ({ status: 'processing' as ReportStatus, attempts: eb('attempts', '+', 1), updated_at: nowIso() }))
    .where('id', '=', reportId)
    .where('status', 'in', ['queued', 'processing'])
    .where('attempts', '<', MAX_PROCESS_ATTEMPTS)
    .returning(eb => [
      'text',
      'filename',
      'attempts',
      eb
        .case()
        .when('text', 'is', null)
        .then(eb.selectFrom('report_sources').select('bytes').whereRef('report_sources.report_id', '=', 'reports.id'))
        .end()
        .as('bytes'),
    ])
    .executeTakeFirst()
  if (!claimed) {
    const report = await db.selectFrom('reports').select(['status', 'attempts']).where('id', '=', reportId).executeTakeFirst()
    if (!report || (report.status !== 'queued' && report.status !== 'processing')) return 'skipped'
    return markFailed(db, reportId, `已尝试处理 ${report.attempts} 次均未完成（处理进程中断），不再重试。请检查文件后重新上传。`)
  }

  let input: AnalyseInput
  if (claimed.text !== null) input = { text: claimed.text }
  else if (!claimed.bytes) return markFailed(db, reportId, '原始文件缺失，无法处理。')
  else input = { bytes: new Uint8Array(claimed.bytes), filename: claimed.filename }
  const analysis = await (opts.analyse ?? analyseReport)(input)
  if ('documentError' in analysis) return markFailed(db, reportId, analysis.documentError)
  const { extraction, text, decoded } = analysis
  // Filed under its agency first (most names are already filed and only read), outside the
  // transaction below: a new name's resolution waits for others of its place, and must not hold
  // them up while this report is stored.
  const agencyId = await fileAgency(db, identifyingAgencyName(extraction))
  const now = (opts.now ?? new Date()).toISOString()
  // The reviewer starts from deadlines still ahead: an old report's "end of the next year" is past.
  const today = todayInShanghai(opts.now)
  await db.transaction().execute(async trx => {
    // The report's row first: its items, inserted next, are indexed for search with its year already set.
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
        agency_confidence: extraction.agencyConfidence ?? null,
        year_confidence: extraction.yearConfidence ?? null,
        sections: JSON.stringify(extraction.sections ?? []),
        published_at: extraction.publishedAt,
        title: extraction.title,
        processed_at: now,
        updated_at: now,
        followup_done_at: null,
      })
      .where('id', '=', reportId)
      .execute()
    // Items exist only when an extraction committed, which ends the report's processing; a retry
    // clears them all the same.
    if (claimed.attempts > 1) await trx.deleteFrom('report_items').where('report_id', '=', reportId).execute()
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
      due_date: defaultDueDate(item.due, 'normal', today),
      confidence: item.confidence ?? null,
      created_at: now,
    }))
    for (let i = 0; i < rows.length; i += 1000)
      await trx
        .insertInto('report_items')
        .values(rows.slice(i, i + 1000))
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
  const rows = await db
    .selectFrom('reports')
    .select('id')
    .where('status', 'in', ['queued', 'processing'])
    .where('updated_at', '<=', before)
    .execute()
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
