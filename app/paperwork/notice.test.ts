import { describe, expect, it } from 'vitest'
import { buildSupervisionNotice, defaultReplyBy, noticeNumber } from './notice'

describe('督办单', () => {
  it('says what is overdue, by how long, and by when to reply', () => {
    const n = buildSupervisionNotice({
      taskId: 't1',
      title: '栏目更新不及时。',
      text: '部分栏目更新不及时。',
      reportName: '某局2023年政府信息公开工作年度报告',
      unitName: '某局办公室',
      ownerName: '李责任',
      dueDate: '2024-03-31',
      status: 'in_progress',
      progress: 30,
      daysOverdue: 12,
      issuerUnit: '某市政务公开办',
      number: noticeNumber('2024-04-12', 3),
      issuedOn: '2024-04-12',
      replyBy: defaultReplyBy('2024-04-12'),
      link: 'https://zg.example.gov.cn/tasks/t1',
    })
    expect(n.number).toBe('督办〔2024〕3号')
    expect(n.rows).toContainEqual(['逾期天数', '12 天'])
    expect(n.rows).toContainEqual(['回复时限', '2024年4月19日'])
    expect(n.request).toContain('“栏目更新不及时”整改任务已超过整改时限 12 天')
    expect(n.request).toContain('2024年4月19日前')
  })
})
