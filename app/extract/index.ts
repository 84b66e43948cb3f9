// Extraction core: report text -> metadata and every problem and commitment, with offsets into the
// ORIGINAL text. Pure code: no I/O.
import type { Extraction, ExtractedItem } from './types'
import { normChar, normalize, toOriginal, type Normalized } from './normalize'
import { analyseLines, findRegions, type LineInfo, type Region } from './structure'
import { processRegion, mixed, type Ctx, type RawItem } from './items'
import { extractMeta } from './metadata'
import { suggestDue } from './deadline'
import { linkAnswers } from './links'
import { lineMark } from './markers'
import { buildCandidates } from './learn/candidates'
import { decide, THRESHOLDS, type Thresholds } from './learn/decode'
import { cutsOf } from './learn/boundaries'
import { deserialize, predict, type Model, type SerializedModel } from './learn/model'
import weights from './learn/weights.json'

export type { Extraction, ExtractedItem, ExtractedSection, ItemKind } from './types'
export { normalize } from './normalize'
export { suggestDue } from './deadline'
export { parseDate, parseYear } from './metadata'

const EMPTY: Extraction = {
  agency: null,
  agencyNormalized: null,
  agencyConfidence: null,
  year: null,
  yearConfidence: null,
  publishedAt: null,
  title: null,
  items: [],
}

/** Extract metadata and items. Never throws: on an internal error it returns what it can (nothing). */
export function extractReport(text: string): Extraction {
  try {
    return extractReportStrict(text)
  } catch {
    return { ...EMPTY, items: [] }
  }
}

const FALLBACK_PROBLEM =
  /存在(?:的|着)?(?:以下|一些|如下|不少|较多)?(?:主要|突出)?(?:问题|不足)|不足之处|主要问题|有待(?:进一步)?(?:加强|提高|完善)/
const INTRO_LIST = /包括|组成|部分|内容涵盖|由[^。]{0,20}组成/

/** The shipped model (npm run train:extract writes it), read once. */
let shipped: Model | null = null
export function shippedModel(): Model {
  shipped ??= deserialize(weights as unknown as SerializedModel)
  return shipped
}

export interface ExtractOptions {
  /** The learned model that scores candidates; null: the structural rules alone. Default: the shipped model. */
  model?: Model | null
  thresholds?: Thresholds
}

/** The structural analysis: normalised text, lines, metadata, sections and the rules' items. */
export function analyseReport(text: string) {
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
  /** Normalised [start, end) of each section items were taken from. */
  const sections: Array<{ kind: 'problem' | 'plan' | 'both'; s: number; e: number }> = []
  if (regions.length) {
    for (const r of regions) {
      raw.push(...processRegion(ctx, r, !hasPlan))
      if (r.to > r.from)
        sections.push({
          kind: r.kind,
          s:
            r.from < lines.length
              ? Math.max(lines[r.from].s, lines[r.from].afterHead < lines[r.from].e ? lines[r.from].afterHead : lines[r.from].s)
              : nz.text.length,
          e: lines[Math.min(r.to, lines.length) - 1].e,
        })
    }
  } else {
    const fb = fallbackRegion(lines)
    if (fb) {
      mixed(ctx, raw, fb[0], fb[1])
      sections.push({ kind: 'both', s: fb[0], e: fb[1] })
    }
  }
  raw.sort((a, b) => a.s - b.s)
  // drop items nested in an earlier one (can only happen with overlapping regions)
  const kept: RawItem[] = []
  for (const it of raw) {
    const last = kept[kept.length - 1]
    if (last && it.s < last.e) continue
    kept.push(it)
  }
  return { nz, lines, meta, regions, sections, raw: kept, groups: ctx.group }
}

/** The first clause of an item the model added, as its title span. */
function firstClause(t: string, s: number, e: number): [number, number] {
  const m = /[,。;:!?]/.exec(t.slice(s, e))
  const end = m && m.index >= 4 ? s + m.index : e
  return [s, Math.min(end, s + 40)]
}

const spanOf = ([ts, te]: [number, number]) => ({ ts, te })

/** Content characters below which the last words of a cut-off page are a stub, not an item. */
const STUB = 12
/**
 * A scraped page often stops mid-sentence ("3、要加强信息公开制度建"): an item that runs into the end
 * of such a text, without a sentence end, and says fewer than STUB characters names no measure or
 * problem that anyone could act on.
 */
function isCutOffStub(t: string, s: number, e: number): boolean {
  if (!/^[\s\ufffd]*$/.test(t.slice(e))) return false
  const body = t.slice(s, e).replace(/[\s\ufffd]+$/, '')
  if (/[。;!?.…]$/.test(body)) return false
  const mark = lineMark(body, 0, body.length)
  return body.slice(mark ? mark.end : 0).replace(/[^\p{Script=Han}A-Za-z]/gu, '').length < STUB
}

/** Same as extractReport but lets internal errors through (for tests). */
export function extractReportStrict(text: string, opts: ExtractOptions = {}): Extraction {
  if (typeof text !== 'string' || text.length === 0) return { ...EMPTY, items: [] }
  const a = analyseReport(text)
  const { nz, meta } = a
  const model = opts.model === undefined ? shippedModel() : opts.model
  let kept: Array<RawItem & { confidence: number | null }>
  if (model) {
    const cands = buildCandidates({ text: nz.text, lines: a.lines, regions: a.regions, raw: a.raw })
    const decided = decide(
      cands,
      cands.map(c => predict(model, c.features)),
      opts.thresholds,
    )
    let group = a.groups + 1
    const cut = (opts.thresholds ?? THRESHOLDS).cut
    kept = decided.flatMap(d => {
      const item =
        d.rawIndex >= 0
          ? { ...a.raw[d.rawIndex], kind: d.kind, confidence: d.confidence }
          : { kind: d.kind, s: d.s, e: d.e, ...spanOf(firstClause(nz.text, d.s, d.e)), group: group++, idx: 0, confidence: d.confidence }
      if (!model.boundary || !(cut <= 1)) return [item]
      const cuts = cutsOf(model.boundary, nz.text, item.s, item.e, item.kind, cut)
      if (!cuts.length) return [item]
      // the pieces of a cut item: the first keeps the item's title, each piece its own first clause
      // otherwise; the doubt about a cut lowers the confidence of every piece
      const conf = Math.min(item.confidence, ...cuts.map(c => c.prob))
      const edges = [item.s, ...cuts.map(c => c.p), item.e]
      return edges.slice(0, -1).map((s, i) => {
        let e = edges[i + 1]
        while (e > s && /\s/.test(nz.text[e - 1])) e--
        const title = i === 0 && item.ts < e ? { ts: item.ts, te: Math.min(item.te, e) } : spanOf(firstClause(nz.text, s, e))
        return { ...item, s, e, ...title, confidence: conf }
      })
    })
  } else {
    kept = a.raw.map(r => ({ ...r, confidence: null }))
  }
  kept = kept.filter(it => !isCutOffStub(nz.text, it.s, it.e))
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
      confidence: it.confidence === null ? null : Math.round(it.confidence * 1000) / 1000,
    }
  })
  let agency: string | null = null
  let agencyNormalized: string | null = null
  let agencyConfidence: number | null = null
  if (meta.agency) {
    const [s, e] = toOriginal(nz, meta.agency[0], meta.agency[1])
    // white space of the page inside a name ("凉州区 张义镇人民政府") is not part of it
    agency =
      text
        .slice(s, e)
        .trim()
        .replace(/(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])/g, '') || null
    agencyNormalized = normalizeAgency(nz.text.slice(meta.agency[0], meta.agency[1]))
    agencyConfidence = agency ? meta.agencyConfidence : null
  }
  let title: string | null = null
  if (meta.title) {
    const [s, e] = toOriginal(nz, meta.title[0], meta.title[1])
    title = text.slice(s, e).replace(/\s+/g, ' ').trim() || null
  }
  const sections = a.sections.map(sec => {
    const [start, end] = toOriginal(nz, sec.s, sec.e)
    return { kind: sec.kind, start, end }
  })
  return {
    agency,
    agencyNormalized,
    agencyConfidence,
    year: meta.year,
    yearConfidence: meta.yearConfidence,
    publishedAt: meta.publishedAt,
    title,
    items,
    sections,
  }
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
