// Batch import, the pure part: which entries of a directory or .zip are imported, the limits, and how
// progress is counted and shown. The I/O (reading files, storing, queueing) is in import.server.ts.

export interface ImportLimits {
  /** Files to import (directories and OS junk not counted). */
  maxFiles: number
  /** Sum of the files' sizes (uncompressed). */
  maxTotalBytes: number
  /** One file; larger ones are listed as failed and not stored (the single upload's limit). */
  maxFileBytes: number
  /** Folder levels inside the directory or .zip. */
  maxDepth: number
}

export const DEFAULT_IMPORT_LIMITS: ImportLimits = {
  maxFiles: 10_000,
  maxTotalBytes: 1024 * 1024 * 1024,
  maxFileBytes: 20 * 1024 * 1024,
  maxDepth: 8,
}

/** The whole import is refused (nothing is stored); `message` is Chinese and shown as is. */
export class ImportRefused extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ImportRefused'
  }
}

const JUNK_NAMES = new Set(['.ds_store', 'thumbs.db', 'desktop.ini', '.localized'])

function mb(bytes: number): string {
  const v = bytes / (1024 * 1024)
  return v >= 10 ? `${Math.round(v)} MB` : `${Math.round(v * 10) / 10} MB`
}

/**
 * What one entry name is: a file to import (its path with '/' separators), or something to skip
 * (a directory, __MACOSX, .DS_Store, Office lock files, hidden files). A name that climbs out of the
 * import (.., an absolute path, a drive letter) or holds control characters refuses the whole import.
 */
export function classifyEntryName(
  name: string,
  maxDepth = DEFAULT_IMPORT_LIMITS.maxDepth,
): { kind: 'file'; path: string } | { kind: 'skip' } {
  const shown = name.replace(/[\u0000-\u001f\u007f]/g, '?').slice(0, 120)
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new ImportRefused(`压缩包中的文件名“${shown}”含有控制字符，已拒绝整个导入。`)
  const unified = name.replace(/\\/g, '/')
  if (unified.startsWith('/') || /^[A-Za-z]:/.test(unified))
    throw new ImportRefused(`压缩包中的文件名“${shown}”是绝对路径，已拒绝整个导入（不安全的压缩包）。`)
  const segments = unified.split('/')
  if (segments.some(s => s === '..'))
    throw new ImportRefused(`压缩包中的文件名“${shown}”试图跳出导入目录（含“..”），已拒绝整个导入（不安全的压缩包）。`)
  if (unified.endsWith('/')) return { kind: 'skip' }
  const parts = segments.filter(s => s !== '' && s !== '.')
  if (!parts.length) return { kind: 'skip' }
  const base = parts[parts.length - 1]
  if (parts.some(p => p === '__MACOSX') || JUNK_NAMES.has(base.toLowerCase()) || base.startsWith('.') || base.startsWith('~$'))
    return { kind: 'skip' }
  if (parts.length - 1 > maxDepth) throw new ImportRefused(`“${shown}”所在的文件夹层级过深（超过 ${maxDepth} 层），请整理后再导入。`)
  return { kind: 'file', path: parts.join('/') }
}

export interface PlannedFile<T> {
  path: string
  size: number
  /** Why this file is not stored (it counts as failed); null when it is imported. */
  error: string | null
  source: T
}

/**
 * Which entries are imported, in path order, or ImportRefused when the import breaks a limit.
 * `source` is whatever the caller needs to read the entry later (a file path, a zip entry).
 */
export function planImport<T>(
  entries: { name: string; size: number; source: T }[],
  limits: ImportLimits = DEFAULT_IMPORT_LIMITS,
): { files: PlannedFile<T>[]; skipped: number } {
  const files: PlannedFile<T>[] = []
  let skipped = 0
  let total = 0
  for (const e of entries) {
    const c = classifyEntryName(e.name, limits.maxDepth)
    if (c.kind === 'skip') {
      skipped++
      continue
    }
    total += e.size
    const error =
      e.size === 0
        ? '文件为空。'
        : e.size > limits.maxFileBytes
          ? `文件过大（${mb(e.size)}），超过单个文件上限 ${mb(limits.maxFileBytes)}。`
          : null
    files.push({ path: c.path, size: e.size, error, source: e.source })
  }
  if (files.length > limits.maxFiles)
    throw new ImportRefused(`文件过多（${files.length} 个），一次最多导入 ${limits.maxFiles} 个，请分批导入。`)
  if (total > limits.maxTotalBytes) throw new ImportRefused(`文件总大小 ${mb(total)} 超过上限 ${mb(limits.maxTotalBytes)}，请分批导入。`)
  if (!files.length) throw new ImportRefused('没有找到可导入的文件（目录和系统文件如 __MACOSX、.DS_Store 不计）。')
  const seen = new Set<string>()
  for (const f of files) {
    if (seen.has(f.path)) throw new ImportRefused(`压缩包中有重名文件“${f.path.slice(0, 120)}”，已拒绝整个导入。`)
    seen.add(f.path)
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  return { files, skipped }
}

/** Where each file of a batch stands. `failed` includes files refused before storing. */
export interface ImportCounts {
  total: number
  done: number
  failed: number
  duplicate: number
  /** Stored and waiting for (or in) extraction. */
  queued: number
}

export interface ImportProgress extends ImportCounts {
  /** Files not yet stored (the importer is still reading them). */
  unstored: number
  finished: boolean
  /** 0–100, files done, failed or duplicate. */
  percent: number
  /** Estimated from the rate so far; null until something has finished, 0 when finished. */
  secondsLeft: number | null
}

export function importProgress(counts: ImportCounts, at: { startedAt: string; now: Date; stored: boolean }): ImportProgress {
  const settled = counts.done + counts.failed + counts.duplicate
  const unstored = Math.max(0, counts.total - settled - counts.queued)
  const finished = at.stored && counts.queued === 0 && unstored === 0
  const elapsed = Math.max(0, (at.now.getTime() - new Date(at.startedAt).getTime()) / 1000)
  const remaining = counts.total - settled
  const secondsLeft = finished ? 0 : settled > 0 && elapsed > 0 ? Math.ceil((remaining * elapsed) / settled) : null
  const percent = counts.total ? Math.floor((settled * 100) / counts.total) : 100
  return { ...counts, unstored, finished, percent, secondsLeft }
}

/** "约 2 分 5 秒"; "计算中" before there is a rate. */
export function formatSecondsLeft(seconds: number | null): string {
  if (seconds === null) return '计算中'
  if (seconds < 60) return `约 ${Math.max(1, Math.round(seconds))} 秒`
  const m = Math.floor(seconds / 60)
  if (m < 60) return `约 ${m} 分 ${Math.round(seconds % 60)} 秒`
  return `约 ${Math.floor(m / 60)} 小时 ${m % 60} 分`
}

/** One line for a terminal: a bar, the counts and the time left. */
export function progressLine(p: ImportProgress, width = 24): string {
  const filled = Math.round((p.percent / 100) * width)
  const bar = '█'.repeat(filled) + '░'.repeat(width - filled)
  const settled = p.done + p.failed + p.duplicate
  const tail = p.finished ? '已完成' : `剩余 ${formatSecondsLeft(p.secondsLeft)}`
  return `${bar} ${String(p.percent).padStart(3)}% ${settled}/${p.total}  完成 ${p.done} · 失败 ${p.failed} · 重复 ${p.duplicate} · 排队 ${p.queued + p.unstored}  ${tail}`
}

/** Terminal columns a string takes: CJK and full-width characters take two. */
export function displayWidth(s: string): number {
  let w = 0
  for (const ch of s)
    w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u.test(ch)
      ? 2
      : 1
  return w
}

/** Pads to `width` terminal columns (for the CLI's failures table). */
export function padColumns(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - displayWidth(s)))
}
