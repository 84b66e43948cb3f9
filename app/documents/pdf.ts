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
  for (const row of rows) {
    row.items.sort((a, b) => a.x - b.x)
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
  }
  return lines
}

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
