// Agency (报告机关): the body that issued the report, chosen among candidates. Candidates come from
// the title, labels (发布机构:…), "现公布XX2018年度报告", lines near the top that are only a name,
// page-title / breadcrumb segments, the signature (a short line before a date at the end), contact
// sentences (请与XX联系, 地址:XX) and subjects of sentences; "我局/本镇…" favours the names with that
// suffix (and finds one in the first lines when no other source has it). Every candidate must be a
// complete organ name (ends in 局/委员会/人民政府/街道/镇/中心…, no verbs or function words), so a
// sentence fragment never wins. A longer verbatim form (with its place prefix, or "政府" where the
// title is ambiguous: "XX镇政府信息公开…") takes over the score of the cut form; names seen in
// several places or several times rank higher. The result carries a confidence in 0..1 from the
// winner's support and its margin over the best unrelated competitor. Pure functions, no I/O.
import type { Normalized } from './normalize'
import type { LineInfo } from './structure'
import { DATE_LINE } from './lexicon'

export type AgencySource =
  'title' | 'titleAlt' | 'label' | 'publish' | 'topLine' | 'pageTitle' | 'signature' | 'contact' | 'body' | 'pronoun'

export interface AgencyCandidate {
  /** span in the normalised text, end exclusive */
  s: number
  e: number
  name: string
  source: AgencySource
}

export interface AgencyChoice {
  span: [number, number]
  name: string
  confidence: number
}

/** Weight of one sighting from each source. titleAlt ("XX镇政府" read from an ambiguous title) counts only when someone else confirms it. */
export const SOURCE_WEIGHT: Record<AgencySource, number> = {
  title: 6,
  label: 5,
  publish: 5,
  signature: 4,
  topLine: 3,
  pageTitle: 2,
  contact: 2,
  pronoun: 2,
  body: 1.5,
  titleAlt: 0,
}

// ---- what a complete organ name looks like ------------------------------------------------------
const NAME_CHARS = /^[\u4e00-\u9fff()]+$/
export const ORGAN_END =
  /(?:人民政府|政府|海关|大学|管理委员会|委员会|管委会|办公室|办公厅|办事处|街道|中心|研究所|研究院|开发区|高新区|新区|园区|示范区|试验区|合作区|管理区|保税区|风景区|[局委办厅处署院所站馆镇乡部队社会])$/
/** a government named by its place only ("凉州区", "五常市"): accepted from the title, where it is the report's subject */
const PLACE_END = /(?:省|市|县|区|旗|州|盟)$/
/** verbs, function words and page words: their presence makes a run a sentence fragment, not a name */
const FRAGMENT =
  /请|与|的|了|着|我|您|当前|在|将(?!乐)|把|被|是|等|使|对(?!外)|(?:面|时|效|真|极|范|断|步|续|实|入|格|力|动|好)地|公开(?!办)|全面|导致|进行|实行|实施|由于|鉴于|为了|随着|针对|建立|健全|今年|以来|一年来|公布|发布|印发|着力|根据|按照|依据|依照|认真|积极|加强|推进|推动|做好|落实|贯彻|开展|进一步|不断|切实|深入|坚持|围绕|通过|成立|设立|指定|负责|确保|及时|主动|严格|规范|完善|提高|提升|加大|联系|电话|地址|邮编|报告|条例|关于|通知|意见|办法|规定|年度|情况|网站|平台|栏目|系统|热线|窗口|专栏|公众号|大厅|领导|小组|首页|位置|标题|正文|目录|年报|以下|以上|其中|包括|以及|相关|有关|上级|下级|所属|各级|区委|市委|县委|党委|党中央|国务院|省政府|(?:信息公开|政务公开)(?!办)|工作(?!委员会|办公室|部|局|站|中心)/
const BAD_START =
  /^(?:本(?!溪)|该|各|此|其|由|全(?:市|县|区|镇|乡|省|局|委|街)|尤其|一些|部分|有些|个别|所有|其他|其它|下属|直属|(?:区|市|县|省|镇|乡)(?:人民)?政府$)/
const GENERIC = /^(?:(?:乡|镇|街道|街|区|县|市|省|部门|单位|机关|人民政府|政府|办事处|办公室|政府办)+|.{1,2})$/

/** A complete organ name (or, with allowPlace, a place whose government reports). */
export function isOrganName(name: string, allowPlace = false): boolean {
  if (name.length < 3 || name.length > 40 || !NAME_CHARS.test(name)) return false
  const core = name.replace(/\([^()]*\)$/, '')
  if (!ORGAN_END.test(core) && !(allowPlace && PLACE_END.test(core))) return false
  if (GENERIC.test(name) || BAD_START.test(name) || FRAGMENT.test(name)) return false
  if (/^[()]/.test(name)) return false
  let depth = 0
  for (const c of name) {
    if (c === '(') depth++
    else if (c === ')' && --depth < 0) return false
  }
  return depth === 0
}

/** Words before a name inside one run of characters ("现公布", "请与", "今年以来"): the name starts after the last of them. */
const LEAD_JUNK =
  /^.*(?:报告由|现将|现公布|公布|发布|印发|编制(?!委员会)|关于|请与|请|联系|地址|首页|当前位置|位置|标题|名称|简称|今年以来|一年来|近年来|本年度|年度|全年|同时|此外|另外|目前|如下)/
/** Sub-units after an organ name in a contact sentence ("XX局办公室", "XX办综合处"): the agency is the part before. */
const SUB_UNIT = /^[\u4e00-\u9fff]{0,8}?(?:办公室|综合科|综合股|综合处|秘书科|科|股|处|室|组)$/
const CJK = (c: number) => (c >= 0x4e00 && c <= 0x9fff) || c === 0x28 || c === 0x29

/** Start of the run of name characters that ends at `end` (not before `lo`, not over white space of the original). */
function runStart(nz: Normalized, end: number, lo: number, overGaps = false): number {
  const t = nz.text
  let k = end
  while (k > lo && CJK(t.charCodeAt(k - 1))) {
    if (!overGaps && k < end && nz.start[k] > nz.end[k - 1]) break
    k--
  }
  return k
}

/** The name that ends at `end`, junk before it removed; null when it is not a complete name. */
function nameEndingAt(nz: Normalized, end: number, lo: number, allowPlace = false): [number, number] | null {
  let s = runStart(nz, end, lo)
  const m = LEAD_JUNK.exec(nz.text.slice(s, end))
  if (m) s += m[0].length
  // the rest of a date before the name ("2021年广州市…")
  if (s < end && /[年月日号]/.test(nz.text[s]) && s > 0 && /\d/.test(nz.text[s - 1])) s++
  // a preposition glued in front ("由凉州区…", "在某某局…")
  const p = /^(?:由|在|对(?!外)|为(?!民)|请|与|将(?!乐)|把|被)/.exec(nz.text.slice(s, end))
  if (p) s += p[0].length
  return isOrganName(nz.text.slice(s, end), allowPlace) ? [s, end] : null
}

function push(out: AgencyCandidate[], t: string, s: number, e: number, source: AgencySource) {
  out.push({ s, e, name: t.slice(s, e), source })
}

// ---- gatherers -------------------------------------------------------------------------------------

/** The title's name: before the year ("XX局2018年度…") or after it ("2018年XX镇政府信息公开…"). */
export function titleCandidates(nz: Normalized, ts: number, te: number, ys: number, ye: number, ls = ts): AgencyCandidate[] {
  const t = nz.text
  const out: AgencyCandidate[] = []
  // before the year: the run up to the year, cut at white space of the original unless what is
  // before the gap is a place ("凉州区 张义镇人民政府2018年…")
  let s = runStart(nz, ys, ts)
  while (s > ls && nz.start[s] > nz.end[s - 1]) {
    const p = runStart(nz, s, ls)
    const part = t.slice(p, s)
    if (p === s || !/^[\u4e00-\u9fff]{2,12}(?:省|市|区|县|州|旗|盟|镇|乡)$/.test(part) || FRAGMENT.test(part)) break
    s = p
  }
  let raw = t.slice(s, ys)
  let a = raw.replace(/^(?:关于|现将|现|将|公布|发布)/, '')
  const lead = raw.length - a.length
  let b = a
    .replace(/关于$/, '')
    .replace(/(?:的)?(?:政府|政务)?信息公开(?:工作)?$/, '')
    .replace(/(?:政务公开|政府信息|的)$/, '')
  if (isOrganName(b, true)) push(out, t, s + lead, s + lead + b.length, 'title')
  else {
    // a page title glued in front ("…网站首页XX局"): the last complete name of the run
    const r = nameEndingAt(nz, s + lead + b.length, s + lead)
    if (r) push(out, t, r[0], r[1], 'title')
  }
  if (out.length) return out
  // after the year
  const after = t.slice(ye, te)
  const cut = /(?:政府信息公开|政务信息公开|信息公开|政务公开|年度报告|年报|工作报告|工作年度)/.exec(after)
  if (!cut) return out
  a = after.slice(0, cut.index)
  if (/人民$/.test(a) && after.startsWith('政府', cut.index)) a += '政府'
  else if (after.startsWith('政府信息', cut.index) && isOrganName(a + '政府', true)) {
    // "2016年XX镇政府信息公开…": the name is XX镇 or XX镇政府; the longer one only when confirmed elsewhere
    push(out, t, ye, ye + a.length + 2, 'titleAlt')
  }
  if (isOrganName(a, true)) push(out, t, ye, ye + a.length, 'title')
  return out
}

const LABEL_AGENCY = /^(?:发布机构|发布单位|发文机关|发布机关|制发机关|发文单位|公开主体|公开单位|信息来源单位|主办单位)[:]?(.*)$/
const PUBLISH_BEFORE = /(?:公布|发布|印发|公开|现将)(?:了)?《?([\u4e00-\u9fff()]{2,40}?)((?:19|20)\d\d)年(?:度)?(?:政府|政务)?信息公开/dg
const PUBLISH_AFTER =
  /(?:公布|发布|印发|公开)(?:了)?(?:本级人民政府)?《?((?:19|20)\d\d)年(?:度)?([\u4e00-\u9fff()]{2,30}?)(?:政府信息公开|政务信息公开|信息公开|政务公开)/dg
const BODY_AGENCY =
  /(?:^|[,。;:\n]|年度?,?|在|由)([\u4e00-\u9fff()]{1,32}?(?:管理委员会|委员会|管委会|办公室|办事处|人民政府|研究所|研究院|中心|局|厅|署|所|馆|站|镇|乡|街道))(?=认真|高度|严格|始终|坚持|积极|按照|根据|依据|贯彻|以|全面|深入|持续|进一步|不断|紧紧|扎实|共|在|政府信息公开|政务公开|信息公开|主动|切实|将|围绕|立足|通过|落实|着力|加强|大力|结合|高质量|全力|稳步|依法|把|于|自|成立|的政府|的信息|的政务|聚焦|紧扣|继续|牢固|对照|对标|全年|本年度|今年|年内|共计|累计|在区|在市|在县|政务|紧密|按|依托|发布|公开|编制)/g
const CONTACT_AFTER_LABEL =
  /(?:联系单位|联系部门|受理单位|受理机构|受理机关|办理机构|工作机构|联系地址|通讯地址|通信地址|单位名称|地址)[:]?(?=[\u4e00-\u9fff])/g
const CONTACT_PLEASE = /请(?:与|向|联系|致电|来函至|函告)?:?(?=[\u4e00-\u9fff])/g
// 我区/我县/我市 name the jurisdiction (departments use them too): they say nothing about the suffix
// (本站 is the web site, 本部/本部门 say nothing, 本办法 is a rule)
const PRONOUN =
  /[我本](局|委|镇|乡|街道|办(?!法|理|事|结|件)|院|厅|中心|所(?!在|有|属)|馆|署)(?![\u4e00-\u9fff]{0,1}(?:长|领导|党组|主任|书记))/g
const PRONOUN_FITS: Record<string, RegExp> = {
  局: /局$/,
  委: /委$|委员会$|管委会$/,
  镇: /镇$|镇(?:人民)?政府$/,
  乡: /乡$|乡(?:人民)?政府$/,
  街道: /街道$|街道办事处$|街道办$/,
  办: /办$|办公室$|办事处$/,
  院: /院$/,
  厅: /厅$/,
  中心: /中心$/,
  所: /所$/,
  馆: /馆$/,
  署: /署$/,
}

/** Does the name fit "我局/本镇…" (a trailing "(…)" aside)? */
function fitsPronoun(name: string, suffix: string): boolean {
  return PRONOUN_FITS[suffix]?.test(name.replace(/\([^()]*\)$/, '')) ?? false
}

const SIGN_DATE =
  /((?:19|20)\d\d年\d{1,2}月\d{1,2}日|[一二〇零O○]{2}[一二三四五六七八九〇零O○]{2}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日)$/

/** The name of a contact sentence starting at `s`: the whole run when it is a name, or the organ before a sub-unit. */
function contactName(nz: Normalized, s: number, limit: number): [number, number] | null {
  const t = nz.text
  let e = s
  while (e < limit && CJK(t.charCodeAt(e))) e++
  let run = t.slice(s, e).replace(/(?:联系|咨询|反映|查询|索取|申请).*$/, '')
  e = s + run.length
  if (!isOrganName(run)) {
    // "XX局办公室综合科" / "衢州市营商环境建设办公室综合处": the organ before the sub-unit
    for (let k = e - 1; k >= s + 3; k--) {
      if (SUB_UNIT.test(t.slice(k, e)) && isOrganName(t.slice(s, k))) return [s, k]
    }
    return null
  }
  // "XX局办公室" names the office that answers, the agency is XX局
  for (let k = e - 2; k >= s + 3; k--) {
    if (
      /^(?:办公室|综合科|综合处|综合股|党政办|党政综合办|综合办|政务公开办|信息公开办)$/.test(t.slice(k, e)) &&
      isOrganName(t.slice(s, k))
    )
      return [s, k]
  }
  return [s, e]
}

/** Subjects of sentences ("2019年,XX局认真贯彻…") in the first part of the text (`head`). */
function bodyCandidates(nz: Normalized, head: string): AgencyCandidate[] {
  const out: AgencyCandidate[] = []
  const body = head.replace(/《[^》\n]{0,80}》/g, m => '《' + '\u3000'.repeat(m.length - 2) + '》')
  BODY_AGENCY.lastIndex = 0
  for (let m; (m = BODY_AGENCY.exec(body));) {
    const a = m[1]
    const end = m.index + m[0].length
    BODY_AGENCY.lastIndex = end - a.length + 1
    const r = nameEndingAt(nz, end, end - a.length)
    if (r) push(out, nz.text, r[0], r[1], 'body')
  }
  return out
}

const TABLE_LABEL = /^(?:发布机构|发布单位|发文机关|发布机关|制发机关|发文单位|公开主体|公开单位|信息来源单位|主办单位)$/

/** The cells of a line [s, e): runs of characters between white space (or table pipes) of the original. */
export function cellsOf(nz: Normalized, s: number, e: number): Array<[number, number]> {
  const out: Array<[number, number]> = []
  let a = s
  for (let k = s + 1; k <= e; k++) {
    if (k === e || nz.start[k] > nz.end[k - 1]) {
      out.push([a, k])
      a = k
    }
  }
  return out
}

/** All candidates of a document. `title` is the title line with its year, when one was found. */
export function gatherCandidates(
  nz: Normalized,
  lines: LineInfo[],
  title: { s: number; e: number; ys: number; ye: number; ls?: number } | null,
): AgencyCandidate[] {
  const t = nz.text
  const n = lines.length
  const out: AgencyCandidate[] = []
  if (title) out.push(...titleCandidates(nz, title.s, title.e, title.ys, title.ye, title.ls))
  const topN = Math.min(n, 20)
  // ---- labels, lines that are only a name, page-title and breadcrumb segments ----
  for (let i = 0; i < topN; i++) {
    const L = lines[i]
    // a metadata table ("索引号 | 公开方式 | 发布机构" over "… | 主动公开 | XX镇人民政府"): the cell under the label
    if (i + 1 < n) {
      const head = cellsOf(nz, L.s, L.e)
      const col = head.length >= 2 ? head.findIndex(([a, b]) => TABLE_LABEL.test(t.slice(a, b))) : -1
      if (col >= 0) {
        const row = cellsOf(nz, lines[i + 1].s, lines[i + 1].e)
        if (row.length === head.length && isOrganName(t.slice(row[col][0], row[col][1]))) push(out, t, row[col][0], row[col][1], 'label')
      }
    }
    const m = LABEL_AGENCY.exec(L.text)
    if (m) {
      let s = L.e - m[1].length
      let e = L.e
      if (!m[1] && i + 1 < n) ({ s, e } = lines[i + 1])
      let k = s
      while (k < e && CJK(t.charCodeAt(k))) k++
      if (isOrganName(t.slice(s, k))) push(out, t, s, k, 'label')
      continue
    }
    if (i < 8 && L.text.length <= 30 && isOrganName(L.text)) {
      push(out, t, L.s, L.e, 'topLine')
      continue
    }
    if (i < 8) {
      // segments of a page title or breadcrumb: between > _ - | · and white space of the original
      let a = L.s
      for (let k = L.s + 1; k <= L.e; k++) {
        const ch = k < L.e ? t.charCodeAt(k) : 0
        const sep = ch === 0x3e || ch === 0x5f || ch === 0x2d || ch === 0xb7 || ch === 0x2014
        if (k === L.e || sep || nz.start[k] > nz.end[k - 1]) {
          if (a > L.s || k < L.e) {
            if (isOrganName(t.slice(a, k))) push(out, t, a, k, 'pageTitle')
          }
          a = sep ? k + 1 : k
        }
      }
    }
  }
  const head = t.slice(0, Math.min(t.length, 4000))
  // ---- "现公布XX局2018年度政府信息公开工作年度报告" ----
  PUBLISH_BEFORE.lastIndex = 0
  for (let m; (m = PUBLISH_BEFORE.exec(head));) {
    const s = m.indices![1][0]
    const raw = m[1].replace(/(?:的)?(?:政府|政务)?信息公开(?:工作)?$/, '')
    const r = nameEndingAt(nz, s + raw.length, s)
    if (r) push(out, t, r[0], r[1], 'publish')
  }
  PUBLISH_AFTER.lastIndex = 0
  for (let m; (m = PUBLISH_AFTER.exec(head));) {
    let a = m[2]
    let s = m.indices![2][0]
    if (a.startsWith('本级人民政府')) [a, s] = [a.slice(6), s + 6]
    if (/人民$/.test(a) && t.startsWith('政府', s + a.length)) a += '政府'
    if (isOrganName(a)) push(out, t, s, s + a.length, 'publish')
  }
  // ---- signature: a short name line before a date at the end, or a name just before the final date ----
  for (let i = n - 1; i >= Math.max(0, n - 12); i--) {
    const x = lines[i].text
    if (x.length > 30 || !isOrganName(x)) continue
    const next = lines[i + 1]
    if (
      !next ||
      DATE_LINE.test(next.text) ||
      i >= n - 3 ||
      (i + 2 < n && lines[i + 1].text.length <= 30 && isOrganName(lines[i + 1].text) && DATE_LINE.test(lines[i + 2].text))
    ) {
      push(out, t, lines[i].s, lines[i].e, 'signature')
    }
  }
  // a name just before the date on the same line: "…水平。XX局2019年1月20日" (a flattened end)
  for (let i = n - 1; i >= Math.max(0, n - 6); i--) {
    const L = lines[i]
    const m = SIGN_DATE.exec(L.text)
    if (!m || m.index === 0) continue
    const r = nameEndingAt(nz, L.s + m.index, L.s)
    if (r) push(out, t, r[0], r[1], 'signature')
  }
  // ---- contact sentences ----
  for (const re of [CONTACT_AFTER_LABEL, CONTACT_PLEASE]) {
    re.lastIndex = 0
    for (let m; (m = re.exec(t));) {
      const s = m.index + m[0].length
      const r = contactName(nz, s, Math.min(t.length, s + 40))
      if (r) push(out, t, r[0], r[1], 'contact')
    }
  }
  // ---- subjects of sentences: only when no title, label or "现公布…" names an organ ----
  if (
    !out.some(
      c => (c.source === 'title' || c.source === 'label' || c.source === 'publish') && ORGAN_END.test(c.name.replace(/\([^()]*\)$/, '')),
    )
  ) {
    out.push(...bodyCandidates(nz, head))
  }
  // ---- "我局/本镇…": favour names with that suffix; none among the candidates -> look in the first lines ----
  const fit = pronounSuffix(t)
  if (fit && !out.some(c => c.source !== 'titleAlt' && fitsPronoun(c.name, fit))) {
    const top = Math.min(n, 8)
    for (let i = 0; i < top; i++) {
      const L = lines[i]
      for (let k = L.text.indexOf(fit); k >= 0; k = L.text.indexOf(fit, k + 1)) {
        const r = nameEndingAt(nz, L.s + k + fit.length, L.s)
        if (r && fitsPronoun(t.slice(r[0], r[1]), fit)) push(out, t, r[0], r[1], 'pronoun')
      }
    }
  }
  return out
}

const STRONG = new Set<AgencySource>(['title', 'label', 'publish', 'topLine'])

/** Every verbatim place-prefixed form of a candidate in the text ("张义镇人民政府" -> "凉州区张义镇人民政府" in a sentence). */
function prefixedForms(nz: Normalized, cands: AgencyCandidate[]): AgencyCandidate[] {
  const t = nz.text
  const out: AgencyCandidate[] = []
  // a name the title, a label or the top of the page gives is the reference form: not extended
  const seen = new Set<string>(cands.filter(c => STRONG.has(c.source)).map(c => c.name))
  for (const c of cands) {
    if (c.source === 'titleAlt' || seen.has(c.name)) continue
    seen.add(c.name)
    let k = 0
    for (let i = t.indexOf(c.name); i >= 0 && k < 10; i = t.indexOf(c.name, i + c.name.length), k++) {
      const e = i + c.name.length
      const r = nameEndingAt(nz, e, Math.max(0, i - 24))
      if (r && r[0] < i && placeExtends(t.slice(r[0], e), c.name)) push(out, t, r[0], e, 'body')
    }
  }
  return out
}

/** The suffix the report uses for itself ("我局" -> 局), the most frequent one; null when none. */
export function pronounSuffix(text: string): string | null {
  const count = new Map<string, number>()
  PRONOUN.lastIndex = 0
  for (let m; (m = PRONOUN.exec(text));) count.set(m[1], (count.get(m[1]) ?? 0) + 1)
  let best: string | null = null
  let bc = 0
  for (const [k, c] of count) if (c > bc) [best, bc] = [k, c]
  return best
}

// ---- ranking ---------------------------------------------------------------------------------------

/** A cut form A of B: B is A with a place prefix ("凉州区" + "张义镇人民政府") or with its "(…)" ("XX局(XX管委会)"). */
function placeExtends(b: string, a: string): boolean {
  if (b.length <= a.length) return false
  // "凉州区"+"张义镇人民政府", or "蓬莱"+"市统计局" (the cut form kept the level word of the place)
  if (b.endsWith(a) && (/(?:省|市|区|县|州|旗|盟|镇|乡)$/.test(b.slice(0, b.length - a.length)) || /^(?:省|市|区|县|州|旗|镇|乡)/.test(a)))
    return true
  const core = b.replace(/\([^()]*\)$/, '')
  return core !== b && (core === a || placeExtends(core, a))
}

/** A name that starts with an administrative level instead of a place. */
const PLACELESS = /^(?:省|市|区|县|州|旗|盟)(?!委|政府|人民政府)/

/** A short form made of the long one's characters in order, same last character ("微电子所" of "中国科学院微电子研究所"). */
function abbreviates(short: string, long: string): boolean {
  if (short.length >= long.length || short.length < 3 || short[short.length - 1] !== long[long.length - 1]) return false
  let k = 0
  for (const c of long) if (c === short[k]) k++
  return k === short.length
}

/**
 * Choose among the candidates. `text` is the normalised document (names seen more often rank higher);
 * `pronoun` the suffix of "我局/本镇…" when the report uses one.
 */
export function rankCandidates(text: string, cands: AgencyCandidate[], pronoun: string | null = null): AgencyChoice | null {
  if (!cands.length) return null
  interface Entry {
    name: string
    score: number
    best: AgencyCandidate
    bestW: number
    sources: Set<AgencySource>
    alive: boolean
  }
  const byName = new Map<string, Entry>()
  for (const c of cands) {
    const w = SOURCE_WEIGHT[c.source]
    let en = byName.get(c.name)
    if (!en) byName.set(c.name, (en = { name: c.name, score: 0, best: c, bestW: -1, sources: new Set(), alive: true }))
    // one source counts once per name (a signature twice is one signature), body sightings add up to 3
    if (!en.sources.has(c.source) || (c.source === 'body' && en.score < 3 * w)) en.score += w
    en.sources.add(c.source)
    if (w > en.bestW) [en.best, en.bestW] = [c, w]
  }
  const entries = [...byName.values()]
  for (const en of entries) {
    // seen several times in the text
    let k = 0
    for (let i = text.indexOf(en.name); i >= 0 && k < 6; i = text.indexOf(en.name, i + en.name.length)) k++
    en.score += 0.5 * Math.max(0, k - 1)
    // the report calls itself 我局: a 局 gains, a name of another kind loses
    if (pronoun) en.score = fitsPronoun(en.name, pronoun) ? en.score + 1.5 : en.score * 0.7
    // "市政务中心", "县教育局": a short form that names no place, used by a report about itself,
    // counts for less than a name that does (however often the text repeats it)
    if (PLACELESS.test(en.name)) en.score *= 0.5
  }
  const confirmed = (en: Entry) => [...en.sources].some(s => s !== 'titleAlt')
  // a titleAlt form nobody else wrote is dropped
  for (const en of entries) if (!confirmed(en)) en.alive = false
  // longer verbatim forms take over the cut ones, longest first
  const live = entries.filter(en => en.alive).sort((x, y) => y.name.length - x.name.length)
  for (const b of live) {
    if (!b.alive) continue
    for (const a of live) {
      if (a === b || !a.alive) continue
      const alt = b.sources.has('titleAlt') && b.name.length === a.name.length + 2 && b.name.startsWith(a.name) && b.name.endsWith('政府')
      // only a form written where the cut one is (a signature counts as much as the title): the
      // longer name of a page's "来源:" line does not replace the title's
      if ((placeExtends(b.name, a.name) || alt) && b.bestW >= Math.min(a.bestW, SOURCE_WEIGHT.signature)) {
        b.score += a.score
        a.alive = false
      }
    }
  }
  const ranked = live.filter(en => en.alive).sort((x, y) => y.score - x.score || y.name.length - x.name.length || x.best.s - y.best.s)
  if (!ranked.length) return null
  const win = ranked[0]
  // the best competitor that is not a form of the same name
  const related = (x: string, y: string) => x.includes(y) || y.includes(x) || abbreviates(x, y) || abbreviates(y, x)
  const rival = ranked.find(en => en !== win && !related(en.name, win.name))
  const s1 = win.score
  const s2 = rival ? rival.score : 0
  const strength = 1 - Math.exp(-s1 / 5)
  const margin = (s1 - s2) / s1
  const confidence = Math.round(strength * (0.5 + 0.5 * margin) * 100) / 100
  // the span: the winner's sighting from its strongest source (a titleAlt form is its own span)
  let best = win.best
  for (const c of cands) if (c.name === win.name && SOURCE_WEIGHT[c.source] > SOURCE_WEIGHT[best.source]) best = c
  return { span: [best.s, best.e], name: win.name, confidence }
}

/** The agency of a document: candidates gathered and ranked; null span when there is none. */
export function chooseAgency(
  nz: Normalized,
  lines: LineInfo[],
  title: { s: number; e: number; ys: number; ye: number; ls?: number } | null,
): AgencyChoice | null {
  const cands = gatherCandidates(nz, lines, title)
  cands.push(...prefixedForms(nz, cands))
  return rankCandidates(nz.text, cands, pronounSuffix(nz.text))
}
