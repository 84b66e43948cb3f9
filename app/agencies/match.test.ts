import { describe, expect, it } from 'vitest'
import { extractReport } from '../extract/index'
import { matchAgency } from './match'
import { reportAgency } from './report-agency'

describe('same agency across years', () => {
  it.each([
    ['常德市人民政府政务服务中心', '常德市政务服务中心'],
    ['重庆市人民政府', '重慶市人民政府'],
    ['重庆市政府', '重慶市'],
    ['舒城縣審計局', '舒城县审计局'],
    ['广州市从化区机关事务管理局', '从化区机关事务管理局'],
    ['广东从化经济开发区管理委员会', '從化經濟開發區管委會'],
    ['中国科学院上海应用物理研究所', '上海应物所'],
    ['衢州市营商环境建设办公室', '市营商办'],
    ['江海区外海街道办事处', '外海街道'],
    ['下管鎮(zhèn)人民政府', '下管镇人民政府'],
    ['常德市政务服务中心 www.mirror-spam.cc', '常德市政务服务中心'],
  ])('%s = %s', (a, b) => {
    const m = matchAgency(a, b)
    expect(m.match).toBe(true)
    expect(m.score).toBeGreaterThanOrEqual(0.75)
  })

  it.each([
    ['遂溪县政务服务中心', '常德市政务服务中心'],
    ['常德市武陵区政务服务中心', '常德市鼎城区政务服务中心'],
    ['常德市政务服务中心', '常德市武陵区政务服务中心'],
    ['常德市教育局', '常德市卫生健康委员会'],
    ['市教育局', '市卫健委'],
    ['舒城县审计局', '连云港市赣榆区审计局'],
    ['中国科学院植物研究所', '中国科学院微电子研究所'],
    ['金山镇人民政府', '洲泉镇人民政府'],
    ['常德市城市管理局', '常德市市场监督管理局'],
  ])('different agencies with similar wording: %s ≠ %s', (a, b) => {
    expect(matchAgency(a, b).match).toBe(false)
  })

  it('a name without place or distinctive organ is not enough', () => {
    expect(matchAgency('镇政府', '镇政府').match).toBe(false)
    expect(matchAgency(null, '常德市政务服务中心')).toEqual({ match: false, score: 0 })
  })

  it('known aliases override the names: merge and split', () => {
    const aliases = { 常德市政务服务中心: 'A', 常德市行政审批服务局: 'A', 遂溪县政务服务中心: 'B', 常德市人民政府政务服务中心: 'C' }
    expect(matchAgency('常德市政务服务中心', '常德市行政审批服务局')).toMatchObject({ match: false })
    expect(matchAgency('常德市政务服务中心', '常德市行政审批服务局', aliases)).toEqual({ match: true, score: 1 })
    expect(matchAgency('常德市政务服务中心', '常德市人民政府政务服务中心', aliases)).toEqual({ match: false, score: 0 })
    expect(matchAgency('常德市政务服务中心', '常德市人民政府政务服务中心', new Map([['常德市政务服务中心', 'A']]))).toMatchObject({
      match: true,
    })
  })

  it('"我局" reports take the agency from the title; a bare place stands for its government', () => {
    const text = '舒城县审计局2013年度政府信息公开工作年度报告\n2013年,我局认真贯彻《条例》。'
    const x = extractReport(text)
    expect(matchAgency(reportAgency({ text, extraction: { ...x, agency: '我局' } }), '舒城縣審計局').match).toBe(true)
    const later = '2013年,重慶市深入貫徹落實《條例》。結合重慶市實際,重慶市對議事協調機構進行了全面清理。'
    const agency = reportAgency({ text: later, extraction: { ...extractReport(later), agency: null, title: null } })
    expect(agency).toBe('重庆市')
    expect(matchAgency('重庆市人民政府', agency).match).toBe(true)
  })
})
