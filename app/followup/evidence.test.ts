import { describe, expect, it } from 'vitest'
import { findEvidence } from './index'

const plans = [
  { text: '加强业务培训,提高工作人员业务水平。', title: '加强业务培训' },
  { text: '开通政务微信公众号,拓宽信息公开渠道。', title: '开通政务微信公众号' },
  { text: '建立健全信息发布保密审查制度。', title: '建立健全信息发布保密审查制度' },
]

describe('evidence for commitments', () => {
  it('finds the passage of the later report that reports doing a plan, with exact offsets', () => {
    const later = [
      '某县审计局2019年度政府信息公开工作年度报告',
      '一、总体情况',
      '2019年,我局认真贯彻《条例》,扎实推进政务公开。',
      '全年组织政务公开业务培训4期,参训人员累计85人次。',
      '今年3月,“某县审计”政务微信公众号正式开通上线,共发布信息312条。',
      '二、存在的主要问题及改进情况',
      '一是政策解读不够深入。下一步,我局将进一步加强政策解读。',
    ].join('\n')
    const r = findEvidence(plans, later)
    expect(r.evidence.map(e => e.plan)).toEqual([plans[0].text, plans[1].text])
    for (const e of r.evidence) {
      expect(later.slice(e.start, e.end)).toBe(e.passage)
      expect(e.score).toBeGreaterThan(0.5)
      expect(e.score).toBeLessThanOrEqual(1)
    }
    expect(r.evidence[0].passage).toContain('业务培训4期')
    expect(r.evidence[1].passage).toContain('微信公众号正式开通')
    expect(r.notMentioned).toEqual([plans[2].text])
  })

  it('offsets point into the original text when it has traditional characters and pinyin', () => {
    const later = '一、總體情況\r\n\r\n全年組織政務公開業務培(péi)訓4期,參訓人員累計85人次。\r\n'
    const r = findEvidence([plans[0]], later)
    expect(r.evidence).toHaveLength(1)
    const e = r.evidence[0]
    expect(later.slice(e.start, e.end)).toBe(e.passage)
    expect(e.passage).toContain('業務培(péi)訓4期')
  })

  it('a later report that does not report doing it: not mentioned', () => {
    const later = '2019年,我局认真贯彻落实《条例》,进一步加强政府信息公开工作,主动公开政府信息120条。本年度未收到依申请公开申请。'
    const r = findEvidence(plans, later)
    expect(r.evidence).toEqual([])
    expect(r.notMentioned).toEqual(plans.map(p => p.text))
  })

  it("the later report's own plans and problems are not evidence", () => {
    const later = '四、存在的主要问题及改进情况\n一是业务培训较少。下一步,我局将加强业务培训,提高工作人员业务水平。'
    const s = later.indexOf('一是')
    expect(findEvidence([plans[0]], later, { exclude: [{ start: s, end: later.length }] }).evidence).toEqual([])
    // and even without knowing where they are, a promise is weaker than a deed
    const r = findEvidence([plans[0]], later)
    expect(r.evidence.every(e => e.score < 0.5)).toBe(true)
  })

  it('one achievement is offered in its own words for one commitment only', () => {
    const later = '2019年,我局组织政务公开业务培训4期,参训人员累计85人次。政务微信公众号已开通上线。'
    const r = findEvidence([...plans, { text: '组织业务培训,开通微信公众号。' }], later, { threshold: 0.1 })
    const spans = r.evidence.filter(e => e.basis === 'wording').map(e => `${e.start}-${e.end}`)
    expect(new Set(spans).size).toBe(spans.length)
  })
})
