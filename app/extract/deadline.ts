// Suggested deadlines: an explicit one from the item's text, else 31 December of the year after
// the report's year.
import { parseNum } from './lexicon'

function lastDay(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate()
}
function iso(y: number, m: number, d: number) {
  return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`
}

const NUM = '(\\d{1,2}|[一二三四五六七八九十]{1,3})'
const YEAR = '((?:19|20)\\d\\d)年'
const RE_YM = new RegExp(`${YEAR}${NUM}月(?:(\\d{1,2}|[一二三四五六七八九十]{1,3})日|底|末|份)?`)
const RE_YPART = new RegExp(`${YEAR}(?:的)?(上半年|下半年|年中|年底|年末|年内|底|末|内|第?[一二三四1-4]季度)`)
const RE_M = new RegExp(
  `(?:^|[^\\d年一二三四五六七八九十])${NUM}月(?:(\\d{1,2}|[一二三四五六七八九十]{1,3})日|底|末|份)?(?:前|之前|以前|内|完成|底前)`,
)
const RE_PART = /(?<!\d年(?:的)?)(上半年|下半年|年中|年底|年末|年内|今年内|本年度内|第?[一二三四1-4]季度)/
const RE_Y_DONE = new RegExp(`${YEAR}(?:底|末)?(?:前|之前|以前|完成|实现|建成|全面)`)

function quarterEnd(q: string): [number, number] {
  const n = parseNum(q.replace(/第|季度/g, '')) ?? 4
  const m = Math.min(4, Math.max(1, n)) * 3
  return [m, m === 6 || m === 9 ? 30 : 31]
}

function partEnd(p: string): [number, number] {
  if (p === '上半年' || p === '年中') return [6, 30]
  if (/季度/.test(p)) return quarterEnd(p)
  return [12, 31]
}

/** Deadline for an item whose normalised text is `text`, in a report covering `year`. */
export function suggestDue(text: string, year: number | null): string | null {
  const next = year ? year + 1 : null
  let m = RE_YM.exec(text)
  if (m) {
    const y = Number(m[1])
    const mo = parseNum(m[2])
    if (mo && mo >= 1 && mo <= 12 && (!year || y > year)) {
      const d = m[3] ? parseNum(m[3]) : null
      return iso(y, mo, d && d <= lastDay(y, mo) ? d : lastDay(y, mo))
    }
  }
  m = RE_YPART.exec(text)
  if (m) {
    const y = Number(m[1])
    if (!year || y > year) {
      const [mo, d] = partEnd(m[2])
      return iso(y, mo, d)
    }
  }
  if (next) {
    m = RE_M.exec(text)
    if (m) {
      const mo = parseNum(m[1])
      if (mo && mo >= 1 && mo <= 12) {
        const d = m[2] ? parseNum(m[2]) : null
        return iso(next, mo, d && d <= lastDay(next, mo) ? d : lastDay(next, mo))
      }
    }
    m = RE_PART.exec(text)
    if (m) {
      const [mo, d] = partEnd(m[1])
      return iso(next, mo, d)
    }
  }
  m = RE_Y_DONE.exec(text)
  if (m) {
    const y = Number(m[1])
    if (!year || y > year) return iso(y, 12, 31)
  }
  return next ? iso(next, 12, 31) : null
}
