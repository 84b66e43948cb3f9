// The email that goes with an in-app notice: one subject line and one text layout for every kind
// (reminders and workflow events alike), with an absolute link back to the site. Pure.
import { absoluteLink } from './links'

export interface NoticeText {
  title: string
  body: string
  /** An app path: "/tasks/<id>" or "/tasks". */
  link: string
}

export interface EmailText {
  subject: string
  emailText: string
}

export function emailFor(notice: NoticeText, baseUrl: string): EmailText {
  const label = notice.link.startsWith('/tasks/') ? '查看任务' : '查看我的任务'
  return {
    subject: `【整改跟踪】${notice.title}`,
    emailText: `${notice.body}\n\n${label}：${absoluteLink(baseUrl, notice.link)}\n\n——整改跟踪系统自动发送，请勿直接回复。`,
  }
}
