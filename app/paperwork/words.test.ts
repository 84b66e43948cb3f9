import { describe, expect, it } from 'vitest'
import { chineseDate, clause, completion, selfName, withoutMarker } from './words'

describe('document words', () => {
  it('writes dates as documents do', () => {
    expect(chineseDate('2025-03-01')).toBe('2025年3月1日')
    expect(chineseDate(null)).toBe('')
  })
  it('names the body as it names itself', () => {
    expect(selfName('某市教育局')).toBe('我局')
    expect(selfName('某市发展和改革委员会')).toBe('我委')
    expect(selfName('某区人民政府')).toBe('我区')
    expect(selfName('某市政务服务中心')).toBe('我中心')
    expect(selfName('某某')).toBe('我单位')
  })
  it('says 完成情况 in a few words', () => {
    expect(completion({ status: 'in_progress', progress: 60, overdueDays: 12 })).toBe('进行中（60%），逾期 12 天')
    expect(completion({ status: 'closed', progress: 100, overdueDays: null })).toBe('已销号')
    expect(completion({ status: 'unassigned', progress: 0, overdueDays: 3 })).toBe('待分派，逾期 3 天')
    expect(completion({ status: 'ongoing', progress: 0, overdueDays: null })).toBe('长期坚持')
  })
  it('ends a clause cleanly', () => expect(clause('更新不及时。')).toBe('更新不及时'))
  it('drops the enumeration marker an item had in its report', () => {
    for (const t of [
      '一是栏目更新不及时',
      '（二）栏目更新不及时',
      '3、栏目更新不及时',
      '第一，栏目更新不及时',
      '①栏目更新不及时',
      '栏目更新不及时',
    ])
      expect(withoutMarker(t)).toBe('栏目更新不及时')
  })
})
