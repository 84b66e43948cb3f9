import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { extractReportStrict as extract } from './index'
import { noiseOf } from './learn/noise'
import type { Extraction } from './types'

function run(text: string): Extraction {
  const x = extract(text)
  for (const it of x.items) {
    // offsets always point into the ORIGINAL text
    expect(text.slice(it.start, it.end)).toBe(it.text)
    expect(it.title.length).toBeLessThanOrEqual(60)
  }
  return x
}
const titles = (x: Extraction, kind: 'problem' | 'plan') => x.items.filter(i => i.kind === kind).map(i => i.title)
const texts = (x: Extraction, kind: 'problem' | 'plan') => x.items.filter(i => i.kind === kind).map(i => i.text)

describe('enumeration styles', () => {
  it('(一)(二) headings with a body paragraph each', () => {
    const x = run(`二、存在的主要问题
(一)信息公开内容不够全面
部分业务信息公开不及时,群众关注的统计数据解读较少。
(二)工作人员业务能力有待提高
信息员均为兼职,培训不足。
三、2019年工作打算
(一)丰富公开内容
围绕群众关注的统计数据,建设统计解读专栏。
(二)加强队伍建设
组织一次全员业务培训。`)
    expect(titles(x, 'problem')).toEqual(['信息公开内容不够全面', '工作人员业务能力有待提高'])
    expect(titles(x, 'plan')).toEqual(['丰富公开内容', '加强队伍建设'])
    // the body belongs to its heading
    expect(texts(x, 'problem')[0]).toBe('(一)信息公开内容不够全面\n部分业务信息公开不及时,群众关注的统计数据解读较少。')
  })

  it('一是 / 二是 inline, with the lead-in sentence left out', () => {
    const x = run(`五、存在的主要问题及改进情况
2020年,我办工作取得一定成效,但也存在一些问题:一是政策解读形式单一;二是信息更新不够及时;三是政务新媒体互动不足。下一步,我办将采取以下措施:一是丰富政策解读形式,多用图解、视频解读;二是建立信息更新提醒机制;三是加强政务新媒体互动回应。
六、其他需要报告的事项
无。`)
    expect(texts(x, 'problem')).toEqual(['一是政策解读形式单一', '二是信息更新不够及时', '三是政务新媒体互动不足。'])
    expect(titles(x, 'plan')).toEqual(['丰富政策解读形式,多用图解、视频解读', '建立信息更新提醒机制', '加强政务新媒体互动回应'])
  })

  it('1、 and 1. lists, and parallel lists link plan n to problem n', () => {
    const x = run(`五、存在的主要问题及改进情况
1、信息公开的主动性不强。
2、政策解读质量不高。
针对上述问题,我局将重点做好以下工作:
1.增强主动公开意识,建立信息发布计划。
2.提升政策解读质量,邀请专家参与解读。`)
    expect(titles(x, 'problem')).toEqual(['信息公开的主动性不强', '政策解读质量不高'])
    expect(titles(x, 'plan')).toEqual(['增强主动公开意识,建立信息发布计划', '提升政策解读质量,邀请专家参与解读'])
    const plans = x.items.filter(i => i.kind === 'plan')
    expect(plans.map(p => p.answers)).toEqual([[0], [1]])
  })

  it('(1) (2) and (一)是', () => {
    const x = run(`五、政府信息公开工作存在的主要问题及改进情况
(一)是信息公开不够及时。
(二)是公开内容不够丰富。
(1)加强信息报送,确保及时公开。
(2)丰富公开内容,拓展公开渠道。`)
    expect(texts(x, 'problem')).toEqual(['(一)是信息公开不够及时。', '(二)是公开内容不够丰富。'])
    expect(texts(x, 'plan')).toEqual(['(1)加强信息报送,确保及时公开。', '(2)丰富公开内容,拓展公开渠道。'])
  })

  it('① ② ③ and 首先 / 其次 / 最后', () => {
    const x = run(`二、工作中的不足
①信息发布不够及时;②公开栏更新较慢;③群众知晓率不高。
三、下一步工作计划
首先,完善信息发布制度,明确专人负责。其次,定期更新公开栏内容。最后,加大宣传力度,提高群众知晓率。`)
    expect(titles(x, 'problem')).toEqual(['信息发布不够及时', '公开栏更新较慢', '群众知晓率不高'])
    expect(titles(x, 'plan')).toEqual(['完善信息发布制度,明确专人负责', '定期更新公开栏内容', '加大宣传力度,提高群众知晓率'])
  })

  it('第一 / 第二 and 一方面 / 另一方面', () => {
    const x = run(`四、存在的问题和改进措施
第一,信息公开工作机制不够健全;第二,公开内容不够规范。
今后,我们将从以下方面改进:一方面,健全信息公开工作机制;另一方面,规范公开内容和格式。`)
    expect(titles(x, 'problem')).toEqual(['信息公开工作机制不够健全', '公开内容不够规范'])
    expect(titles(x, 'plan')).toEqual(['健全信息公开工作机制', '规范公开内容和格式'])
  })

  it('bullets (●) without numbers', () => {
    const x = run(`三、存在的问题
●信息公开内容不够全面。
●政策解读形式单一。
四、改进措施
●丰富信息公开内容。
●创新政策解读形式。`)
    expect(titles(x, 'problem')).toEqual(['信息公开内容不够全面', '政策解读形式单一'])
    expect(titles(x, 'plan')).toEqual(['丰富信息公开内容', '创新政策解读形式'])
  })

  it('broken markers: ")以…", "三)…" and a heading that lost its marker', () => {
    const x = run(`三、2019年的工作计划
2019年,继续深入学习贯彻党的十九大精神,推动服务机制创新。
(一)全面推进审批改革工作
大力推动各部门成立审批服务办公室,明确责任,承诺在服务中心之外无受理。
)以一门式建设为重点,深化放管服改革
一是深化审批事项标准化建设。二是整合部门服务窗口。
三)搬迁升级政务服务大厅
拟搬迁行政服务中心实体大厅,打造一个舒适、便民利民的政务服务大厅。
加快政务服务信息化建设
大力推进我县政务信息化改革建设工作,整治网上办事大厅统一受理平台。
四、其他需要报告的事项`)
    expect(titles(x, 'plan')).toEqual([
      '全面推进审批改革工作',
      '以一门式建设为重点,深化放管服改革',
      '搬迁升级政务服务大厅',
      '加快政务服务信息化建设',
    ])
    // nested 一是/二是 stay inside their parent
    expect(texts(x, 'plan')[1]).toContain('二是整合部门服务窗口。')
  })
})

describe('section arrangements', () => {
  it('separate sections; achievements enumerated earlier are not problems', () => {
    const x = run(`某某县统计局2018年政府信息公开工作年度报告
一、总体情况
(一)主动公开情况。全年主动公开信息120条,内容不断丰富。
(二)依申请公开情况。全年未收到申请。
二、存在的主要问题
一是信息公开内容不够全面;二是工作人员业务能力有待提高。
三、改进措施
一是丰富公开内容;二是加强队伍建设。
四、其他需要报告的事项
无。`)
    expect(titles(x, 'problem')).toEqual(['信息公开内容不够全面', '工作人员业务能力有待提高'])
    expect(titles(x, 'plan')).toEqual(['丰富公开内容', '加强队伍建设'])
  })

  it('one combined section in prose: problems, then 下一步 commitments', () => {
    const x = run(`五、存在的主要问题及改进情况
对外宣传的力度不够。下一步将加大政府信息对外宣传力度。
六、其他需要报告的事项
本年度未收取信息处理费。`)
    expect(texts(x, 'problem')).toEqual(['对外宣传的力度不够。'])
    expect(texts(x, 'plan')).toEqual(['下一步将加大政府信息对外宣传力度。'])
    expect(titles(x, 'plan')).toEqual(['加大政府信息对外宣传力度'])
  })

  it('inline labels 存在问题:… 改进措施:…', () => {
    const x = run(`六、存在问题及改进措施
存在问题:公开内容不够全面;公开形式单一。改进措施:进一步拓宽公开渠道,丰富公开形式。`)
    expect(texts(x, 'problem')).toEqual(['公开内容不够全面', '公开形式单一。'])
    expect(texts(x, 'plan')).toEqual(['进一步拓宽公开渠道,丰富公开形式。'])
  })

  it('sub-headings (一)存在问题 / (二)改进措施 inside one section', () => {
    const x = run(`五、存在的问题及改进措施
(一)存在问题
我镇的工作还存在一些问题和不足,主要有以下几个方面:一是公开内容时效较慢。二是信息更新还不够及时。
(二)改进措施
一是进一步梳理所掌握的政府信息,定期维护。
二是不断提高工作人员的综合素质。
六、其他需要报告的事项
无。`)
    expect(titles(x, 'problem')).toEqual(['公开内容时效较慢', '信息更新还不够及时'])
    expect(titles(x, 'plan')).toEqual(['进一步梳理所掌握的政府信息,定期维护', '不断提高工作人员的综合素质'])
  })

  it('plans in a list with no problems section', () => {
    const x = run(`一、概述
2016年,我镇积极推进信息公开。
二、下一步工作打算
1.完善信息发布制度,明确专人负责。
2.定期更新公开栏内容。`)
    expect(titles(x, 'problem')).toEqual([])
    expect(titles(x, 'plan')).toEqual(['完善信息发布制度,明确专人负责', '定期更新公开栏内容'])
  })

  it('a problems section with a commitment sentence and no plans section', () => {
    const x = run(`六、政府信息公开工作存在的主要问题
2008年,街道通过大力开展政府信息公开工作,提高了工作透明度,但仍有不足之处:一是主动公开信息的手段不够多、渠道比较窄;二是街道信息网缺少与公众互动的版块。今后的工作中,我们将结合街道工作实际,拓宽主动公开信息的发布渠道;并在适当时候对街道信息网进行升级改造,增加互动功能。`)
    expect(titles(x, 'problem')).toEqual(['主动公开信息的手段不够多、渠道比较窄', '街道信息网缺少与公众互动的版块'])
    expect(texts(x, 'plan').join('|')).toContain('拓宽主动公开信息的发布渠道')
    expect(texts(x, 'plan').some(t => t.includes('在适当时候对街道信息网进行升级改造'))).toBe(true)
  })

  it('no heading at all', () => {
    const x = run(`我局2014年的政府信息公开工作运行平稳。工作中存在以下主要问题:公开内容不全面;信息共享机制不够健全。`)
    expect(titles(x, 'problem')).toEqual(['公开内容不全面', '信息共享机制不够健全'])
  })

  it('a report admitting no problem gives no problem item', () => {
    const x = run(`五、存在的主要问题及改进情况
本年度我单位政府信息公开工作运行平稳,未发现明显问题。
六、其他需要报告的事项
无。`)
    expect(x.items).toEqual([])
  })

  it('several short problems listed with 、 in one sentence', () => {
    const x = run(`二、存在问题和不足
虽然我们的工作取得了一定的成效,还存在着工作力度不够大、时效性不够强、制度建设不够健全、信息员队伍弱。
三、改进措施
一是进一步强化考核机制;二是进一步简化信息公开的程序。`)
    expect(texts(x, 'problem')).toEqual(['还存在着工作力度不够大', '时效性不够强', '制度建设不够健全', '信息员队伍弱。'])
  })

  it('short problems separated by commas, and a concessive lead-in left out', () => {
    const x = run(`六、存在问题及工作措施
2018年,我单位信息公开水平不断提高,但与上级要求还有一定的差距,比如,信息公开渠道形式不够多样,信息公开数量不够多等。`)
    expect(texts(x, 'problem')).toEqual(['但与上级要求还有一定的差距', '信息公开渠道形式不够多样', '信息公开数量不够多等。'])
  })

  it('commitments in one sentence are split at their verbs; aims stay with them', () => {
    const x = run(`二、存在的主要问题及改进情况
目前信息公开工作在载体方面还有提升空间。2024年,本所将继续认真落实国家档案信息公开工作要求,进一步加大信息主动公开的力度,综合运用各种公开平台,使信息公开工作迈上新台阶。`)
    expect(titles(x, 'plan')).toEqual(['继续认真落实国家档案信息公开工作要求', '进一步加大信息主动公开的力度', '综合运用各种公开平台'])
    // the aim ("使…") is not a separate commitment
    expect(texts(x, 'plan').some(t => t.startsWith('使'))).toBe(false)
  })
})

describe('more arrangements', () => {
  it("last year's rectification is skipped; this year's problems and measures are kept", () => {
    const x = run(`五、存在的主要问题及改进情况
(一)上年度问题整改情况
针对上年度信息更新不及时的问题,我局已建立信息发布台账,问题已整改到位。
(二)存在的主要问题
一是政策解读形式较为单一;二是政务新媒体更新频率不高。
(三)改进措施
一是丰富政策解读形式;二是加强政务新媒体管理。
六、其他需要报告的事项
无。`)
    expect(titles(x, 'problem')).toEqual(['政策解读形式较为单一', '政务新媒体更新频率不高'])
    expect(titles(x, 'plan')).toEqual(['丰富政策解读形式', '加强政务新媒体管理'])
  })

  it('problem and measure under each numbered item ("改进措施:" inline), linked pairwise', () => {
    const x = run(`五、存在的主要问题及改进情况
1.政策解读不够深入。改进措施:加强解读,多用图解。
2.依申请公开办理不够规范。改进措施:完善办理流程。
六、其他需要报告的事项
无。`)
    expect(x.items.map(i => [i.kind, i.title])).toEqual([
      ['problem', '政策解读不够深入'],
      ['plan', '加强解读,多用图解'],
      ['problem', '依申请公开办理不够规范'],
      ['plan', '完善办理流程'],
    ])
    expect(x.items.map(i => i.answers)).toEqual([[], [0], [], [2]])
  })

  it('a plan cue inside a list of measures does not cut the list in two (one flattened paragraph)', () => {
    const x = run(`五、存在的主要问题及改进情况
今年工作取得了进展,但上传信息量偏少,上传不及时。
1、拓展公开形式。积极探索方便群众查阅的公开方式。2、统一认识,规范工作流程。我镇将按照要求,进一步梳理政府信息,定期维护。3、逐步扩大公开内容。对原有公开目录进行补充完善。
六、其他需要报告的事项
无。`)
    expect(titles(x, 'plan')).toEqual(['拓展公开形式', '统一认识,规范工作流程', '逐步扩大公开内容'])
    expect(x.items.filter(i => i.kind === 'plan').map(i => i.text)[1]).toBe(
      '2、统一认识,规范工作流程。我镇将按照要求,进一步梳理政府信息,定期维护。',
    )
  })

  it('an account of carrying out a plan (落实…工作要点情况) under 其他需要报告的事项 is not a plan section', () => {
    const x = run(`五、存在的主要问题及改进情况
(一)存在的主要问题:一是公开意识有待提高;二是公开内容还需要进一步丰富。
(二)改进措施:我局将加强培训,规范信息公开行为。
六、其他需要报告的事项
(一)落实上级年度政务公开工作要点情况。一是明确报送原则,及时准确反映工作情况;二是明确报送计划,做到工作推进与信息报告同步规划。`)
    // the measures of 五 only (the learned boundary step may cut them into their two clauses)
    expect(
      x.items
        .filter(i => i.kind === 'plan')
        .map(i => i.text)
        .join(''),
    ).toBe('我局将加强培训,规范信息公开行为。')
  })

  it('、 between subjects that share one predicate does not split a problem; between whole problems it does', () => {
    const x = run(`五、存在的主要问题及改进情况
存在的主要问题:个别单位存在积极性、主动性不够,工作力度不够大、时效性不够强、制度建设不够健全。
六、其他需要报告的事项
无。`)
    expect(x.items.filter(i => i.kind === 'problem').map(i => i.text.replace(/[、,。]$/, ''))).toEqual([
      '个别单位存在积极性、主动性不够',
      '工作力度不够大',
      '时效性不够强',
      '制度建设不够健全',
    ])
  })

  it('section numerals used as items inside a section', () => {
    const x = run(`三、存在的问题
一、信息公开的及时性不够。
二、公开内容不够全面。
三、工作人员业务水平不高。
四、改进措施
一、加强信息报送。
二、丰富公开内容。`)
    expect(titles(x, 'problem')).toEqual(['信息公开的及时性不够', '公开内容不够全面', '工作人员业务水平不高'])
    expect(titles(x, 'plan')).toEqual(['加强信息报送', '丰富公开内容'])
  })

  it('整改要求 headings and a commitment with its own deadline', () => {
    const x = run(`二、存在问题
1.主动公开不及时。部分单位未及时更新信息。
2.政策解读形式单一。
三、整改要求
1.强化责任落实,9月底前完成信息梳理。
2.创新解读形式。`)
    expect(titles(x, 'plan')).toEqual(['强化责任落实,9月底前完成信息梳理', '创新解读形式'])
  })
})

describe('noise', () => {
  it('traditional characters and injected pinyin: found, kept verbatim', () => {
    const text = `某某區審計局2012年度政府信息公開工作年度報(bào)告
四、政府信息公開工作存在的主要問(wèn)題及改進(jìn)情況
(一)存在的主要問(wèn)題。
一是信息發(fā)布不夠及時(shí);二是公開範(fàn)圍有待進(jìn)一步擴(kuò)大。
(二)改進(jìn)措施。
一是抽調(diào)專人進(jìn)行管理;二是加強(qiáng)業(yè)務(wù)學(xué)習(xí)。`
    const x = run(text)
    expect(x.agency).toBe('某某區審計局')
    expect(x.year).toBe(2012)
    expect(texts(x, 'problem')).toEqual(['一是信息發(fā)布不夠及時(shí)', '二是公開範(fàn)圍有待進(jìn)一步擴(kuò)大。'])
    expect(texts(x, 'plan')).toEqual(['一是抽調(diào)專人進(jìn)行管理', '二是加強(qiáng)業(yè)務(wù)學(xué)習(xí)。'])
  })

  it('Kangxi radical look-alikes (⼯, ⼈, ⼀)', () => {
    const x = run(`⼆、存在的主要问题
⼀是信息公开⼯作⼈员不⾜;⼆是公开内容更新不及时。
三、改进措施
⼀是配齐⼯作⼈员;⼆是建⽴定期更新制度。`)
    expect(texts(x, 'problem')).toEqual(['⼀是信息公开⼯作⼈员不⾜', '⼆是公开内容更新不及时。'])
    expect(texts(x, 'plan')).toEqual(['⼀是配齐⼯作⼈员', '⼆是建⽴定期更新制度。'])
  })

  it('page chrome after the last item is not part of it', () => {
    const x = run(`三、改进措施
一是丰富公开内容;二是加强队伍建设。
分享到:
打印本页 关闭窗口
附件:2018年统计表.doc
相关文章`)
    expect(texts(x, 'plan')).toEqual(['一是丰富公开内容', '二是加强队伍建设。'])
  })

  it('a whole report flattened into one line', () => {
    const text =
      '某某街道办事处2015年政府信息公开工作年度报告 一、概述 2015年,街道认真贯彻《条例》。 二、主动公开政府信息情况 全年主动公开信息30条。 三、存在的主要问题和改进措施 目前街道政府信息公开工作存在公开内容不够全面、更新不够及时等问题。 下一步我们将加强人员培训,完善信息发布机制。 某某街道办事处 二O一六年三月一日'
    const x = run(text)
    expect(x.agency).toBe('某某街道办事处')
    expect(x.year).toBe(2015)
    expect(x.publishedAt).toBe('2016-03-01')
    expect(titles(x, 'problem')).toEqual(['公开内容不够全面', '更新不够及时'])
    // two short measures in one sentence are two commitments for the learned boundary step (as the
    // corpus labels them: "进一步完善工作制度" / "加强监督与培训"); together they are the whole sentence
    expect(texts(x, 'plan').join('')).toBe('下一步我们将加强人员培训,完善信息发布机制。')
    expect(texts(x, 'plan').length).toBeLessThanOrEqual(2)
  })

  it('lines broken mid-word (fixed-width PDF text) and a title across lines', () => {
    const x = run(`五、政府信息公开工作存在的主要问题及改进情况
本年度我局政府信息公开工作取得了一定成效,但仍存在以下
问题:一是政府信息公开工作人员均为兼职,业务水平有待进一
步提高;二是信息发布的及时性还需加强,部分栏目更新较慢。
针对以上问题,我局将从以下几个方面加以改进:一是加强业
务培训,提高工作人员业务水平;二是建立信息发布督促机制,
确保信息发布及时。
六、其他需要报告的事项
无。`)
    expect(titles(x, 'problem')).toEqual([
      '政府信息公开工作人员均为兼职,业务水平有待进一步提高',
      '信息发布的及时性还需加强,部分栏目更新较慢',
    ])
    expect(titles(x, 'plan')).toEqual(['加强业务培训,提高工作人员业务水平', '建立信息发布督促机制,确保信息发布及时'])
  })

  it('a heading glued to its first sentence, and a list cut off mid-item', () => {
    const x = run(
      `五、存在的主要问题2015年,我局仍存在一些问题。一是主动公开政府信息的内容有待进一步深化。二是业务人员接受专业培训较少。 六、今后改进方向1、全面落实公开内容。围绕我局业务工作,重点做好招标信息、中标公示`,
    )
    expect(titles(x, 'problem')).toEqual(['主动公开政府信息的内容有待进一步深化', '业务人员接受专业培训较少'])
    expect(x.items.filter(i => i.kind === 'plan').map(i => i.text)).toEqual([
      '1、全面落实公开内容。围绕我局业务工作,重点做好招标信息、中标公示',
    ])
  })
})

describe('a page cut off mid-sentence', () => {
  const head =
    '五、存在的主要问题及改进措施\n（一）存在的问题\n公开内容不够全面，更新不够及时。\n（二）改进措施\n1、进一步充实信息公开内容，突出重点、热点和难点问题。\n2、不断提高政府信息公开的水平，进一步改进工作方式。\n'
  it('drops the stub of the last item, which names nothing', () => {
    const x = extract(head + '3、要加强信息公开制度建')
    expect(x.items.filter(i => i.kind === 'plan').map(i => i.text)).toHaveLength(2)
  })
  it('keeps a last item that says enough, or that ends its sentence', () => {
    expect(extract(head + '3、要加强信息公开制度建设，完善考核机制和责任追究').items.filter(i => i.kind === 'plan')).toHaveLength(3)
    expect(extract(head + '3、加强制度建设。').items.filter(i => i.kind === 'plan')).toHaveLength(3)
  })
})

describe('a numbered measure that sounds like a heading', () => {
  it('"2、加强业务培训，进一步改进工作方式。" is an item of its list, not a sub-heading', () => {
    const t =
      '五、存在的主要问题及改进措施\n（一）存在的问题\n公开内容不够全面，更新不够及时。\n（二）改进措施\n1、进一步充实信息公开内容，突出重点。\n2、加强业务培训，进一步改进工作方式。\n3、加强制度建设，完善考核机制。'
    const plans = extract(t).items.filter(i => i.kind === 'plan')
    expect(plans.map(i => i.text.slice(0, 2))).toEqual(['1、', '2、', '3、'])
  })
  it('a numbered heading that names its section first is still a heading', () => {
    const t =
      '五、存在的主要问题及改进措施\n（一）存在的问题，主要有以下几点。\n1、公开内容不够全面。\n2、更新不够及时。\n（二）改进措施\n1、加强业务培训。'
    const x = extract(t)
    expect(x.items.filter(i => i.kind === 'problem')).toHaveLength(2)
    expect(x.items.filter(i => i.kind === 'plan')).toHaveLength(1)
  })
})

describe('layouts without numbered sub-headings', () => {
  const intro = '一、总体情况\n2023年，我局扎实推进政务公开工作。\n五、存在的主要问题和改进措施\n'
  it('an unnumbered sentence that uses a section word (依申请公开…) is an item, not a heading that ends the list', () => {
    const t = `${intro}（一）主要问题\n依申请公开答复的规范性还需提高。\n政府网站栏目设置不够合理。\n（二）改进措施\n规范依申请公开办理流程。\n加强公开平台管理。`
    const x = extract(t)
    expect(x.items.filter(i => i.kind === 'problem').map(i => i.text)).toEqual([
      '依申请公开答复的规范性还需提高。',
      '政府网站栏目设置不够合理。',
    ])
    expect(x.items.filter(i => i.kind === 'plan').map(i => i.text)).toEqual(['规范依申请公开办理流程。', '加强公开平台管理。'])
  })
  it('a sentence that introduces the measures ("下一步，我单位将重点做好以下工作：") starts the plans', () => {
    const t = `${intro}存在的问题：\n首先，重点领域信息公开的深度和广度不够。\n其次，政民互动回应不够及时。\n下一步，我单位将重点做好以下工作：\n①强化监督考核。\n②丰富政策解读形式。`
    const x = extract(t)
    expect(x.items.filter(i => i.kind === 'problem')).toHaveLength(2)
    expect(x.items.filter(i => i.kind === 'plan').map(i => i.text)).toEqual(['①强化监督考核。', '②丰富政策解读形式。'])
  })
})

describe('a problem clause without a subject', () => {
  const t = (line: string) => `五、存在的问题\n信息发布的及时性不够，个别栏目更新滞后。\n${line}\n六、下一步工作打算\n加强业务培训。`
  it('takes the clause before it as its subject ("公开平台之间信息不同步，存在内容不一致的情况")', () => {
    const problems = extract(t('公开平台之间信息不同步，存在内容不一致的情况。')).items.filter(i => i.kind === 'problem')
    expect(problems.map(i => i.text)).toContain('公开平台之间信息不同步，存在内容不一致的情况。')
  })
  it('a need with no subject ("还需要进一步充实丰富") takes the clause before it, without its connective', () => {
    const problems = extract(t('此项工作正常开展，内容方面有所增加，但是面对公众的关注和要求，还需要进一步充实丰富。')).items.filter(
      i => i.kind === 'problem',
    )
    expect(problems.map(i => i.text)).toContain('面对公众的关注和要求，还需要进一步充实丰富。')
  })
  it('a clause with its own subject stays an item of its own', () => {
    const problems = extract(t('目前工作力度不够，部分信息公开数量较少。')).items.filter(i => i.kind === 'problem')
    expect(problems.some(i => i.text.startsWith('部分信息公开数量较少'))).toBe(true)
  })
})

describe('a page whose lines were broken anywhere', () => {
  it('is read as the sentences it holds (lines joined where they end mid-sentence)', () => {
    // real reports with every line broken after 20–40 characters, a new length each time
    const ragged = noiseOf('ragged')
    let same = 0
    let all = 0
    for (const name of ['n005', 'n018', 'o014', 'o028']) {
      const text = fs.readFileSync(path.resolve(__dirname, `../../tests/fixtures/corpus/${name}.txt`), 'utf8')
      const plain = extract(text).items.map(i => i.text.replace(/\s/g, ''))
      const broken = new Set(extract(ragged.apply(text, name)).items.map(i => i.text.replace(/\s/g, '')))
      all += plain.length
      same += plain.filter(t => broken.has(t)).length
    }
    expect(all).toBeGreaterThan(10)
    expect(same / all).toBeGreaterThan(0.9)
  })
})
