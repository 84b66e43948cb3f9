// Text layer of a PDF with pdfjs-dist (legacy build, for Node), lines rebuilt in reading order:
// text items grouped by baseline (with a tolerance), sorted left to right, joined without spaces
// between CJK glyphs; a blank line between pages.
import { createRequire } from 'node:module'
import path from 'node:path'
import zlib from 'node:zlib'

const MB = 1024 * 1024

export const PDF_LIMITS = {
  maxPages: 2000,
  /** Whole-document budget; a PDF that takes longer is given up. */
  timeoutMs: 60_000,
  /**
   * What one flate-compressed stream (a page's content, a font, an object stream) may inflate to.
   * pdfjs keeps a stream's whole inflated bytes in memory, so a flate bomb (398 KB of PDF, a 400 MB
   * content stream) is refused before pdfjs reads it: a real page's content is kilobytes.
   */
  maxStreamBytes: 32 * MB,
  /** What all of a document's flate streams may inflate to together (images aside: text extraction never inflates them). */
  maxInflatedBytes: 128 * MB,
}

export class PdfError extends Error {
  constructor(
    readonly kind: 'corrupt' | 'encrypted' | 'no_text' | 'too_many_pages' | 'timeout' | 'inflates_too_much',
    message: string,
  ) {
    super(message)
  }
}

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs')
let pdfjsPromise: Promise<{ lib: PdfJs; cMapUrl?: string; standardFontDataUrl?: string }> | null = null

/** Loads pdfjs once, with its worker running in this thread (no Worker, no worker file lookup). */
function loadPdfJs() {
  pdfjsPromise ??= (async () => {
    const g = globalThis as { pdfjsWorker?: unknown }
    if (!g.pdfjsWorker) g.pdfjsWorker = await import('pdfjs-dist/legacy/build/pdf.worker.mjs')
    const lib = await import('pdfjs-dist/legacy/build/pdf.mjs')
    lib.GlobalWorkerOptions.workerSrc ||= 'pdf.worker.mjs'
    // Predefined CJK CMaps (UniGB-UCS2-H, GBK-EUC-H …) ship with pdfjs-dist; Chinese PDFs with
    // non-embedded fonts need them to map codes to Unicode.
    let cMapUrl: string | undefined
    let standardFontDataUrl: string | undefined
    try {
      const require = createRequire(import.meta.url)
      const root = path.dirname(require.resolve('pdfjs-dist/package.json'))
      cMapUrl = path.join(root, 'cmaps') + path.sep
      standardFontDataUrl = path.join(root, 'standard_fonts') + path.sep
    } catch {
      /* without them, only PDFs with embedded or ToUnicode-mapped fonts give text */
    }
    return { lib, cMapUrl, standardFontDataUrl }
  })()
  return pdfjsPromise
}

interface Item {
  str: string
  x: number
  y: number
  w: number
  h: number
}

const CJK_RE = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]/

function isCjk(ch: string | undefined): boolean {
  return !!ch && CJK_RE.test(ch)
}

/** Turns one page's positioned text items into lines. */
export function rebuildLines(items: Item[]): string[] {
  const its = items.filter(i => i.str.length > 0 && Number.isFinite(i.x) && Number.isFinite(i.y))
  // Top to bottom (device space: y grows downward), then left to right.
  its.sort((a, b) => a.y - b.y || a.x - b.x)
  const rows: { y: number; h: number; items: Item[] }[] = []
  for (const it of its) {
    const row = rows[rows.length - 1]
    const tol = Math.max(1, 0.45 * Math.min(row?.h || it.h || 10, it.h || 10))
    if (row && Math.abs(it.y - row.y) <= tol) {
      row.items.push(it)
    } else {
      rows.push({ y: it.y, h: it.h || 10, items: [it] })
    }
  }
  const lines: string[] = []
  /** Where each line ends on the page and the size of its last glyph, to tell a wrapped line from a paragraph's end. */
  const ends: Array<{ right: number; size: number }> = []
  for (const row of rows) {
    row.items.sort((a, b) => a.x - b.x)
    row.items = restoreFloatingGlyphs(row.items)
    let line = ''
    let prevEnd = -Infinity
    let prevH = row.h
    for (const it of row.items) {
      const s = it.str
      if (line) {
        const gap = it.x - prevEnd
        const size = Math.max(1, Math.min(prevH || 10, it.h || 10))
        const last = line[line.length - 1]
        const first = s[0]
        const spaced = /\s/.test(last) || /\s/.test(first)
        if (!spaced) {
          const cjk = isCjk(last) || isCjk(first)
          // Latin words: a gap of a fraction of the font size is a space. CJK: only a wide gap
          // (a column or tab stop) is; justified Chinese text has small gaps between glyphs.
          if (gap > (cjk ? 1.5 : 0.15) * size) line += ' '
        }
      }
      line += s
      prevEnd = Math.max(prevEnd, it.x + Math.max(0, it.w))
      prevH = it.h || prevH
    }
    lines.push(line.replace(/\s+$/, ''))
    ends.push({ right: prevEnd, size: prevH || 10 })
  }
  return joinWrappedLines(lines, ends)
}

const SENTENCE_END = /[。:：;；!！?？]$/
const LINE_START_MARKER =
  /^(?:[（(]?[一二三四五六七八九十\d]{1,3}[、.)）]|[（(][一二三四五六七八九十\d]{1,3}[)）]|[①-⑳]|第[一二三四五六七八九十]+[,，、]|[一二三四五六七八九十]是)/

/**
 * A line that runs to the right edge of the text (within a glyph or so of the page's longest line,
 * when at least three lines reach it), in the same size as the next, and does not end a sentence was wrapped by the page, not ended by the author: it is joined to the
 * next line, so "…还需要进一步充实丰富。今" + "后将综合运用…" reads as one sentence, as in the text the
 * PDF was made from. A next line that starts with an enumeration marker is never joined.
 */
function joinWrappedLines(lines: string[], ends: Array<{ right: number; size: number }>): string[] {
  const widest = Math.max(-Infinity, ...ends.filter((_, i) => lines[i].length >= 8).map(e => e.right))
  if (!Number.isFinite(widest)) return lines
  const atEdge = (i: number) => lines[i].length >= 8 && ends[i].right >= widest - 1.6 * ends[i].size
  // A right margin is a margin only when several lines reach it (a title alone does not make one).
  if (lines.filter((_, i) => atEdge(i)).length < 3) return lines
  const sameSize = (i: number) => Math.abs(ends[i].size - ends[i + 1].size) <= 0.1 * ends[i].size
  const out: string[] = []
  let carry = ''
  lines.forEach((line, i) => {
    const text = carry ? carry + (/[A-Za-z0-9]$/.test(carry) && /^[A-Za-z0-9]/.test(line) ? ' ' : '') + line : line
    const next = lines[i + 1]
    const wrapped = next !== undefined && atEdge(i) && sameSize(i) && !SENTENCE_END.test(line) && !LINE_START_MARKER.test(next)
    if (wrapped) carry = text
    else {
      out.push(text)
      carry = ''
    }
  })
  if (carry) out.push(carry)
  return out
}

/**
 * A glyph the PDF draws from another font (LibreOffice draws “ ” ‘ ’ in a Latin font inside
 * Chinese text) comes as an item of its own, placed over a space left for it in the surrounding
 * run: sorted by x it would land after the whole run ("按照 大厅“ 之外无审批 的要求”"). Each such
 * one-character item whose x falls inside another item of the row is put into the space of that
 * item nearest to its position (found from the run's average character width).
 */
function restoreFloatingGlyphs(items: Item[]): Item[] {
  const single = (it: Item) => it.str.trim().length === 1 && !/\s/.test(it.str.trim()) && !isCjkIdeograph(it.str.trim())
  const out = items.filter(it => !single(it))
  if (out.length === items.length) return items
  const left: Item[] = []
  for (const q of items.filter(single)) {
    const ch = q.str.trim()
    const host = out.find(t => t.w > 0 && t.str.length > 1 && q.x > t.x && q.x < t.x + t.w && /\s/.test(t.str))
    if (!host) {
      left.push(q)
      continue
    }
    const chars = [...host.str]
    const approx = Math.round(((q.x - host.x) / host.w) * chars.length)
    let best = -1
    for (let d = 0; d <= 3 && best < 0; d++) {
      for (const k of [approx - d, approx + d])
        if (k >= 0 && k < chars.length && /\s/.test(chars[k])) {
          best = k
          break
        }
    }
    if (best < 0) {
      left.push(q)
      continue
    }
    chars[best] = ch
    host.str = chars.join('')
  }
  return [...out, ...left].sort((a, b) => a.x - b.x)
}

const isCjkIdeograph = (ch: string) => /[\u3400-\u9fff\uf900-\ufaff]/.test(ch)

function withTimeout<T>(p: Promise<T>, ms: number, onTimeout: () => void): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  return Promise.race([
    p,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => {
        onTimeout()
        reject(new PdfError('timeout', 'timeout'))
      }, ms)
    }),
  ]).finally(() => clearTimeout(timer))
}

/** Output bytes of `raw` through `layers` inflaters in a row, counted as it streams (nothing kept), stopping past `cap`. */
function inflatedSize(raw: Uint8Array, layers: number, cap: number): Promise<number> {
  return new Promise(resolve => {
    // Z_SYNC_FLUSH at the end: a truncated stream counts what it gave, as pdfjs would read it.
    const stages = Array.from({ length: layers }, () => zlib.createInflate({ finishFlush: zlib.constants.Z_SYNC_FLUSH }))
    let total = 0
    let done = false
    const finish = () => {
      if (done) return
      done = true
      for (const s of stages) s.destroy()
      resolve(total)
    }
    stages.forEach((stage, k) => {
      const next = stages[k + 1]
      if (next) stage.pipe(next)
      stage.on('data', (chunk: Buffer) => {
        total += chunk.length
        if (total > cap) finish()
      })
      stage.on('error', finish) // not flate after all, or corrupt: pdfjs decides what it is
    })
    stages[stages.length - 1].on('end', finish)
    stages[0].end(raw)
  })
}

const FLATE = new Set(['FlateDecode', 'Fl'])

/**
 * Refuses a PDF whose flate streams inflate past PDF_LIMITS (PdfError 'inflates_too_much'), before
 * pdfjs inflates any of them. Streams are found in the raw bytes ("<< … >> stream … endstream");
 * each one whose filters start with FlateDecode is inflated through as many of its leading flate
 * filters, counting the output without keeping it. Image streams are skipped (text extraction never
 * decodes them). Memory: a few buffers of 16 KB; time: the inflating, in the caller's thread.
 */
export async function checkInflatedSize(
  bytes: Uint8Array,
  limits: { maxStreamBytes: number; maxInflatedBytes: number } = PDF_LIMITS,
): Promise<void> {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
  const keyword = /(?<!end)stream(?:\r\n|\n|\r)/g
  let total = 0
  for (let m = keyword.exec(text); m; m = keyword.exec(text)) {
    const dictEnd = text.lastIndexOf('>>', m.index)
    if (dictEnd < 0 || text.slice(dictEnd + 2, m.index).trim() !== '') continue
    const dict = text.slice(Math.max(text.lastIndexOf(' obj', m.index), m.index - 4096, 0), m.index)
    if (/\/Subtype\s*\/Image\b/.test(dict)) continue
    const filter = /\/Filter\s*(\[[^\]]*\]|\/[A-Za-z0-9]+)/.exec(dict)
    if (!filter) continue
    const names = [...filter[1].matchAll(/\/([A-Za-z0-9]+)/g)].map(f => f[1])
    let layers = 0
    while (layers < names.length && FLATE.has(names[layers])) layers++
    if (!layers) continue
    const start = m.index + m[0].length
    const end = text.indexOf('endstream', start)
    const raw = bytes.subarray(start, end < 0 ? bytes.length : end)
    const cap = Math.min(limits.maxStreamBytes, limits.maxInflatedBytes - total)
    const size = await inflatedSize(raw, layers, cap)
    if (size > cap)
      throw new PdfError('inflates_too_much', String(size > limits.maxStreamBytes ? limits.maxStreamBytes : limits.maxInflatedBytes))
    total += size
    keyword.lastIndex = end < 0 ? text.length : end + 'endstream'.length
  }
}

/** Extracts the text layer. Throws PdfError. */
export async function pdfToText(bytes: Uint8Array): Promise<string> {
  const { lib, cMapUrl, standardFontDataUrl } = await loadPdfJs()
  // pdfjs takes ownership of (detaches) the buffer it is given: hand it a copy.
  const data = new Uint8Array(bytes)
  const task = lib.getDocument({
    data,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    useWorkerFetch: false,
    isOffscreenCanvasSupported: false,
    stopAtErrors: false,
    verbosity: 0,
    cMapUrl,
    cMapPacked: true,
    standardFontDataUrl,
  })
  let cancelled = false
  const work = (async () => {
    let doc: Awaited<typeof task.promise>
    try {
      doc = await task.promise
    } catch (err) {
      const name = (err as Error)?.name
      if (name === 'PasswordException') throw new PdfError('encrypted', 'password')
      throw new PdfError('corrupt', String((err as Error)?.message ?? err))
    }
    if (doc.numPages > PDF_LIMITS.maxPages) throw new PdfError('too_many_pages', String(doc.numPages))
    const pages: string[] = []
    for (let n = 1; n <= doc.numPages; n++) {
      if (cancelled) break
      let lines: string[] = []
      try {
        const page = await doc.getPage(n)
        const viewport = page.getViewport({ scale: 1 })
        const content = await page.getTextContent({ includeMarkedContent: false, disableNormalization: true })
        const items: Item[] = []
        for (const raw of content.items) {
          if (!('str' in raw)) continue
          const m = lib.Util.transform(viewport.transform, raw.transform) as number[]
          const h = Math.hypot(m[2], m[3]) || raw.height || 0
          items.push({ str: raw.str, x: m[4], y: m[5], w: raw.width * (viewport.scale || 1), h })
        }
        lines = rebuildLines(items)
        page.cleanup()
      } catch (err) {
        if (err instanceof PdfError) throw err
        // One unreadable page should not lose the rest; an unreadable first page with nothing
        // after it ends up as "no text" or "corrupt" below.
        if (n === 1 && doc.numPages === 1) throw new PdfError('corrupt', String((err as Error)?.message ?? err))
      }
      pages.push(lines.join('\n'))
    }
    return pages
  })()
  try {
    const pages = await withTimeout(work, PDF_LIMITS.timeoutMs, () => {
      cancelled = true
    })
    return pages.join('\n\n')
  } finally {
    cancelled = true
    work.catch(() => {})
    task.destroy().catch(() => {})
  }
}
