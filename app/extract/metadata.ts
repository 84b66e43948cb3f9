// Metadata: issuing agency (ranked in agency.ts), year covered, publication date, title.
import type { Normalized } from './normalize'
import type { LineInfo } from './structure'
import { DATE_LINE, parseNum } from './lexicon'
import { chooseAgency } from './agency'

export interface Meta {
  agency: [number, number] | null
  /** 0..1: how sure the agency choice is (null when there is no agency) */
  agencyConfidence: number | null
  year: number | null
  /** 0..1: how sure the year is, from where it was found (null when there is no year) */
  yearConfidence: number | null
  publishedAt: string | null
  title: [number, number] | null
}

/**
 * Where the year was read, most reliable first, with the confidence each gives: the title names the
 * year it reports on; a date in the body or the publication date only suggests it. Not learned: an
 * ordering of sources, lowered when the publication date disagrees (a report is published in the
 * year it covers or the next).
 */
const YEAR_SOURCE_CONFIDENCE = { title: 0.97, publish: 0.93, statement: 0.88, heading: 0.8, body: 0.55, published: 0.45 } as const

const CN_DIGIT: Record<string, number> = { 〇: 0, 零: 0, O: 0, o: 0, '0': 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 }

/** "二〇一八" / "二O一八" / "2018" -> 2018 */
export function parseYear(s: string): number | null {
  if (/^\d{4}$/.test(s)) return Number(s)
  if (s.length !== 4) return null
  let y = 0
  for (const c of s) {
    const d = CN_DIGIT[c]
    if (d === undefined) return null
    y = y * 10 + d
  }
  return y
}

const YEAR_ANY = /((?:19|20)\d\d|[一二][〇零O][一二三四五六七八九〇零O]{2})年(度)?/
const TITLE_WORD = /(?:年度?报告|年报|工作报告|年度工作报告|情况报告)/
const CN_YEAR = '[一二][〇零O][一二三四五六七八九〇零O]{2}'

function validYear(y: number | null): y is number {
  return y !== null && y >= 1990 && y <= 2100
}

function pad(n: number) {
  return n < 10 ? '0' + n : String(n)
}
function isoDate(y: number, m: number, d: number): string | null {
  if (!validYear(y) || m < 1 || m > 12 || d < 1 || d > 31) return null
  const dim = new Date(Date.UTC(y, m, 0)).getUTCDate()
  if (d > dim) return null
  return `${y}-${pad(m)}-${pad(d)}`
}

/** Parse one date written in any of the usual ways; null when it is not a full date. */
export function parseDate(s: string): string | null {
  let m = /((?:19|20)\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})/.exec(s)
  if (m) return isoDate(Number(m[1]), Number(m[2]), Number(m[3]))
  m = new RegExp(`(${CN_YEAR})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日`).exec(s)
  if (m) {
    const y = parseYear(m[1])
    const mo = parseNum(m[2])
    const d = parseNum(m[3])
    if (y && mo && d) return isoDate(y, mo, d)
  }
  return null
}

const LABEL_DATE =
  /(发布日期|发布时间|公开日期|发文日期|成文日期|印发日期|日期|时间|发表时间|更新时间)[:]?((?:19|20)\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2})/
const PUBLISH_AGENCY_BEFORE = /(?:公布|发布|印发|公开)(?:了)?《?([\u4e00-\u9fff()]{2,40}?)((?:19|20)\d\d)年(?:度)?(?:政府|政务)?信息公开/
const PUBLISH_AGENCY_AFTER =
  /(?:公布|发布|印发|公开)(?:了)?(?:本级人民政府)?《?((?:19|20)\d\d)年(?:度)?([\u4e00-\u9fff()]{2,30}?)(?:政府信息公开|政务信息公开|信息公开|政务公开)/
const REPORT_YEAR = /((?:19|20)\d\d)年(?:度)?[\u4e00-\u9fff()]{0,30}?(?:政府|政务)?信息公开(?:工作)?(?:情况|年度报告|年报|工作报告|报告)/
const STAT_YEAR = /统计(?:期限|期间|日期|时限|时间|范围)[^。]{0,12}?((?:19|20)\d\d)年/

export function extractMeta(nz: Normalized, lines: LineInfo[]): Meta {
  const t = nz.text
  const n = lines.length
  let title: [number, number] | null = null
  let titleYear: number | null = null
  let titleAt: { s: number; e: number; ys: number; ye: number; ls: number } | null = null
  let year: number | null = null

  // ---- title ----
  const topN = Math.min(n, 20)
  // candidates: the first lines, and inside them the runs separated by white space in the original
  // (a flattened page keeps its title between spaces)
  const cands: { s: number; e: number; text: string; li: number }[] = []
  for (let i = 0; i < topN; i++) {
    const { s, e } = lines[i]
    let a = s
    for (let k = s + 1; k <= e; k++) {
      if (k === e || nz.start[k] > nz.end[k - 1]) {
        if (a > s || k < e) cands.push({ s: a, e: k, text: t.slice(a, k), li: i })
        a = k
      }
    }
    cands.push({ s, e, text: lines[i].text, li: i })
  }
  for (const c of cands) {
    const i = c.li
    let L = { s: c.s, e: c.e, text: c.text }
    if (L.text.length > 90 || L.text.length < 6) continue
    if (
      !TITLE_WORD.test(L.text) &&
      L.e === lines[i].e &&
      i + 1 < n &&
      lines[i + 1].text.length <= 12 &&
      /信息公开|政务公开/.test(L.text) &&
      TITLE_WORD.test(L.text + lines[i + 1].text)
    ) {
      // a title broken over two lines
      L = { s: L.s, e: lines[i + 1].e, text: t.slice(L.s, lines[i + 1].e) }
    }
    if (!TITLE_WORD.test(L.text) || /。|^根据|^按照|^依据|^本年度|^本报告|^现将|^现公布/.test(L.text)) continue
    const ym = YEAR_ANY.exec(L.text)
    if (!ym) continue
    const y = parseYear(ym[1])
    if (!validYear(y)) continue
    title = [L.s, L.e]
    titleYear = y
    titleAt = { s: L.s, e: L.e, ys: L.s + ym.index, ye: L.s + ym.index + ym[0].length, ls: lines[i].s }
    break
  }
  year = titleYear
  let yearSource: keyof typeof YEAR_SOURCE_CONFIDENCE | null = year ? 'title' : null
  const found = (source: keyof typeof YEAR_SOURCE_CONFIDENCE) => {
    if (year && !yearSource) yearSource = source
  }

  const choice = chooseAgency(nz, lines, titleAt)

  const head = t.slice(0, Math.min(t.length, 4000))
  // ---- "现公布XX局2018年政府信息公开工作年度报告" ----
  if (!year) {
    const m = PUBLISH_AGENCY_BEFORE.exec(head)
    if (m) year = Number(m[2])
  }
  if (!year) {
    const m = PUBLISH_AGENCY_AFTER.exec(head)
    if (m) year = Number(m[1])
  }
  found('publish')
  // ---- year ----
  if (!year) {
    const m = REPORT_YEAR.exec(head) ?? STAT_YEAR.exec(head)
    if (m) year = Number(m[1])
  }
  found('statement')
  if (!year) {
    const m = new RegExp(`(${CN_YEAR})年度?`).exec(head)
    if (m) {
      const y = parseYear(m[1])
      if (validYear(y) && /报告|信息公开/.test(head.slice(m.index, m.index + 40))) year = y
    }
  }
  found('heading')

  // ---- publication date ----
  let publishedAt: string | null = null
  let writtenAt: string | null = null
  for (let i = 0; i < topN && !publishedAt; i++) {
    const m = LABEL_DATE.exec(lines[i].text)
    if (m) {
      const d = parseDate(m[2])
      if (d && m[1] === '成文日期') writtenAt = writtenAt ?? d
      else if (d) publishedAt = d
    }
  }
  if (!publishedAt && writtenAt) publishedAt = writtenAt
  if (!publishedAt) {
    for (let i = 0; i < Math.min(n, 8); i++) {
      const x = lines[i].text
      if (/^(?:19|20)\d\d[-/.]\d{1,2}[-/.]\d{1,2}/.test(x)) {
        publishedAt = parseDate(x)
        if (publishedAt) break
      }
    }
  }
  if (!publishedAt) {
    for (let i = n - 1; i >= Math.max(0, n - 10); i--) {
      const x = lines[i].text
      if (x.length <= 24 && DATE_LINE.test(x)) {
        const d = parseDate(x)
        if (d) {
          publishedAt = d
          break
        }
      }
    }
  }
  if (!year) {
    // first year in the body that is not a date of the page itself
    for (let i = 0; i < n && !year; i++) {
      const x = lines[i].text
      if (DATE_LINE.test(x) || LABEL_DATE.test(x) || /^(?:19|20)\d\d[-/.]/.test(x)) continue
      const m = /((?:19|20)\d\d)年(?!\d{0,2}月\d{1,2}日)/.exec(x.replace(/《[^》]*》/g, ''))
      if (m) year = Number(m[1])
    }
  }
  found('body')
  if (!year && publishedAt) year = Number(publishedAt.slice(0, 4)) - 1
  found('published')
  const finalYear = validYear(year) ? year : null
  let yearConfidence: number | null = null
  if (finalYear && yearSource) {
    yearConfidence = YEAR_SOURCE_CONFIDENCE[yearSource as keyof typeof YEAR_SOURCE_CONFIDENCE]
    const pub = publishedAt ? Number(publishedAt.slice(0, 4)) : null
    if (pub && (finalYear > pub || finalYear < pub - 1)) yearConfidence = Math.round(yearConfidence * 0.6 * 100) / 100
  }
  return {
    agency: choice ? choice.span : null,
    agencyConfidence: choice ? choice.confidence : null,
    year: finalYear,
    yearConfidence,
    publishedAt,
    title,
  }
}
