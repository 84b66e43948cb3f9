import { describe, expect, it } from 'vitest'
import { cleanSelection, mergeSpans, splitSpan, titleFromText } from './review'

describe('titleFromText', () => {
  it('takes the first sentence without its enumeration marker', () => {
    expect(titleFromText('（一）信息公开不及时。部分栏目更新慢。')).toBe('信息公开不及时')
    expect(titleFromText('一是加强培训，提高业务能力；二是完善制度。')).toBe('加强培训，提高业务能力')
  })
  it('falls back to the first clause, then cuts', () => {
    const long = '进一步完善政务公开方式，坚持方便群众知情、便于群众监督的原则，拓宽工作领域，深化公开内容，丰富公开形式，不断维护政务服务网'
    expect(titleFromText(long)).toBe('进一步完善政务公开方式')
    expect(titleFromText('甲'.repeat(60))).toBe('甲'.repeat(40) + '…')
  })
})

describe('spans', () => {
  const doc = '一是问题甲。 二是问题乙。'
  it('merges to the covering span', () => {
    expect(mergeSpans({ start: 7, end: 13 }, { start: 0, end: 6 })).toEqual({ start: 0, end: 13 })
  })
  it('splits at a point, trimming the space at the cut', () => {
    expect(splitSpan(doc, { start: 0, end: 13 }, 6)).toEqual([{ start: 0, end: 6 }, { start: 7, end: 13 }])
    expect(splitSpan(doc, { start: 0, end: 13 }, 0)).toBeNull()
    expect(splitSpan(doc, { start: 0, end: 13 }, 13)).toBeNull()
  })
  it('cleans a browser selection', () => {
    expect(cleanSelection(doc, { start: 13, end: 5 })).toEqual({ start: 5, end: 13 })
    expect(cleanSelection(doc, { start: 6, end: 7 })).toBeNull()
    expect(cleanSelection(doc, { start: -5, end: 999 })).toEqual({ start: 0, end: 13 })
  })
})
