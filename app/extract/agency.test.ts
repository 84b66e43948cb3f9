// Agency as a ranked choice: fragments rejected, longer verbatim forms preferred, names found only in
// the signature / a contact sentence / the first lines (through 我局), and a confidence that says how
// clear the choice was.
import { describe, expect, it } from 'vitest'
import { extractReportStrict as extract } from './index'
import { isOrganName, rankCandidates, type AgencyCandidate } from './agency'

const BODY =
  '一、总体情况\n2019年,我局认真贯彻落实《条例》,主动公开政府信息120条。\n二、存在的主要问题及改进情况\n公开内容不够全面。下一步将加强培训。\n'

describe('organ names', () => {
  it('complete names pass', () => {
    for (const n of [
      '铜鼓公路分局',
      '凉州区张义镇人民政府',
      '滨江街道',
      '江海区外海街道办事处',
      '衢州市营商环境建设办公室',
      '中国科学院物理研究所',
      '某市住房和城乡建设局',
      '将乐县财政局',
      '某县机构编制委员会办公室',
      '某市政务公开办公室',
      '拱北海关',
      '云南滇中新区临空先进制造业发展局(临空先进制造业区管委会)',
    ])
      expect(isOrganName(n), n).toBe(true)
  })
  it('sentence fragments, generic words and pronouns are rejected', () => {
    for (const n of [
      '请与铜鼓公路分局',
      '建立健全街道',
      '今年以来某某局',
      '现公布某某局',
      '着力推进某某局',
      '根据某某局',
      '按照市政府',
      '有序规范地推进我局',
      '本局',
      '镇政府',
      '乡镇街道',
      '由常德市人民政府',
      '您当前所',
      '工作领导小组办公室',
    ])
      expect(isOrganName(n), n).toBe(false)
  })
  it('a bare place is a name only where allowed (the title)', () => {
    expect(isOrganName('五常市')).toBe(false)
    expect(isOrganName('五常市', true)).toBe(true)
  })
})

describe('agency from the document', () => {
  it('a fragment in a contact sentence never becomes the name', () => {
    const x = extract(`2019年政府信息公开工作年度报告\n${BODY}如对本报告有疑问,请与铜鼓公路分局联系(电话:0795-1234567)。`)
    expect(x.agency).toBe('铜鼓公路分局')
  })

  it('"建立健全街道…" is not a street office; the subject of the first sentence is', () => {
    const x = extract(
      '2012年度,滨江街道在区委、区政府的正确领导下,认真贯彻《条例》。建立健全街道信息公开的工作制度。\n二、存在问题\n宣传不足。',
    )
    expect(x.agency).toBe('滨江街道')
  })

  it('"今年以来,XX局…" gives XX局, not the time phrase', () => {
    const x = extract('一、总体情况\n今年以来,铜鼓县交通运输局认真贯彻落实《条例》,及时公开信息。\n二、存在问题\n公开不及时。')
    expect(x.agency).toBe('铜鼓县交通运输局')
  })

  it('the longer verbatim form with its place prefix wins over the cut one', () => {
    const x = extract(`张义镇人民政府2019年政府信息公开工作年度报告\n${BODY}\n凉州区张义镇人民政府\n2020年1月15日\n`)
    expect(x.agency).toBe('凉州区张义镇人民政府')
  })

  it('a place prefix split off by white space in the title is kept', () => {
    const x = extract(`凉州区 张义镇人民政府2019年政府信息公开工作年度报告\n${BODY}`)
    expect(x.agency).toBe('凉州区张义镇人民政府')
  })

  it('"XX镇政府信息公开…": XX镇政府 only when written so elsewhere', () => {
    const title = '2016年北京市大兴区榆垡镇政府信息公开工作年度报告\n'
    expect(extract(`${title}${BODY}\n北京市大兴区榆垡镇政府\n2017年3月1日\n`).agency).toBe('北京市大兴区榆垡镇政府')
    expect(extract(`${title}${BODY}`).agency).toBe('北京市大兴区榆垡镇')
  })

  it('"现将XX局2019年度…报告如下" names the agency even without a title or 我局', () => {
    const x = extract(`根据《条例》要求,现将铜鼓县交通运输局2019年度政府信息公开工作情况报告如下:\n${BODY.replace(/我局/g, '我们')}`)
    expect(x.agency).toBe('铜鼓县交通运输局')
  })

  it('name only in the signature', () => {
    const x = extract(`2019年政府信息公开工作年度报告\n${BODY}\n铜鼓县交通运输局\n2020年1月15日\n`)
    expect(x.agency).toBe('铜鼓县交通运输局')
  })

  it('name only in the signature of a flattened page (name and date on the last line)', () => {
    const x = extract(`2019年政府信息公开工作年度报告\n${BODY}公开内容有待丰富。铜鼓县交通运输局2020年1月15日`)
    expect(x.agency).toBe('铜鼓县交通运输局')
  })

  it('name only in a contact sentence; the answering office is not the agency', () => {
    expect(extract(`2019年政府信息公开工作年度报告\n${BODY.replace(/我局/g, '我镇')}联系地址:凉州区张义镇人民政府党政办。`).agency).toBe(
      '凉州区张义镇人民政府',
    )
    expect(extract(`2019年政府信息公开工作年度报告\n${BODY}联系地址:铜鼓县审计局办公室,邮编:336200。`).agency).toBe('铜鼓县审计局')
    expect(extract(`2019年政府信息公开工作年度报告\n${BODY}社会公众如有疑问,请与铜鼓县审计局综合股联系。`).agency).toBe('铜鼓县审计局')
  })

  it('"我局" is resolved against a name in the first lines', () => {
    const withPronoun = extract(`铜鼓县交通运输局门户网站欢迎您\n2019年政府信息公开工作年度报告\n${BODY}`)
    expect(withPronoun.agency).toBe('铜鼓县交通运输局')
    // without a self-reference with that suffix the same first line proves nothing
    const without = extract(`铜鼓县交通运输局门户网站欢迎您\n2019年政府信息公开工作年度报告\n${BODY.replace(/我局/g, '我们')}`)
    expect(without.agency).toBeNull()
  })

  it("a report that calls itself 我局 prefers the 局 over the portal's government", () => {
    const x = extract(`铜鼓县人民政府\n2019年政府信息公开工作年度报告\n${BODY}本报告由铜鼓县交通运输局编制。我局将继续加强培训。`)
    expect(x.agency).toBe('铜鼓县交通运输局')
  })
})

describe('confidence', () => {
  const c = (name: string, source: AgencyCandidate['source'], s = 0): AgencyCandidate => ({ s, e: s + name.length, name, source })

  it('is higher for a clear winner than for a contested one', () => {
    const clear = rankCandidates('', [c('铜鼓县审计局', 'title'), c('铜鼓县审计局', 'signature', 50)])!
    const contested = rankCandidates('', [c('铜鼓县审计局', 'title'), c('铜鼓县财政局', 'signature', 50)])!
    expect(clear.name).toBe('铜鼓县审计局')
    expect(contested.name).toBe('铜鼓县审计局')
    expect(clear.confidence).toBeGreaterThan(contested.confidence)
    expect(clear.confidence).toBeLessThanOrEqual(1)
    expect(contested.confidence).toBeGreaterThan(0)
  })

  it('is lower for a name from one weak source than for a titled one', () => {
    const weak = rankCandidates('', [c('滨江街道', 'body')])!
    const strong = rankCandidates('', [c('滨江街道', 'title')])!
    expect(weak.confidence).toBeLessThan(strong.confidence)
  })

  it('candidates seen several times rank higher', () => {
    const text = '甲县审计局…乙县审计局…乙县审计局…乙县审计局'
    const r = rankCandidates(text, [c('甲县审计局', 'body', 0), c('乙县审计局', 'body', 7)])!
    expect(r.name).toBe('乙县审计局')
  })

  it('a short form without a place ("市政务中心"), however often repeated, does not beat the named agency', () => {
    const text = '常德市教育局2017年政府信息公开工作年度报告\n' + '市政务中心…'.repeat(6)
    const r = rankCandidates(text, [c('常德市教育局', 'title'), ...[0, 1, 2, 3, 4, 5].map(i => c('市政务中心', 'body', 30 + 6 * i))])!
    expect(r.name).toBe('常德市教育局')
  })

  it('a cut form hands its support to the longer form written as strongly', () => {
    const r = rankCandidates('', [c('张义镇人民政府', 'title'), c('凉州区张义镇人民政府', 'signature', 40)])!
    expect(r.name).toBe('凉州区张义镇人民政府')
    expect(r.span).toEqual([40, 50])
    // a page's "来源:" segment does not replace the title's form
    expect(rankCandidates('', [c('云安区工业园管理委员会', 'title'), c('云浮市云安区工业园管理委员会', 'pageTitle', 40)])!.name).toBe(
      '云安区工业园管理委员会',
    )
  })

  it('the cell under a 发布机构 column of a metadata table is a label, and its place-prefixed form wins over the title', () => {
    const x = extract(
      `索引号 | 公开方式 | 发布机构 |\n11622301/2009-00021 | 主动公开 | 凉州区张义镇人民政府 |\n2008年张义镇人民政府信息公开工作年度报告\n${BODY}`,
    )
    expect(x.agency).toBe('凉州区张义镇人民政府')
    // a row of another shape is not read as the table's
    const y = extract(`索引号 | 公开方式 | 发布机构 |\n凉州区张义镇人民政府\n2008年张义镇人民政府信息公开工作年度报告\n${BODY}`)
    expect(y.agency).toBe('张义镇人民政府')
  })

  it('a cut subject is completed from its verbatim place-prefixed form in the text', () => {
    const x = extract('一、总体情况\n2019年,张义镇人民政府认真贯彻落实《条例》。\n二、存在问题\n凉州区张义镇人民政府网站栏目更新不及时。')
    expect(x.agency).toBe('凉州区张义镇人民政府')
  })

  it('an abbreviation of the winner is not a rival', () => {
    const cands = [c('中国科学院微电子研究所', 'title'), c('微电子所', 'body', 40), c('微电子所', 'body', 60)]
    const rival = [c('中国科学院微电子研究所', 'title'), c('光电技术所', 'body', 40), c('光电技术所', 'body', 60)]
    expect(rankCandidates('', cands)!.confidence).toBeGreaterThan(rankCandidates('', rival)!.confidence)
  })

  it('is carried to the extraction, null without an agency', () => {
    const x = extract(`铜鼓县审计局2019年政府信息公开工作年度报告\n${BODY}\n铜鼓县审计局\n2020年1月15日\n`)
    expect(x.agency).toBe('铜鼓县审计局')
    expect(x.agencyConfidence).toBeGreaterThan(0.8)
    const none = extract('按照有关规定,现将我局2014年政府信息公开情况报告如下。')
    expect(none.agency).toBeNull()
    expect(none.agencyConfidence).toBeNull()
  })
})
