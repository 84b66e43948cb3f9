import { describe, expect, it } from 'vitest'
import { cleanSelection, isDoubtful, mergeSpans, splitSpan, titleFromText, uncoveredStretches, yearProblem } from './review'

describe('titleFromText', () => {
  it('takes the first sentence without its enumeration marker', () => {
    expect(titleFromText('（一）信息公开不及时。部分栏目更新慢。')).toBe('信息公开不及时')
    expect(titleFromText('一是加强培训，提高业务能力；二是完善制度。')).toBe('加强培训，提高业务能力')
  })
  it('falls back to the first clause, then cuts', () => {
    const long =
      '进一步完善政务公开方式，坚持方便群众知情、便于群众监督的原则，拓宽工作领域，深化公开内容，丰富公开形式，不断维护政务服务网'
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
    expect(splitSpan(doc, { start: 0, end: 13 }, 6)).toEqual([
      { start: 0, end: 6 },
      { start: 7, end: 13 },
    ])
    expect(splitSpan(doc, { start: 0, end: 13 }, 0)).toBeNull()
    expect(splitSpan(doc, { start: 0, end: 13 }, 13)).toBeNull()
  })
  it('cleans a browser selection', () => {
    expect(cleanSelection(doc, { start: 13, end: 5 })).toEqual({ start: 5, end: 13 })
    expect(cleanSelection(doc, { start: 6, end: 7 })).toBeNull()
    expect(cleanSelection(doc, { start: -5, end: 999 })).toEqual({ start: 0, end: 13 })
  })
})

describe('uncoveredStretches', () => {
  const doc = '五、存在的主要问题\n一是公开内容不够全面。此外网站栏目设置不够合理，查找不便。二是更新不及时。\n六、其他'
  const sec = { kind: 'problem' as const, start: doc.indexOf('一是'), end: doc.indexOf('\n六') }
  const one = { start: doc.indexOf('一是'), end: doc.indexOf('此外') }
  const two = { start: doc.indexOf('二是'), end: doc.indexOf('\n六') }
  it('is the text of a section that no item covers, trimmed', () => {
    const out = uncoveredStretches(doc, [sec], [one, two])
    expect(out.map(o => doc.slice(o.start, o.end))).toEqual(['此外网站栏目设置不够合理，查找不便。'])
    expect(out[0].kind).toBe('problem')
  })
  it('leaves out punctuation and a few characters between items; nothing when items cover the section', () => {
    expect(uncoveredStretches(doc, [sec], [{ start: sec.start, end: sec.end }])).toEqual([])
    expect(uncoveredStretches(doc, [sec], [one, { start: doc.indexOf('此外'), end: doc.indexOf('二是') - 1 }, two])).toEqual([])
    expect(uncoveredStretches(doc, [], [one])).toEqual([])
  })
  it('a section without items is uncovered whole', () => {
    expect(uncoveredStretches(doc, [sec], []).map(o => doc.slice(o.start, o.end))).toEqual([doc.slice(sec.start, sec.end)])
  })
})

describe('isDoubtful', () => {
  it('flags a confidence under 0.9, never an item a person wrote (no confidence)', () => {
    expect(isDoubtful(0.42)).toBe(true)
    expect(isDoubtful(0.95)).toBe(false)
    expect(isDoubtful(null)).toBe(false)
  })
})

describe('yearProblem', () => {
  const now = new Date('2026-12-07T08:00:00Z')
  it('accepts a 4-digit year from 2000 to the current one (Shanghai calendar)', () => {
    for (const y of [2000, 2018, 2026]) expect(yearProblem(y, now), String(y)).toBeNull()
    // 2026-12-31T16:00Z is already 2027 in Shanghai
    expect(yearProblem(2027, new Date('2026-12-31T16:00:00Z'))).toBeNull()
  })
  it('refuses implausible years in Chinese', () => {
    for (const y of [1999, 2027, 20, 20190, 2019.5, Number.NaN])
      expect(yearProblem(y, now), String(y)).toBe('年度应为 2000–2026 之间的四位年份。')
  })
})
