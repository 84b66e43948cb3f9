// The 督办单 (supervision notice) for an overdue task: what it says, from the task and the issuing
// facts (number, dates, the link its QR code opens). Pure: the printable page and the PDF both lay
// out this model, so they say the same thing.
import { chineseDate, clause, completion, withoutMarker } from './words'
import type { TaskStatus } from '../../db/schema'

/** Days an owner has to reply unless the supervisor sets another date. */
export const REPLY_DAYS = 7

export interface NoticeFacts {
  taskId: string
  title: string
  text: string
  reportName: string
  unitName: string
  ownerName: string | null
  dueDate: string | null
  status: TaskStatus
  progress: number
  daysOverdue: number | null
  issuerUnit: string
  /** "督办〔2025〕3号" */
  number: string
  issuedOn: string
  replyBy: string
  /** Absolute address of the task (the QR code). */
  link: string
}

export interface SupervisionNotice {
  heading: string
  number: string
  addressee: string
  rows: Array<[string, string]>
  request: string
  issuer: string
  issuedOn: string
  link: string
}

export function buildSupervisionNotice(f: NoticeFacts): SupervisionNotice {
  return {
    heading: '整改任务督办单',
    number: f.number,
    addressee: `${f.unitName}：`,
    rows: [
      ['督办事项', clause(f.title)],
      ['任务来源', f.reportName],
      ['整改内容', clause(withoutMarker(f.text))],
      ['责任单位', f.unitName],
      ['责任人', f.ownerName ?? '（未指定）'],
      ['整改时限', f.dueDate ? chineseDate(f.dueDate) : '（未定）'],
      ['逾期天数', f.daysOverdue ? `${f.daysOverdue} 天` : '未逾期'],
      ['当前情况', completion({ status: f.status, progress: f.progress, overdueDays: null })],
      ['回复时限', chineseDate(f.replyBy)],
    ],
    request: `你单位承担的“${clause(f.title)}”整改任务${f.daysOverdue ? `已超过整改时限 ${f.daysOverdue} 天，` : ''}尚未完成整改。请高度重视，于${chineseDate(f.replyBy)}前将整改进展、存在的困难和下一步措施书面报送${f.issuerUnit}，并在整改跟踪系统中填报进展、上传佐证材料。扫描二维码可查看任务详情。`,
    issuer: f.issuerUnit,
    issuedOn: chineseDate(f.issuedOn),
    link: f.link,
  }
}

/** The notice's number: the year it is issued in and its sequence in that year. */
export const noticeNumber = (issuedOn: string, seq: number) => `督办〔${issuedOn.slice(0, 4)}〕${seq}号`

/** The default reply date: REPLY_DAYS after issuing. */
export function defaultReplyBy(issuedOn: string): string {
  const d = new Date(`${issuedOn}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + REPLY_DAYS)
  return d.toISOString().slice(0, 10)
}
