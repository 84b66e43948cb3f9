import { describe, expect, it } from 'vitest'
import { extractReportStrict as extract, normalizeAgency, parseDate, parseYear, suggestDue } from './index'

describe('metadata', () => {
  it('agency and year from the title, publication date from the header', () => {
    const x = extract(`首页>部门信息公开目录>年度报告
赣州经济技术开发区企业综合服务中心2018年政务信息公开工作年度报告
发布日期:2019-01-22 09:30 点击数:
2018年,中心认真贯彻《条例》。`)
    expect(x.agency).toBe('赣州经济技术开发区企业综合服务中心')
    expect(x.year).toBe(2018)
    expect(x.publishedAt).toBe('2019-01-22')
    expect(x.title).toBe('赣州经济技术开发区企业综合服务中心2018年政务信息公开工作年度报告')
  })

  it('year first in the title; "人民政府" kept', () => {
    expect(extract('2018年遂溪县政务服务中心政府信息公开工作年度报告\n正文').agency).toBe('遂溪县政务服务中心')
    expect(extract('2009年度某镇人民政府信息公开年度报告\n正文').agency).toBe('某镇人民政府')
  })

  it('"现公布…年度报告" in the first paragraph', () => {
    const x = extract('根据《条例》规定,现公布揭东区公路局2015年度政府信息公开工作年度报告。本报告内容涵盖全年情况。')
    expect(x.agency).toBe('揭东区公路局')
    expect(x.year).toBe(2015)
  })

  it('labelled publisher', () => {
    const x = extract('索引号: 113308/2021-119567\n发布机构: 衢州市营商环境建设办公室\n正文内容。')
    expect(x.agency).toBe('衢州市营商环境建设办公室')
  })

  it('signature at the end with a date in Chinese numerals (〇 / O / ○)', () => {
    for (const d of ['二〇二〇年一月二十三日', '二O二O年一月二十三日', '二○二○年一月二十三日']) {
      const x = extract(`五、存在的问题\n2019年我镇信息公开工作还有不足。\n\n金山镇人民政府\n${d}\n`)
      expect(x.agency).toBe('金山镇人民政府')
      expect(x.publishedAt).toBe('2020-01-23')
      expect(x.year).toBe(2019)
    }
  })

  it('signature date in digits at the end', () => {
    const x = extract('某某局2017年度政府信息公开工作年度报告\n一、概述\n正文。\n\n2018年3月19日\n')
    expect(x.publishedAt).toBe('2018-03-19')
    expect(x.year).toBe(2017)
  })

  it('agency as the subject of the first sentence when there is no title', () => {
    const x = extract('一、总体情况\n2022年,在区委区政府的正确领导下,广东从化经济开发区管理委员会认真贯彻执行《条例》。')
    expect(x.agency).toBe('广东从化经济开发区管理委员会')
    expect(x.year).toBe(2022)
  })

  it('traditional title and injected pinyin stay verbatim; normalised form is simplified', () => {
    const x = extract('2009年度下管鎮(zhèn)政府信息公開年度報(bào)告\n正文')
    expect(x.agency).toBe('下管鎮(zhèn)')
    expect(x.agencyNormalized).toBe('下管镇')
    expect(x.year).toBe(2009)
  })

  it('no agency when none is named', () => {
    expect(extract('按照有关规定,现将我局2014年政府信息公开情况报告如下。').agency).toBeNull()
  })

  it('parses the date forms', () => {
    expect(parseDate('2018-12-13')).toBe('2018-12-13')
    expect(parseDate('2018年12月13日')).toBe('2018-12-13')
    expect(parseDate('二〇一八年十二月十三日')).toBe('2018-12-13')
    expect(parseDate('二O一八年十二月三十一日')).toBe('2018-12-31')
    expect(parseDate('2018-02-30')).toBeNull()
    expect(parseYear('二〇一八')).toBe(2018)
    expect(parseYear('二O一八')).toBe(2018)
  })

  it('normalised agency names match across years', () => {
    expect(normalizeAgency('遂溪縣人民政府行政服務中心')).toBe(normalizeAgency('遂溪县政府行政服务中心'))
    expect(normalizeAgency('云南滇中新区临空先进制造业发展局(临空先进制造业区管委会)')).toBe('云南滇中新区临空先进制造业发展局')
  })
})

describe('deadlines', () => {
  it('defaults to 31 December of the year after the report year', () => {
    expect(suggestDue('加强业务培训', 2018)).toBe('2019-12-31')
    expect(suggestDue('加强业务培训', null)).toBeNull()
  })
  it('年底前 / 年内', () => {
    expect(suggestDue('年底前完成专栏建设', 2018)).toBe('2019-12-31')
    expect(suggestDue('年内完成', 2020)).toBe('2021-12-31')
  })
  it('month ends and quarters', () => {
    expect(suggestDue('6月底前组织一次全员培训', 2018)).toBe('2019-06-30')
    expect(suggestDue('9月底前完成', 2018)).toBe('2019-09-30')
    expect(suggestDue('第一季度完成目录更新', 2018)).toBe('2019-03-31')
    expect(suggestDue('二月底前完成', 2023)).toBe('2024-02-29')
  })
  it('explicit years', () => {
    expect(suggestDue('2019年上半年完成平台升级', 2018)).toBe('2019-06-30')
    expect(suggestDue('2020年6月底前完成', 2018)).toBe('2020-06-30')
    expect(suggestDue('力争2020年底前全面完成', 2018)).toBe('2020-12-31')
    // a year that is the report's own year is history, not a deadline
    expect(suggestDue('2018年上半年已完成', 2018)).toBe('2019-12-31')
  })
  it('items carry their deadline', () => {
    const x = extract(`某某县统计局2018年政府信息公开工作年度报告
三、2019年工作打算
(一)丰富公开内容
年底前完成统计解读专栏建设。
(二)加强队伍建设
6月底前组织一次全员业务培训。`)
    expect(x.items.map(i => i.due)).toEqual(['2019-12-31', '2019-06-30'])
  })
})

describe('year confidence', () => {
  it('is highest when the title names the year, lower when only a date in the body gives it, lower still when the publication date disagrees', () => {
    const titled = extract('某某县统计局2018年政府信息公开工作年度报告\n一、总体情况\n本年度主动公开信息120条。')
    const body = extract('政府信息公开工作情况\n一、总体情况\n截至12月31日,2018年共主动公开信息120条。')
    const odd = extract('政府信息公开工作情况\n发布日期:2024-01-20\n一、总体情况\n2015年起建立了公开目录。')
    expect(titled.year).toBe(2018)
    expect(body.year).toBe(2018)
    expect(titled.yearConfidence!).toBeGreaterThan(body.yearConfidence!)
    expect(odd.year).toBe(2015)
    expect(odd.yearConfidence!).toBeLessThan(body.yearConfidence!)
    expect(extract('没有年份的文字。').yearConfidence).toBeNull()
  })
})
