// Is the agency of two reports the same body? Names drift between years (常德市人民政府政务服务中心 /
// 常德市政务服务中心, 重慶市 / 重庆市政府, 中国科学院上海应用物理研究所 / 上海应物所), so names are
// reduced to places (省/市/县/区/镇…) and a core organ (政务服务中心, 教育局…) and compared part by
// part. Places and organ must both agree: two districts' 政务服务中心 differ by place, 市教育局 and
// 市卫健委 by organ. A table of known aliases (merges and splits made by an administrator) overrides.
import { normChar } from '../extract/normalize'

export interface AgencyMatch {
  match: boolean
  score: number
}

/**
 * Known aliases: normalised or raw agency name -> canonical agency id. Two names with the same id
 * are the same agency; two names with different ids are different agencies, whatever they look like.
 */
export type AgencyAliases = Record<string, string> | Map<string, string>

/** Score at or above which two names are taken for the same agency. */
export const AGENCY_MATCH_THRESHOLD = 0.75

// Organ words written in several ways: reduce each to one spelling.
const ORGAN_SYNONYMS: Array<[RegExp, string]> = [
  [/人民政府/g, '政府'],
  [/管理委员会/g, '管委会'],
  [/办事处/g, ''],
  [/委员会/g, '委'],
  [/办公室/g, '办'],
  [/办公厅/g, '厅'],
  [/研究所$/g, '所'],
  [/研究院$/g, '院'],
]

// Leaders that do not name the agency.
const PREFIX_NOISE = /^(?:中共|中国共产党|关于|发布机构|发布单位)/

// Administrative places, from largest to smallest; the name of the smallest place is what
// distinguishes agencies with the same organ.
const PLACE =
  /^(?:(?:[\u4e00-\u9fff]{2,7}?(?:自治区|自治州|自治县|特别行政区|经济技术开发区|高新技术产业开发区|经济开发区|高新区|开发区|新区|工业园区|园区))|(?:[\u4e00-\u9fff]{1,6}?(?:州市|州区|州县|省|市|州|盟|地区|县|区|旗|镇|乡|街道)))/

// A name made only of these after the places is the place's government.
const GOVERNMENT = /^(?:政府|办|管委会|)$/

export interface AgencyParts {
  /** Places named, outermost first (e.g. ["广州市", "从化区"]). */
  places: string[]
  /** What is left: the organ (e.g. "机关事务管理局"). "政府" for a bare place. */
  organ: string
  /** The whole key, for exact comparisons and alias look-up. */
  key: string
}

/** Normalised comparison key of an agency name: simplified, no brackets, no noise, no spaces. */
export function agencyKey(name: string): string {
  let s = ''
  for (const ch of name) s += normChar(ch)
  s = s
    .replace(/[(（][^)）]*[)）]/g, '') // parenthesised notes, injected pinyin
    .replace(/[^\u4e00-\u9fff]/g, '') // spam links, digits, punctuation
    .replace(PREFIX_NOISE, '')
  for (const [re, to] of ORGAN_SYNONYMS) s = s.replace(re, to)
  return s
}

const ORGAN_START =
  /^(?:政府|党委|政务|机关|教育|卫生|公安|财政|审计|统计|水利|交通|民政|司法|商务|文化|体育|环境|生态|自然|住房|城乡|农业|林业|人力|发展|市场|应急|信访|档案|税务|气象|科技|工业|退役|医疗|残联|妇联|工商|粮食|物价|国土|规划|城管|城市|公路|港口|海事|海关|人防|侨务|民族|宗教|营商|行政|数据|大数据|投资|经济|社会|公共|企业|综合|政法|纪委|监察|组织|宣传|统战|机构|编办|团委|总工会|科学|研究|中国科学院|中心|服务|办公)/

/** Split a key into places and organ. */
export function agencyParts(name: string): AgencyParts {
  const key = agencyKey(name)
  const places: string[] = []
  let rest = key
  for (let guard = 0; guard < 4; guard++) {
    // "市政务服务中心": the 市 alone is not a place name; a place needs a name before its level word
    const m = PLACE.exec(rest)
    if (!m) break
    const p = m[0]
    // do not take an organ for a place because it contains a level word (城市管理局 has 城市)
    if (ORGAN_START.test(p)) break
    places.push(p)
    rest = rest.slice(p.length)
  }
  // 常德市政府政务服务中心 -> 常德市 + 政务服务中心: the government inside an organ's name is a qualifier
  if (rest.startsWith('政府') && rest.length > 2) rest = rest.slice(2)
  // 市营商办 / 县审计局 without the place's name: the level word alone says nothing about which place
  if (!places.length && /^[省市县区镇乡]/.test(rest) && rest.length > 2) rest = rest.slice(1)
  const organ = GOVERNMENT.test(rest) ? '政府' : rest
  return { places, organ, key }
}

function bigramSet(s: string): Set<string> {
  const out = new Set<string>()
  for (let i = 0; i + 1 < s.length; i++) out.add(s.slice(i, i + 2))
  if (s.length === 1) out.add(s)
  return out
}

function diceStr(a: string, b: string): number {
  const A = bigramSet(a),
    B = bigramSet(b)
  if (!A.size || !B.size) return 0
  let n = 0
  for (const g of A) if (B.has(g)) n++
  return (2 * n) / (A.size + B.size)
}

/** `short` is an abbreviation of `long` (营商办 / 营商环境建设办): its characters appear in order, the last kept. */
function isAbbreviation(short: string, long: string): boolean {
  if (short.length < 3 || short.length >= long.length) return false
  if (short[short.length - 1] !== long[long.length - 1]) return false
  let j = 0
  for (const c of long) if (c === short[j]) j++
  return j === short.length
}

/** The level word of a place: 市, 区, 镇… */
export function placeLevel(p: string): string {
  return (
    /(?:自治区|自治州|自治县|特别行政区|经济技术开发区|高新技术产业开发区|经济开发区|高新区|开发区|新区|工业园区|园区|省|市|州|盟|地区|县|区|旗|镇|乡|街道)$/.exec(
      p,
    )?.[0] ?? ''
  )
}

export function placeName(p: string): string {
  return p.slice(0, p.length - placeLevel(p).length)
}

function lookupAlias(aliases: AgencyAliases | undefined, name: string, key: string): string | undefined {
  if (!aliases) return undefined
  const get = (k: string) =>
    aliases instanceof Map ? aliases.get(k) : Object.prototype.hasOwnProperty.call(aliases, k) ? aliases[k] : undefined
  return get(name) ?? get(key)
}

/** Compare two agency names. Unknown (null or empty) names never match. */
export function matchAgency(a: string | null | undefined, b: string | null | undefined, aliases?: AgencyAliases): AgencyMatch {
  if (!a || !b) return { match: false, score: 0 }
  const A = agencyParts(a),
    B = agencyParts(b)
  if (aliases) {
    const ia = lookupAlias(aliases, a, A.key),
      ib = lookupAlias(aliases, b, B.key)
    if (ia !== undefined && ib !== undefined) return ia === ib ? { match: true, score: 1 } : { match: false, score: 0 }
  }
  if (!A.key || !B.key) return { match: false, score: 0 }
  const score = agencySimilarity(A, B)
  return { match: score >= AGENCY_MATCH_THRESHOLD, score: Math.round(score * 1000) / 1000 }
}

function agencySimilarity(A: AgencyParts, B: AgencyParts): number {
  if (A.key === B.key) return A.places.length || A.organ.length >= 4 ? 1 : 0.6 // "镇政府" alone says little
  // places: the innermost places named by both must agree (a missing outer place is fine:
  // 广州市从化区机关事务管理局 / 从化区机关事务管理局)
  let placeScore = 0.5 // neither names a place
  if (A.places.length && B.places.length) {
    const pa = A.places[A.places.length - 1],
      pb = B.places[B.places.length - 1]
    const na = placeName(pa),
      nb = placeName(pb)
    // 广东从化经济开发区 / 从化经济开发区: a province written before the place's own name
    const sameName = na === nb || (Math.min(na.length, nb.length) >= 2 && (na.endsWith(nb) || nb.endsWith(na)))
    const sameInner = sameName && placeLevel(pa) === placeLevel(pb)
    if (sameInner) placeScore = 1
    else {
      // one name may stop at an outer place: 常德市 vs 常德市武陵区 is a different (smaller) body
      const all = new Set(A.places.map(placeName))
      const shared = B.places.some(p => all.has(placeName(p)))
      if (!shared) return 0.1
      return 0.2
    }
  } else if (A.places.length || B.places.length) {
    placeScore = 0.6 // one name omits the place (我局, 微电子所): only the organ can say
  }
  // organ
  const oa = A.organ,
    ob = B.organ
  let organScore: number
  if (oa === ob) organScore = 1
  else if (isAbbreviation(oa, ob) || isAbbreviation(ob, oa)) organScore = 0.9
  else if (oa.includes(ob) || ob.includes(oa)) {
    const short = oa.length < ob.length ? oa : ob
    const long = oa.length < ob.length ? ob : oa
    // 政务服务中心 in 常德市人民政府政务服务中心: same organ with a qualifier; 局 in 教育局: too little
    organScore = short.length >= 4 && long.endsWith(short) ? 0.85 : short.length >= 3 ? 0.6 : 0.3
  } else {
    const d = diceStr(oa, ob)
    // the organ's last word (局/委/中心/所…) must agree for two organs to be one
    const tail = (s: string) => /(?:中心|管委会|政府|委|局|厅|办|所|院|站|馆|队|处|室|会|社|部)$/.exec(s)?.[0] ?? s.slice(-1)
    organScore = tail(oa) === tail(ob) ? d : d * 0.5
  }
  if (placeScore === 0.5) return organScore * 0.9 // no place on either side: organ only, a little less sure
  if (placeScore === 0.6) return organScore * 0.85
  return organScore
}

/** Whole-key similarity (for display and tie-breaking). */
export function agencyNameSimilarity(a: string, b: string): number {
  return diceStr(agencyKey(a), agencyKey(b))
}
