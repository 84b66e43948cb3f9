// Text helpers for comparing report passages: every comparison runs on the extractor's normalised
// text (simplified, NFKC, look-alikes and injected pinyin removed), never on the raw text.
import { normalize } from '../extract/normalize'

/** Normalised text for comparison only: no white space, no line breaks. */
export function comparable(text: string): string {
  return normalize(text).text.replace(/\s+/g, '')
}

export function isHan(code: number): boolean {
  return (code >= 0x4e00 && code <= 0x9fff) || (code >= 0x3400 && code <= 0x4dbf)
}

// Bigrams that carry no meaning in these reports: every report is about "政府信息公开工作", and
// every plan "进一步加强/完善/提高/推进" something. They would make any two passages look alike.
const STOP_WORDS = [
  '政府信息公开',
  '政务公开',
  '信息公开',
  '政府信息',
  '政务信息',
  '公开工作',
  '有关',
  '相关',
  '工作',
  '各项',
  '进一步',
  '加强',
  '加大',
  '完善',
  '提高',
  '提升',
  '推进',
  '推动',
  '落实',
  '深入',
  '深化',
  '强化',
  '健全',
  '切实',
  '不断',
  '持续',
  '继续',
  '积极',
  '认真',
  '努力',
  '着力',
  '全面',
  '大力',
  '扎实',
  '做好',
  '抓好',
  '力度',
  '水平',
  '质量',
  '效果',
  '实效',
  '要求',
  '规定',
  '条例',
  '中华人民共和国',
  '人民群众',
  '群众',
  '我们',
  '我局',
  '我办',
  '我委',
  '我所',
  '我中心',
  '本单位',
  '单位',
  '部门',
  '今后',
  '下一步',
  '今年',
  '明年',
  '年度',
  '本年',
  '方面',
  '问题',
  '不足',
  '存在',
  '情况',
  '以及',
  '进行',
  '开展',
  '做到',
  '确保',
  '通过',
  '按照',
  '根据',
  '结合',
  '围绕',
  '坚持',
  '注重',
  '重点',
  '主要',
  '一是',
  '二是',
  '三是',
  '四是',
  '五是',
  '有效',
  '及时',
  '规范',
  '制度化',
  '规范化',
  '的',
  '和',
  '与',
  '及',
  '在',
  '对',
  '将',
  '等',
  '了',
  '为',
  '政府',
  '公开',
  '信息',
  '政务',
]

const STOP_BIGRAMS = new Set<string>()
for (const w of STOP_WORDS) for (let i = 0; i + 2 <= w.length; i++) STOP_BIGRAMS.add(w.slice(i, i + 2))
// a few that slip in from the words above but are meaningful on their own
for (const keep of ['三公', '公示', '公报', '培训', '宣传']) STOP_BIGRAMS.delete(keep)

const STOP_RE = new RegExp(
  [...STOP_WORDS]
    .sort((a, b) => b.length - a.length)
    .map(w => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|'),
  'g',
)
const TRANSPARENT = /[“”‘’"'《》〈〉「」『』]/g

/**
 * The words of a normalised string that can tell passages apart: quotation marks dropped (so that
 * “三公”经费 reads 三公经费), stop words and everything that is not Han cut out as breaks ("|").
 */
export function contentText(s: string): string {
  return s
    .replace(TRANSPARENT, '')
    .replace(STOP_RE, '|')
    .replace(/[^\u4e00-\u9fff\u3400-\u4dbf]+/g, '|')
}

export function isStopBigram(g: string): boolean {
  return STOP_BIGRAMS.has(g)
}

/** Han-character bigrams of a normalised string (with repeats). */
export function bigrams(s: string): string[] {
  const out: string[] = []
  for (let i = 0; i + 1 < s.length; i++) {
    if (isHan(s.charCodeAt(i)) && isHan(s.charCodeAt(i + 1))) out.push(s.slice(i, i + 2))
  }
  return out
}

/** Content bigrams: Han bigrams that are not domain stop words, deduplicated. */
export function contentBigrams(s: string): Set<string> {
  const out = new Set<string>()
  for (const g of bigrams(s)) if (!STOP_BIGRAMS.has(g)) out.add(g)
  return out
}

/** Dice coefficient of two bigram sets. */
export function dice(a: Set<string>, b: Set<string>): number {
  if (!a.size || !b.size) return 0
  let n = 0
  for (const g of a) if (b.has(g)) n++
  return (2 * n) / (a.size + b.size)
}
