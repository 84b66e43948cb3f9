// Small pieces of document Chinese shared by the paperwork modules: dates as documents write them,
// a task's 完成情况 in a few words, the agency's self-designation (我局/我委/我办…). Pure.
import type { TaskStatus } from '../../db/schema'
import { zh } from '../ui/zh'

/** "2025-03-01" → "2025年3月1日"; "" for nothing. */
export function chineseDate(ymd: string | null | undefined): string {
  const m = ymd ? /^(\d{4})-(\d{2})-(\d{2})/.exec(ymd) : null
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : ''
}

export const statusLabel = (s: TaskStatus): string => zh.taskStatus[s]

/** 完成情况 as a ledger cell says it: status, progress, and days overdue when there are some. */
export function completion(t: { status: TaskStatus; progress: number; overdueDays: number | null }): string {
  // Progress means something only while the work is under way and someone has reported some.
  const progress = (t.status === 'in_progress' || t.status === 'pending_review') && t.progress > 0 ? `（${t.progress}%）` : ''
  return `${statusLabel(t.status)}${progress}${t.overdueDays ? `，逾期 ${t.overdueDays} 天` : ''}`
}

/**
 * How a body names itself in its own report: 我局, 我委, 我办… from the last character of its name
 * that is a kind of body; 我单位 otherwise.
 */
export function selfName(agency: string | null | undefined): string {
  const name = (agency ?? '').replace(/[（(].*?[)）]/g, '').trim()
  if (/委员会$/.test(name)) return '我委'
  const m = /(局|委|办|厅|院|所|中心|政府|署|部|会|站|队|处)$/.exec(name)
  if (!m) return '我单位'
  if (m[1] === '政府') return `我${/([省市区县镇乡])(?:人民)?政府$/.exec(name)?.[1] ?? '单位'}`
  return `我${m[1]}`
}

/** A title or passage as the end of a clause: no trailing punctuation. */
export const clause = (text: string) => text.trim().replace(/[。．.!！;；，,、：:\s]+$/u, '')

/** An item's text without the enumeration marker it had in the report ("一是", "（二）", "3、", "第一，"). */
export const withoutMarker = (text: string) =>
  text
    .trim()
    .replace(
      /^(?:[（(]?[一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十\d]{1,3}[、.．]|[一二三四五六七八九十]是|第[一二三四五六七八九十]{1,3}[，,、]?|[①-⑳])\s*/u,
      '',
    )
