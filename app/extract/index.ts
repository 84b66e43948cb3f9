// Extraction core: report text -> metadata and every problem and commitment, with offsets into the
// ORIGINAL text. Pure code: no I/O.
import type { Extraction, ExtractedItem } from './types'
import { normChar, normalize, toOriginal, type Normalized } from './normalize'
import { analyseLines, findRegions, type LineInfo, type Region } from './structure'
import { processRegion, mixed, type Ctx, type RawItem } from './items'
import { extractMeta } from './metadata'
import { suggestDue } from './deadline'
import { linkAnswers } from './links'

export type { Extraction, ExtractedItem, ItemKind } from './types'
export { normalize } from './normalize'
export { suggestDue } from './deadline'
export { parseDate, parseYear } from './metadata'

const EMPTY: Extraction = { agency: null, agencyNormalized: null, agencyConfidence: null, year: null, publishedAt: null, title: null, items: [] }

/** Extract metadata and items. Never throws: on an internal error it returns what it can (nothing). */
export function extractReport(text: string): Extraction {
  try {
    return extractReportStrict(text)
  } catch {
    return { ...EMPTY, items: [] }
  }
}

const FALLBACK_PROBLEM = /存在(?:的|着)?(?:以下|一些|如下|不少|较多)?(?:主要|突出)?(?:问题|不足)|不足之处|主要问题|有待(?:进一步)?(?:加强|提高|完善)/
const INTRO_LIST = /包括|组成|部分|内容涵盖|由[^。]{0,20}组成/

/** Same as extractReport but lets internal errors through (for tests). */
export function extractReportStrict(text: string): Extraction {
  if (typeof text !== 'string' || text.length === 0) return { ...EMPTY, items: [] }
  const nz = normalize(text)
  const lines = analyseLines(nz)
  const meta = extractMeta(nz, lines)
  const ctx: Ctx = {
    text: nz.text,
    lines,
    lineStarts: lines.map(l => l.s),
    lineEnds: lines.map(l => l.e),
    group: 0,
  }
  const raw: RawItem[] = []
  const regions = findRegions(lines)
  const hasPlan = regions.some(r => r.kind === 'plan' || r.kind === 'both')
  if (regions.length) {
    for (const r of regions) raw.push(...processRegion(ctx, r, !hasPlan))
  } else {
    const fb = fallbackRegion(lines)
    if (fb) mixed(ctx, raw, fb[0], fb[1])
  }
  raw.sort((a, b) => a.s - b.s)
  // drop items nested in an earlier one (can only happen with overlapping regions)
  const kept: RawItem[] = []
  for (const it of raw) {
    const last = kept[kept.length - 1]
    if (last && it.s < last.e) continue
    kept.push(it)
  }
  const answers = linkAnswers(kept.map(it => ({ kind: it.kind, norm: nz.text.slice(it.s, it.e), group: it.group, idx: it.idx })))
  const items: ExtractedItem[] = kept.map((it, i) => {
    const [s, e] = toOriginal(nz, it.s, it.e)
    const [ts, te] = toOriginal(nz, it.ts, it.te)
    return {
      kind: it.kind,
      title: cleanTitle(text.slice(ts, te)) || cleanTitle(text.slice(s, Math.min(e, s + 40))),
      text: text.slice(s, e),
      start: s,
      end: e,
      answers: it.kind === 'plan' ? answers[i] : [],
      due: suggestDue(nz.text.slice(it.s, it.e), meta.year),
    }
  })
  let agency: string | null = null
  let agencyNormalized: string | null = null
  let agencyConfidence: number | null = null
  if (meta.agency) {
    const [s, e] = toOriginal(nz, meta.agency[0], meta.agency[1])
    // white space of the page inside a name ("凉州区 张义镇人民政府") is not part of it
    agency = text.slice(s, e).trim().replace(/(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])/g, '') || null
    agencyNormalized = normalizeAgency(nz.text.slice(meta.agency[0], meta.agency[1]))
    agencyConfidence = agency ? meta.agencyConfidence : null
  }
  let title: string | null = null
  if (meta.title) {
    const [s, e] = toOriginal(nz, meta.title[0], meta.title[1])
    title = text.slice(s, e).replace(/\s+/g, ' ').trim() || null
  }
  return { agency, agencyNormalized, agencyConfidence, year: meta.year, publishedAt: meta.publishedAt, title, items }
}

const TITLE_PINYIN = /(?<=[\u3400-\u9fff])[(（][a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,8}[)）]/g
const TITLE_TAIL = /(?:等等|等(?:方面)?(?:的)?(?:问题|問題|不足|情况|情況)|等)$/

/** A title for people: no white space, no injected pinyin, no trailing "等问题". */
function cleanTitle(s: string): string {
  let t = s.replace(/\s+/g, '').replace(TITLE_PINYIN, '')
  const u = t.replace(TITLE_TAIL, '')
  if (u.length >= 4) t = u
  return t.slice(0, 60)
}

/** Normalised agency name for matching across years: simplified, no spaces, no brackets. */
export function normalizeAgency(name: string): string {
  let s = ''
  for (const ch of name) s += normChar(ch)
  return s
    .replace(/\s+/g, '')
    .replace(/[(（][^)）]*[)）]/g, '')
    .replace(/人民政府/g, '政府')
    .replace(/^中共/, '')
}

function fallbackRegion(lines: LineInfo[]): [number, number] | null {
  for (let i = 0; i < lines.length; i++) {
    const L = lines[i]
    if (L.terminator || !FALLBACK_PROBLEM.test(L.text) || INTRO_LIST.test(L.text)) continue
    let j = i + 1
    for (; j < lines.length; j++) {
      const M = lines[j]
      if (M.terminator) break
      if (M.mark && M.mark.type === 'A' && M.headingLike) break
    }
    const s = L.headingLike && L.afterHead >= L.e && i + 1 < lines.length ? lines[i + 1].s : L.headingLike ? L.afterHead : L.s
    return [s, lines[j - 1].e]
  }
  return null
}

export type { Normalized, LineInfo, Region }
