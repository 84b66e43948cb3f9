// The agency a report is from, read from the report itself (its extraction, title or text), before
// any matching (match.ts) or filing under a registered agency (resolve.ts, registry.server.ts).
import type { Extraction } from '../extract/types'
import { comparable } from '../followup/text'

const REPORT_TITLE = /^(.{2,40}?)(?:(?:19|20)\d\d|[一二][〇零O][一二三四五六七八九〇零O]{2})年度?.*(?:报告|年报)/
const SELF = /^(?:我|本)[局委办厅院所中心镇乡处站馆]/
const PUBLISHED = /(?:近日|日前|正式)?(?:发布|公布|印发|晒出)了?$/

/**
 * The agency a report is from: the extractor's, else the title's (我局… reports name themselves only
 * there), else the place the text keeps talking about (a bare place stands for its government).
 */
export function reportAgency(r: { text: string; extraction: Extraction }): string | null {
  const x = r.extraction
  // a news headline (常德市政务服务中心发布2018年…报告) leaves the verb on the name
  const agency = x.agency?.replace(PUBLISHED, '') || null
  if (agency && !SELF.test(agency)) return agency
  const m = x.title ? REPORT_TITLE.exec(comparable(x.title)) : null
  if (m && m[1].length >= 3) return m[1].replace(PUBLISHED, '')
  return agency ?? publisherNamed(r.text) ?? placeNamedMost(r.text)
}

// A news summary of a report names its agency as the one that published it:
// 近日,常德市政务服务中心公布了2018年度政府信息公开工作年度报告
const PUBLISHER =
  /([\u4e00-\u9fff]{3,30}?(?:局|委员会|委|办公室|办|厅|中心|政府|院|所|站|馆|处|管委会|公司|街道|镇|乡))(?:近日|日前|正式|已|向社会)?(?:公布|发布|公开|印发|晒出|发出)了?(?:其|本单位)?(?:(?:19|20)\d\d|[一二][〇零O][一二三四五六七八九〇零O]{2})年度?(?:的)?(?:政府信息公开|政务公开|信息公开)[^,。;]{0,6}(?:报告|年报)/
const NEWS_LEAD = /^(?:近日|日前|近期|今天|今日|昨天|昨日|据悉|据了解|记者从|记者获悉|本报讯|讯)+/

/** The agency a news summary says published the report, if it says so in its opening. */
function publisherNamed(text: string): string | null {
  const m = PUBLISHER.exec(comparable(text.slice(0, 600)).slice(0, 300))
  if (!m) return null
  const name = m[1].replace(NEWS_LEAD, '')
  return name.length >= 3 ? name : null
}

const PLACE_SUBJECT =
  /([\u4e00-\u9fff]{2,5}?(?:省|市|县|区|镇|乡))(?=深入|认真|积极|全面|坚持|按照|根据|进一步|不断|着力|大力|切实|严格|扎实|持续|紧紧|围绕|以|对|在|共|各级|政府信息公开|政务公开|信息公开)/g

/** The place most often written as the subject of a sentence, if it is written at least twice. */
function placeNamedMost(text: string): string | null {
  const t = comparable(text.slice(0, 20000))
  const count = new Map<string, number>()
  for (const m of t.matchAll(PLACE_SUBJECT)) {
    const p = m[1].replace(/^(?:年|月|日|,|。)+/, '')
    if (/^(?:全|各|本|我|该|此|城|地|新|辖|市|县|区)/.test(p)) continue
    count.set(p, (count.get(p) ?? 0) + 1)
  }
  let best: string | null = null,
    n = 1
  for (const [p, c] of count) if (c > n) ((best = p), (n = c))
  return best
}
