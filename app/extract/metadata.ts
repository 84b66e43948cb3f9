// Metadata: issuing agency, year covered, publication date, title.
import type { Normalized } from './normalize'
import type { LineInfo } from './structure'
import { AGENCY_SUFFIX, DATE_LINE, parseNum } from './lexicon'

export interface Meta {
  agency: [number, number] | null
  year: number | null
  publishedAt: string | null
  title: [number, number] | null
}

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

const LABEL_AGENCY = /^(?:发布机构|发布单位|发文机关|发布机关|制发机关|发文单位|公开主体|公开单位|主办单位)[:]?(.*)$/
const LABEL_DATE = /(发布日期|发布时间|公开日期|发文日期|成文日期|印发日期|日期|时间|发表时间|更新时间)[:]?((?:19|20)\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2})/
const PUBLISH_AGENCY_BEFORE = /(?:公布|发布|印发|公开)(?:了)?《?([\u4e00-\u9fff()]{2,40}?)((?:19|20)\d\d)年(?:度)?(?:政府|政务)?信息公开/
const PUBLISH_AGENCY_AFTER = /(?:公布|发布|印发|公开)(?:了)?(?:本级人民政府)?《?((?:19|20)\d\d)年(?:度)?([\u4e00-\u9fff()]{2,30}?)(?:政府信息公开|政务信息公开|信息公开|政务公开)/
const REPORT_YEAR = /((?:19|20)\d\d)年(?:度)?[\u4e00-\u9fff()]{0,30}?(?:政府|政务)?信息公开(?:工作)?(?:情况|年度报告|年报|工作报告|报告)/
const STAT_YEAR = /统计(?:期限|期间|日期|时限|时间|范围)[^。]{0,12}?((?:19|20)\d\d)年/
const BODY_AGENCY = /(?:^|[,。;:\n]|年度?,?|在|由)([\u4e00-\u9fff()]{3,32}?(?:管理委员会|委员会|管委会|办公室|办事处|人民政府|研究所|研究院|中心|局|厅|署|所|馆|站|镇|乡|街道))(?=认真|高度|严格|始终|坚持|积极|按照|根据|依据|贯彻|以|全面|深入|持续|进一步|不断|紧紧|扎实|共|在|政府信息公开|政务公开|信息公开|主动|切实|将|围绕|立足|通过|落实|着力|加强|大力|结合|高质量|全力|稳步|依法|把|于|自|成立|的政府|的信息|的政务|聚焦|紧扣|继续|牢固|对照|对标|进一步|全年|本年度|今年|年内|共计|累计|通过|在区|在市|在县|政务|认真贯彻|紧密|按|依托|发布|公开|编制)/g
const NOT_AGENCY = /网站|平台|栏目|系统|热线|窗口|专栏|公众号|大厅|^(?:尤其|一些|部分|有些|个别|其中|所有|相关|有关|上级|下级|包括|以及|及其|其他|其它)|区委|市委|县委|党委|党中央|国务院|省政府|办公厅关于|^[我本全各该]|^(?:区|市|县|省)(?:政府|人民政府)$|领导|小组|(?:信息公开|政务公开)(?:工作)?$|年度|报告|条例|通知|意见|办法|规定|关于|印发/

function cleanAgency(s: string): string {
  let a = s.replace(/^(?:关于|现将|现|将|公布|发布)/, '').replace(/关于$/, '')
  a = a.replace(/(?:的)?(?:政府|政务)?信息公开(?:工作)?$/, '').replace(/(?:政务公开|政府信息|的)$/, '')
  return a
}

function isAgency(a: string): boolean {
  if (a.length < 3 || a.length > 40) return false
  if (NOT_AGENCY.test(a)) return false
  return /[\u4e00-\u9fff]{2}/.test(a)
}

export function extractMeta(nz: Normalized, lines: LineInfo[]): Meta {
  const t = nz.text
  const n = lines.length
  let title: [number, number] | null = null
  let titleYear: number | null = null
  let agency: [number, number] | null = null
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
    if (!TITLE_WORD.test(L.text) && L.e === lines[i].e && i + 1 < n && lines[i + 1].text.length <= 12 && /信息公开|政务公开/.test(L.text) && TITLE_WORD.test(L.text + lines[i + 1].text)) {
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
    // agency from the title
    const before = L.text.slice(0, ym.index)
    const tail = /[\u4e00-\u9fff()]+$/.exec(before)
    if (tail) {
      let raw = tail[0]
      // do not run over white space of the original (a flattened page)
      for (let k = L.s + ym.index - 1; k > L.s + ym.index - raw.length; k--) {
        if (nz.start[k] > nz.end[k - 1]) {
          raw = t.slice(k, L.s + ym.index)
          break
        }
      }
      const a = cleanAgency(raw)
      if (isAgency(a)) {
        const off = L.s + ym.index - raw.length + raw.indexOf(a)
        agency = [off, off + a.length]
      }
    }
    if (!agency) {
      const afterStart = ym.index + ym[0].length
      const after = L.text.slice(afterStart)
      const cut = /(?:政府信息公开|政务信息公开|信息公开|政务公开|年度报告|年报|工作报告|工作年度)/.exec(after)
      if (cut) {
        let a = after.slice(0, cut.index)
        let extra = 0
        if (/人民$/.test(a) && after.slice(cut.index, cut.index + 2) === '政府') extra = 2
        a = a + (extra ? '政府' : '')
        const lead = /^[\u4e00-\u9fff()]+/.exec(a)
        if (lead && isAgency(lead[0]) && lead[0] === a) agency = [L.s + afterStart, L.s + afterStart + a.length]
      }
    }
    break
  }
  year = titleYear

  // ---- labelled agency ----
  if (!agency) {
    for (let i = 0; i < topN; i++) {
      const m = LABEL_AGENCY.exec(lines[i].text)
      if (!m) continue
      let s = lines[i].s + lines[i].text.length - m[1].length
      let v = m[1]
      if (!v && i + 1 < n) {
        v = lines[i + 1].text
        s = lines[i + 1].s
      }
      const a = /^[\u4e00-\u9fff()]+/.exec(v)
      if (a && isAgency(a[0]) && AGENCY_SUFFIX.test(a[0])) {
        agency = [s, s + a[0].length]
        break
      }
    }
  }

  const head = t.slice(0, Math.min(t.length, 4000))
  // ---- "现公布XX局2018年政府信息公开工作年度报告" ----
  if (!agency || !year) {
    let m = PUBLISH_AGENCY_BEFORE.exec(head)
    if (m) {
      const raw = m[1]
      const a = cleanAgency(raw)
      if (!agency && isAgency(a)) {
        const off = m.index + m[0].indexOf(raw) + raw.indexOf(a)
        agency = [off, off + a.length]
      }
      if (!year) year = Number(m[2])
    }
    m = PUBLISH_AGENCY_AFTER.exec(head)
    if (m) {
      let a = m[2]
      if (/人民$/.test(a)) a += '政府'
      a = a.replace(/^(?:本级人民政府)/, '')
      if (!agency && isAgency(a) && AGENCY_SUFFIX.test(a)) {
        const off = m.index + m[0].indexOf(m[2], m[0].indexOf(m[1]) + 4)
        if (t.slice(off, off + a.length) === a) agency = [off, off + a.length]
      }
      if (!year) year = Number(m[1])
    }
  }
  // ---- a line that is only an agency name, near the top ----
  if (!agency) {
    for (let i = 0; i < Math.min(n, 6); i++) {
      const x = lines[i].text
      if (x.length <= 30 && /^[\u4e00-\u9fff()]+$/.test(x) && AGENCY_SUFFIX.test(x) && isAgency(x)) {
        agency = [lines[i].s, lines[i].e]
        break
      }
    }
  }
  // ---- signature at the end ----
  if (!agency) {
    for (let i = n - 1; i >= Math.max(0, n - 12); i--) {
      const x = lines[i].text
      if (x.length <= 30 && /^[\u4e00-\u9fff()]+$/.test(x) && AGENCY_SUFFIX.test(x) && isAgency(x)) {
        const next = lines[i + 1]
        if (!next || DATE_LINE.test(next.text) || i >= n - 3) {
          agency = [lines[i].s, lines[i].e]
          break
        }
      }
    }
  }
  // ---- the agency as the subject of a sentence ----
  if (!agency) {
    const body = head.replace(/《[^》\n]{0,80}》/g, m => '《' + '\u3000'.repeat(m.length - 2) + '》')
    BODY_AGENCY.lastIndex = 0
    let best: [number, number] | null = null
    let bestLen = 0
    let m: RegExpExecArray | null
    while ((m = BODY_AGENCY.exec(body))) {
      const a = m[1]
      const off = m.index + m[0].length - a.length
      BODY_AGENCY.lastIndex = m.index + Math.max(1, m[0].length - a.length)
      if (!isAgency(a)) continue
      if (a.length > bestLen) {
        best = [off, off + a.length]
        bestLen = a.length
      }
    }
    agency = best
  }

  // ---- year ----
  if (!year) {
    const m = REPORT_YEAR.exec(head) ?? STAT_YEAR.exec(head)
    if (m) year = Number(m[1])
  }
  if (!year) {
    const m = new RegExp(`(${CN_YEAR})年度?`).exec(head)
    if (m) {
      const y = parseYear(m[1])
      if (validYear(y) && /报告|信息公开/.test(head.slice(m.index, m.index + 40))) year = y
    }
  }

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
  if (!year && publishedAt) year = Number(publishedAt.slice(0, 4)) - 1
  return { agency, year: validYear(year) ? year : null, publishedAt, title }
}
