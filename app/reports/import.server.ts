// Batch import: every file of a directory or .zip goes the way of a single upload (storeReport: the
// bytes stored, a duplicate recognised by its sha256, then a `process-report` job; the worker decodes
// and extracts). Files are stored in groups (runImport), so memory holds one group (plus the .zip
// itself), and each group's jobs are queued in one call. Progress is counted from the database (import.ts).
import fs from 'node:fs/promises'
import path from 'node:path'
import type { DB } from '../../db/db'
import { newId, nowIso } from '../../db/ids'
import { extractEntry, readCentralDirectory, ZipError, type ZipEntry } from '../documents/zip'
import { requestReportsProcessing } from '../jobs/client.server'
import {
  DEFAULT_IMPORT_LIMITS,
  ImportRefused,
  importProgress,
  planImport,
  type ImportCounts,
  type ImportLimits,
  type ImportProgress,
  type PlannedFile,
} from './import'
import { storeReportsIn } from './reports.server'
import { storedFilename } from '../documents/filename'
import type { Role } from '../../db/schema'
import { inScope } from '../auth/scope'
import { inSubtree } from '../auth/scope.server'

export { ImportRefused }

/** Limits from the environment (IMPORT_MAX_FILES, IMPORT_MAX_TOTAL_BYTES, MAX_UPLOAD_BYTES, IMPORT_MAX_DEPTH). */
export function importLimits(env: NodeJS.ProcessEnv = process.env): ImportLimits {
  const n = (v: string | undefined, d: number) => (v && Number(v) > 0 ? Number(v) : d)
  return {
    maxFiles: n(env.IMPORT_MAX_FILES, DEFAULT_IMPORT_LIMITS.maxFiles),
    maxTotalBytes: n(env.IMPORT_MAX_TOTAL_BYTES, DEFAULT_IMPORT_LIMITS.maxTotalBytes),
    maxFileBytes: n(env.MAX_UPLOAD_BYTES, DEFAULT_IMPORT_LIMITS.maxFileBytes),
    maxDepth: n(env.IMPORT_MAX_DEPTH, DEFAULT_IMPORT_LIMITS.maxDepth),
  }
}

type Reader = () => Promise<Uint8Array>

export interface ImportPlan {
  source: string
  files: PlannedFile<Reader>[]
  skipped: number
}

/** A directory, walked recursively (symbolic links are not followed). */
export async function planDirectoryImport(dir: string, limits = importLimits()): Promise<ImportPlan> {
  const entries: { name: string; size: number; source: Reader }[] = []
  const walk = async (rel: string, depth: number): Promise<void> => {
    for (const d of await fs.readdir(path.join(dir, rel), { withFileTypes: true })) {
      const relPath = rel ? `${rel}/${d.name}` : d.name
      if (d.isDirectory()) {
        if (d.name === '__MACOSX' || d.name.startsWith('.')) continue
        if (depth >= limits.maxDepth)
          throw new ImportRefused(`“${relPath}”所在的文件夹层级过深（超过 ${limits.maxDepth} 层），请整理后再导入。`)
        await walk(relPath, depth + 1)
      } else if (d.isFile()) {
        const full = path.join(dir, relPath)
        const { size } = await fs.stat(full)
        if (entries.length > limits.maxFiles * 2) throw new ImportRefused(`文件过多，一次最多导入 ${limits.maxFiles} 个，请分批导入。`)
        entries.push({ name: relPath, size, source: async () => new Uint8Array(await fs.readFile(full)) })
      }
    }
  }
  await walk('', 0)
  return { source: path.basename(path.resolve(dir)), ...planImport(entries, limits) }
}

function zipRefusal(err: ZipError, limits: ImportLimits): ImportRefused {
  if (err.kind === 'encrypted') return new ImportRefused('压缩包已加密，请解密后再导入。')
  if (err.kind === 'bomb')
    return new ImportRefused(`压缩包内容异常（条目过多或压缩比异常，疑似压缩炸弹），已拒绝。一次最多导入 ${limits.maxFiles} 个文件。`)
  if (err.kind === 'too_large') return new ImportRefused('压缩包解压后过大，已拒绝，请分批导入。')
  return new ImportRefused('压缩包已损坏或不是有效的 .zip 文件。')
}

/** A .zip in memory: its directory is checked (traversal, count, sizes) before anything is stored. */
export function planZipImport(bytes: Uint8Array, name: string, limits = importLimits()): ImportPlan {
  let entries: ZipEntry[]
  try {
    // Directories and junk entries count here too, hence the headroom; planImport applies the real limits.
    entries = readCentralDirectory(bytes, { maxEntries: limits.maxFiles * 2 + 100, maxTotalDeclared: limits.maxTotalBytes * 2 })
  } catch (err) {
    if (err instanceof ZipError) throw zipRefusal(err, limits)
    throw err
  }
  const plan = planImport(
    entries.map(e => ({
      name: e.name,
      size: e.size,
      source: async () => {
        try {
          return extractEntry(bytes, e, limits.maxFileBytes)
        } catch (err) {
          if (err instanceof ZipError)
            throw new FileUnreadable(
              err.kind === 'encrypted'
                ? '文件已加密，无法读取。'
                : err.kind === 'corrupt'
                  ? '压缩包中的该文件已损坏，无法解压。'
                  : '文件解压后过大或与压缩包目录不符，已跳过。',
            )
          throw err
        }
      },
    })),
    limits,
  )
  return { source: name, ...plan }
}

class FileUnreadable extends Error {}

export interface Importer {
  id: string
  unitId: string
}

export interface RunImportOptions {
  /** Called once the batch row exists, before files are stored (the CLI starts its progress line). */
  onBatch?: (batchId: string) => void
  /** Queues extraction of new reports; by default through the web side's queue handle. */
  enqueue?: (reportIds: string[]) => Promise<unknown>
  /** At most this many files (and GROUP_BYTES) are stored in one transaction, then queued. */
  groupFiles?: number
}

/**
 * Files are stored in groups, each group in one transaction with its batch rows, then its new
 * reports queued in one call: a commit per file made the importer the slowest part of a 10,000-file
 * import (and each commit takes SQLite's write lock from the workers). A group holds at most
 * GROUP_BYTES of files in memory.
 */
const GROUP_FILES = 100
const GROUP_BYTES = 16 * 1024 * 1024

/**
 * Stores every planned file under the importer's unit as a single upload would, records each in the
 * batch, and queues the new reports in bulk. Returns the batch id. Running the same import again
 * stores nothing new: every file is then a duplicate.
 */
export async function runImport(db: DB, importer: Importer, plan: ImportPlan, opts: RunImportOptions = {}): Promise<string> {
  const enqueue = opts.enqueue ?? requestReportsProcessing
  const groupFiles = opts.groupFiles ?? GROUP_FILES
  const batchId = newId()
  await db
    .insertInto('import_batches')
    .values({
      id: batchId,
      source: plan.source.slice(0, 200),
      unit_id: importer.unitId,
      created_by: importer.id,
      status: 'storing',
      total_files: plan.files.length,
      created_at: nowIso(),
      stored_at: null,
    })
    .execute()
  opts.onBatch?.(batchId)
  type Read = { seq: number; file: PlannedFile<Reader>; bytes?: Uint8Array; error: string | null }
  const storeGroup = async (group: Read[]) => {
    const readable = group.filter(r => r.bytes)
    const pending = await db.transaction().execute(async trx => {
      const stored = await storeReportsIn(
        trx,
        readable.map(r => ({
          bytes: r.bytes!,
          filename: storedFilename(path.posix.basename(r.file.path)),
          unitId: importer.unitId,
          uploadedBy: importer.id,
        })),
      )
      const result = new Map(readable.map((r, i) => [r, stored[i]]))
      const items = group.map(({ seq, file, error }, i) => {
        const s = result.get(group[i])
        return {
          batch_id: batchId,
          seq,
          path: file.path.slice(0, 500),
          size_bytes: file.size,
          report_id: s?.report.id ?? null,
          duplicate: s?.duplicate ? 1 : 0,
          error,
          created_at: nowIso(),
        }
      })
      await trx.insertInto('import_batch_items').values(items).execute()
      return stored.filter(s => !s.duplicate).map(s => s.report.id)
    })
    if (pending.length) await enqueue(pending)
  }
  let group: Read[] = []
  let groupBytes = 0
  for (const [seq, file] of plan.files.entries()) {
    const read: Read = { seq, file, error: file.error }
    if (!read.error) {
      try {
        read.bytes = await file.source()
        groupBytes += read.bytes.byteLength
      } catch (err) {
        if (!(err instanceof FileUnreadable)) throw err
        read.error = err.message
      }
    }
    group.push(read)
    if (group.length >= groupFiles || groupBytes >= GROUP_BYTES) {
      await storeGroup(group)
      group = []
      groupBytes = 0
    }
  }
  if (group.length) await storeGroup(group)
  await db.updateTable('import_batches').set({ status: 'stored', stored_at: nowIso() }).where('id', '=', batchId).execute()
  return batchId
}

export interface ImportBatchView {
  id: string
  source: string
  createdAt: string
  createdBy: string | null
  unitName: string
  progress: ImportProgress
  failures: { path: string; reason: string; reportId: string | null }[]
}

const FAILURES_SHOWN = 1000

async function countsOf(db: DB, batchId: string, total: number): Promise<ImportCounts> {
  const rows = await db
    .selectFrom('import_batch_items as i')
    .leftJoin('reports as r', 'r.id', 'i.report_id')
    .select(eb => ['i.duplicate', 'r.status', eb.fn.countAll<number>().as('n')])
    .where('i.batch_id', '=', batchId)
    .groupBy(['i.duplicate', 'r.status'])
    .execute()
  const c: ImportCounts = { total, done: 0, failed: 0, duplicate: 0, queued: 0 }
  for (const r of rows) {
    const n = Number(r.n)
    if (Number(r.duplicate)) c.duplicate += n
    else if (r.status === null || r.status === 'failed') c.failed += n
    else if (r.status === 'extracted' || r.status === 'confirmed') c.done += n
    else c.queued += n
  }
  return c
}

/** A batch with its progress and failures, or null when it does not exist or is outside the user's subtree. */
export async function getImportBatch(
  db: DB,
  batchId: string,
  scope: { role: Role; unitPath: string },
  now = new Date(),
): Promise<ImportBatchView | null> {
  const b = await db
    .selectFrom('import_batches as b')
    .innerJoin('units as u', 'u.id', 'b.unit_id')
    .leftJoin('users as p', 'p.id', 'b.created_by')
    .select([
      'b.id',
      'b.source',
      'b.status',
      'b.total_files',
      'b.created_at',
      'u.name as unitName',
      'u.path as unitPath',
      'p.display_name as createdBy',
    ])
    .where('b.id', '=', batchId)
    .executeTakeFirst()
  if (!b || !inScope(scope, b.unitPath)) return null
  const counts = await countsOf(db, b.id, b.total_files)
  // Read only when something failed: the progress poll runs every second during an import.
  const failures = !counts.failed
    ? []
    : await db
        .selectFrom('import_batch_items as i')
        .leftJoin('reports as r', 'r.id', 'i.report_id')
        .select(['i.path', 'i.error', 'r.error as reportError', 'i.report_id'])
        .where('i.batch_id', '=', b.id)
        .where(eb => eb.or([eb('i.error', 'is not', null), eb.and([eb('r.status', '=', 'failed'), eb('i.duplicate', '=', 0)])]))
        .orderBy('i.seq')
        .limit(FAILURES_SHOWN)
        .execute()
  return {
    id: b.id,
    source: b.source,
    createdAt: b.created_at,
    createdBy: b.createdBy,
    unitName: b.unitName,
    progress: importProgress(counts, { startedAt: b.created_at, now, stored: b.status === 'stored' }),
    failures: failures.map(f => ({ path: f.path, reason: f.error ?? f.reportError ?? '处理失败。', reportId: f.report_id })),
  }
}

/** The latest batches in the user's subtree, newest first. */
export async function listImportBatches(db: DB, scope: { role: Role; unitPath: string }, limit = 20) {
  let q = db
    .selectFrom('import_batches as b')
    .innerJoin('units as u', 'u.id', 'b.unit_id')
    .leftJoin('users as p', 'p.id', 'b.created_by')
    .select(['b.id', 'b.source', 'b.status', 'b.total_files', 'b.created_at', 'u.name as unitName', 'p.display_name as createdBy'])
    .orderBy('b.created_at', 'desc')
    .limit(limit)
  q = q.where(inSubtree(scope, 'u.path'))
  const now = new Date()
  return Promise.all(
    (await q.execute()).map(async b => ({
      ...b,
      progress: importProgress(await countsOf(db, b.id, b.total_files), { startedAt: b.created_at, now, stored: b.status === 'stored' }),
    })),
  )
}
