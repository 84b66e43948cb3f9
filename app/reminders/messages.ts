// The words of each reminder (in-app title and body, and the link its email carries). Pure;
// Chinese, as the UI. The email around them is app/notify/message.ts's, as for every notice.
import { listTitles } from '../notify/events'
import type { NoticeText } from '../notify/message'
import type { Reminder } from './plan'

export const taskPath = (taskId: string) => `/tasks/${taskId}`

const q = (title: string | undefined) => `「${title ?? ''}」`

function lines(r: Reminder): { title: string; body: string } {
  switch (r.kind) {
    case 'due_soon': {
      const left = r.daysLeft ?? 0
      return {
        title: left === 0 ? `任务今天到期：${r.taskTitle}` : `任务还有 ${left} 天到期：${r.taskTitle}`,
        body: `任务${q(r.taskTitle)}的完成期限为 ${r.dueDate}，${left === 0 ? '今天到期' : `距期限还有 ${left} 天`}。请按期推进并及时提交整改材料。`,
      }
    }
    case 'overdue':
      return {
        title: `任务已逾期 ${r.daysOverdue} 天：${r.taskTitle}`,
        body: `任务${q(r.taskTitle)}的完成期限为 ${r.dueDate}，已逾期 ${r.daysOverdue} 天。请尽快办理，或申请延期并说明理由。`,
      }
    case 'escalation':
      return {
        title: `逾期督办：${r.taskTitle}（已逾期 ${r.daysOverdue} 天）`,
        body: `任务${q(r.taskTitle)}的完成期限为 ${r.dueDate}，已逾期 ${r.daysOverdue} 天，超过督办时限，现提请监督方关注。`,
      }
    case 'digest': {
      const l = r.workload!
      const parts = [`您负责的未办结任务 ${l.owned} 项`]
      if (l.overdue) parts.push(`其中已逾期 ${l.overdue} 项`)
      if (l.dueSoon) parts.push(`7 天内到期 ${l.dueSoon} 项`)
      if (l.toAssign) parts.push(`待分派 ${l.toAssign} 项`)
      if (l.toReview) parts.push(`待核验 ${l.toReview} 项`)
      return { title: `每周待办汇总（${r.week}）`, body: `${parts.join('，')}。` }
    }
    case 'prior_year_open': {
      const rep = r.report
      const source = rep ? `${rep.agency ?? '该机关'}${rep.year ? ` ${rep.year} 年度` : '新'}报告已提取` : '该机关的新一年度报告已提取'
      const tasks = r.tasks ?? []
      if (tasks.length > 1) {
        return {
          title: `往年整改任务尚未办结：共 ${tasks.length} 项`,
          body: `${source}。往年报告中的以下 ${tasks.length} 项任务仍未办结：${listTitles(tasks)}。请核对本年度报告是否涉及并继续跟进。`,
        }
      }
      return {
        title: `往年整改任务尚未办结：${r.taskTitle}`,
        body: `${source}。往年报告中的任务${q(r.taskTitle)}${r.dueDate ? `（期限 ${r.dueDate}）` : ''}仍未办结，请核对本年度报告是否涉及并继续跟进。`,
      }
    }
  }
}

export function reminderMessage(r: Reminder): NoticeText {
  return { ...lines(r), link: r.taskId ? taskPath(r.taskId) : '/tasks' }
}
