import { describe, expect, it } from 'vitest'
import { buildPublicProgress, closuresFeed } from './public'

const rows = [
  {
    taskId: 't-1',
    kind: 'problem' as const,
    title: '栏目<script>alert(1)</script> & “更新”',
    status: 'closed' as const,
    progress: 80,
    dueDate: '2024-12-31',
    closedAt: '2024-05-20T02:00:00.000Z',
    evidence: [
      { kind: 'file' as const, filename: '张三的检查记录.pdf', title: null },
      { kind: 'link' as const, filename: null, title: null },
    ],
  },
  {
    taskId: 't-2',
    kind: 'plan' as const,
    title: '建立台账',
    status: 'in_progress' as const,
    progress: 40,
    dueDate: null,
    closedAt: null,
    evidence: [],
  },
  {
    taskId: 't-3',
    kind: 'plan' as const,
    title: '已取消的事项',
    status: 'cancelled' as const,
    progress: 0,
    dueDate: null,
    closedAt: null,
    evidence: [],
  },
]

describe('public progress view', () => {
  const view = buildPublicProgress('tok', { agencyName: '某局', year: 2023, publishedAt: '2025-01-01T00:00:00.000Z' }, rows, [
    '张三',
    'zhangsan',
  ])

  it('numbers the items, leaves out cancelled ones, keeps no task id, shows evidence titles only', () => {
    expect(view.items.map(i => [i.n, i.title, i.statusLabel, i.progress])).toEqual([
      [1, rows[0].title, '已销号', 100],
      [2, '建立台账', '进行中', 40],
    ])
    expect(view.items[0]).toMatchObject({ closedOn: '2024-05-20', evidence: ['＊＊的检查记录', '网页材料'] })
    expect(JSON.stringify(view)).not.toMatch(/t-1|t-2|\.pdf|张三/)
    expect(view.totals).toEqual({ all: 2, closed: 1, ongoing: 0, open: 1, percent: 50 })
  })

  it('writes an Atom feed of closures with every string escaped', () => {
    const xml = closuresFeed(view, 'https://zg.example.gov.cn/p/tok')
    expect(xml).not.toContain('<script>')
    expect(xml).toContain('<title>已销号：栏目&lt;script&gt;alert(1)&lt;/script&gt; &amp; “更新”</title>')
    expect(xml.match(/<entry>/g)).toHaveLength(1)
    expect(xml).toContain('<updated>2024-05-20T02:00:00.000Z</updated>')
    expect(xml).not.toContain('t-1')
  })
})
