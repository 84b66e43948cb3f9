// Text layer of a PDF with pdfjs-dist (legacy build, for Node), lines rebuilt in reading order:
// text items grouped by baseline (with a tolerance), sorted left to right, joined without spaces
// between CJK glyphs; a blank line between pages.
import { createRequire } from 'node:module'
import path from 'node:path'

export const PDF_LIMITS = {
  maxPages: 2000,
  /** Whole-document budget; a PDF that takes longer is given up. */
  timeoutMs: 60_000,
}

export class PdfError extends Error {
  constructor(
    readonly kind: 'corrupt' | 'encrypted' | 'no_text' | 'too_many_pages' | 'timeout',
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
  const its = items.filter((i) => i.str.length > 0 && Number.isFinite(i.x) && Number.isFinite(i.y))
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
const LINE_START_MARKER = /^(?:[（(]?[一二三四五六七八九十\d]{1,3}[、.)）]|[（(][一二三四五六七八九十\d]{1,3}[)）]|[①-⑳]|第[一二三四五六七八九十]+[,，、]|[一二三四五六七八九十]是)/

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
      for (const k of [approx - d, approx + d]) if (k >= 0 && k < chars.length && /\s/.test(chars[k])) {
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
