import { describe, expect, it } from 'vitest'
import { findRecurring, shortcomingTopics } from './index'
import { comparable } from './text'

const topics = (s: string) => shortcomingTopics(comparable(s)).sort()

describe('shortcoming topics', () => {
  it.each([
    ['公开不及时', ['timely']],
    ['信息更新还不够及时', ['timely']],
    ['有時發(fā)布不夠及時', ['timely']],
    ['政务公开工作人员为兼职,人员力量配备薄弱', ['staff']],
    ['缺乏专职人员', ['staff']],
    ['对相关规章制度的培训学习还有待进一步加强', ['skill']],
    ['公开渠道比较单一,新媒体运用不足', ['channel']],
    ['政策解读不够深入', ['interpret']],
    ['信息公开的制度有待于进一步健全完善', ['mechanism']],
    ['宣传力度不够,群众对政府信息公开工作还不了解', ['publicity']],
    ['网站功能不完善,尚未实现智能搜索', ['platform']],
    ['与群众的需求还存在差距', ['gap']],
  ])('%s → %j', (text, want) => {
    expect(topics(text)).toEqual(want)
  })

  it('a vague admission only counts when nothing specific is named', () => {
    expect(topics('信息公开内容较少,不够丰富,与公众的需求还存在一些差距')).toEqual(['content'])
  })

  it('a long problem is judged by its heading, its explanation only adds what it insists on', () => {
    const p =
      '(四)信息化建设过于落后。一是目前我县行政审批的渠道单一,还没建立全县的电子审批平台、大厅智能导航和手机APP,未能满足群众网上办事的需求。'
    expect(shortcomingTopics(comparable(p), '信息化建设过于落后')).toEqual(['platform'])
  })
})

describe('recurring problems', () => {
  it('the lexicon speaks where the model is unsure and is outvoted where it is sure', () => {
    // 發布滯後 (traditional script) is rare in training: the model is unsure, the lexicon names timely
    expect(findRecurring([{ text: '信息更新还不够及时' }], [{ text: '二是部分信息發布滯後' }]).map(r => r.topics)).toEqual([['timely']])
    // the model reads 业务不熟 as skill with confidence; the lexicon's staff cue does not make it recur with a staffing problem
    expect(findRecurring([{ text: '缺乏专职人员' }], [{ text: '具体工作人员业务不熟' }])).toEqual([])
  })

  it('the same shortcoming in other words recurs', () => {
    const r = findRecurring(
      [{ text: '一是公开不及时' }, { text: '二是人员兼职、力量不足' }],
      [{ text: '一是信息更新不及时' }, { text: '二是缺乏专职人员' }],
    )
    expect(r.map(x => [x.earlier, x.later])).toEqual(
      expect.arrayContaining([
        ['一是公开不及时', '一是信息更新不及时'],
        ['二是人员兼职、力量不足', '二是缺乏专职人员'],
      ]),
    )
    expect(r).toHaveLength(2)
    for (const x of r) expect(x.score).toBeGreaterThan(0.5)
  })

  it('a different shortcoming does not', () => {
    expect(findRecurring([{ text: '信息更新不及时' }], [{ text: '政策解读形式单一' }])).toEqual([])
    expect(findRecurring([{ text: '宣传力度不够' }], [{ text: '工作人员均为兼职' }])).toEqual([])
  })

  it('a problem printed twice is paired once', () => {
    const r = findRecurring([{ text: '信息更新不及时' }, { text: '信息更新不及时' }], [{ text: '发布不够及时' }])
    expect(r).toHaveLength(1)
  })
})

describe('short problems', () => {
  // (cross-validated, giving short problems a topic only on a clear reading cost recall 0.909 → 0.828:
  // npm run eval:followup -- --folds 5)
  it('a short problem takes its topic and recurs like a long one', () => {
    const short = findRecurring([{ text: '信息更新不及时' }], [{ text: '个别栏目信息更新不够及时' }])
    expect(short).toHaveLength(1)
    expect(short[0].topics).toContain('timely')
    const full = findRecurring([{ text: '部分信息公开不及时，更新较为滞后' }], [{ text: '个别栏目信息更新不够及时' }])
    expect(full).toHaveLength(1)
    expect(full[0].topics).toContain('timely')
  })
})
