// Reports made from parts, with their items known by construction: the problems and measures of a
// report written in the layouts real reports use (separate or combined sections, sub-headings or
// none, every enumeration style, one item a line or several in one paragraph), around the standard
// sections a report has. `npm run eval:extract -- --synthetic N` scores the extractor on N of them:
// a measure of the layouts it was never tuned to, since the sentences and the combinations are not
// from the corpus. Deterministic for a seed. Pure.
import type { LabelledReport } from './train'
import { prng } from './model'

const PROBLEMS = [
  '部分单位对政务公开工作重视程度不够，公开意识有待增强',
  '信息发布的及时性不够，个别栏目更新滞后',
  '政策解读形式比较单一，图表、视频等解读偏少',
  '依申请公开答复的规范性还需提高',
  '政务公开工作人员专业能力不足，人员变动频繁',
  '公开内容与群众需求存在差距，便民信息偏少',
  '政府网站栏目设置不够合理，检索功能较弱',
  '基层政务公开标准化规范化建设推进较慢',
  '政民互动回应不够及时，留言办理质量有待提升',
  '重点领域信息公开的深度和广度不够',
  '公开平台之间信息不同步，存在内容不一致的情况',
  '对政务公开工作的监督考核力度不够',
]
const PLANS = [
  '加强业务培训，提升工作人员的政策水平和业务能力',
  '完善信息发布审核机制，确保信息发布及时准确',
  '丰富政策解读形式，多用图表、音视频等方式解读政策',
  '规范依申请公开办理流程，严格按照法定时限答复',
  '优化政府网站栏目设置，提升检索和查询功能',
  '推进基层政务公开标准化规范化建设，编制公开事项目录',
  '加大重点领域信息公开力度，及时公开财政预决算等信息',
  '健全政民互动机制，及时回应群众关切',
  '强化监督考核，将政务公开纳入年度绩效考核',
  '建立健全信息公开工作制度，明确责任分工',
  '加强公开平台管理，确保各平台信息同步更新',
  '拓宽公开渠道，充分利用政务新媒体发布信息',
]

const AGENCIES = ['青山区财政局', '临江市市场监督管理局', '东湖县人民政府', '南岭镇人民政府', '西平县教育局', '北湾区住房和城乡建设局']

type Mark = (i: number) => string
const CN = ['一', '二', '三', '四', '五', '六', '七', '八']
const CIRCLED = ['①', '②', '③', '④', '⑤', '⑥', '⑦', '⑧']
const MARKS: Record<string, Mark> = {
  arabic: i => `${i + 1}、`,
  dot: i => `${i + 1}.`,
  paren: i => `（${i + 1}）`,
  circled: i => CIRCLED[i],
  shi: i => `${CN[i]}是`,
  di: i => `第${CN[i]}，`,
  order: (i, n = 99) => (i === 0 ? '首先，' : i === n - 1 ? '最后，' : i === 1 ? '其次，' : '再次，'),
}

const PROBLEM_SUBHEADS = ['存在的问题', '主要问题', '存在的不足', '问题和不足']
const PLAN_SUBHEADS = ['改进措施', '下一步工作计划', '整改措施', '今后工作打算']
const COMBINED_HEADS = ['存在的主要问题及改进情况', '存在的主要问题和改进措施', '工作中存在的不足和改进措施']
const PLAN_HEADS = ['下一步工作打算', '改进措施', '{next}年工作计划', '今后工作方向']

/** N reports, each with 2–5 problems and 2–5 measures in a layout drawn at random. */
export function syntheticReports(n: number, seed = 1): Array<LabelledReport & { agency: string; year: number }> {
  const r = prng(seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]
  const sample = <T>(xs: readonly T[], k: number): T[] => {
    const a = [...xs]
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1))
      ;[a[i], a[j]] = [a[j], a[i]]
    }
    return a.slice(0, k)
  }
  const out: Array<LabelledReport & { agency: string; year: number }> = []
  for (let k = 0; k < n; k++) {
    const agency = pick(AGENCIES)
    const year = 2015 + Math.floor(r() * 10)
    const problems = sample(PROBLEMS, 2 + Math.floor(r() * 4))
    const plans = sample(PLANS, 2 + Math.floor(r() * 4))
    /** one list in one of the layouts; every item a sentence of its own */
    const shapes: string[] = []
    const list = (items: string[], intro: string): string => {
      const style = pick(Object.keys(MARKS))
      const mark = (i: number) => (style === 'order' ? MARKS.order(i) : MARKS[style](i))
      const shape = pick(['lines', 'paragraph', 'plain-lines'] as const)
      shapes.push(shape === 'plain-lines' ? shape : `${shape}:${style}`)
      if (shape === 'plain-lines') return (intro ? intro + '\n' : '') + items.map(t => `${t}。`).join('\n')
      if (shape === 'paragraph' && style !== 'paren' && style !== 'circled')
        return `${intro}${items.map((t, i) => `${mark(i)}${t}${i === items.length - 1 ? '。' : '；'}`).join('')}`
      return (intro ? intro + '\n' : '') + items.map((t, i) => `${mark(i)}${t}。`).join('\n')
    }
    const problemIntro = pick(['', '主要表现在以下几个方面：', `${year}年，我单位政务公开工作虽然取得了一定成效，但仍存在一些问题：`])
    const planIntro = pick(['', '下一步，我单位将重点做好以下工作：', '针对上述问题，我们将采取以下措施：'])
    const sections: string[] = [
      `一、总体情况\n${year}年，${agency}认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政务公开各项工作，全年主动公开政府信息${120 + Math.floor(r() * 800)}条。`,
      `二、主动公开政府信息情况\n本年新制发规范性文件${Math.floor(r() * 9)}件，现行有效${10 + Math.floor(r() * 40)}件。`,
      `三、收到和处理政府信息公开申请情况\n本年共收到政府信息公开申请${Math.floor(r() * 30)}件，均已按时答复。`,
      `四、政府信息公开行政复议、行政诉讼情况\n本年度未发生政府信息公开行政复议和行政诉讼案件。`,
    ]
    const layout = pick(['combined-sub', 'combined-flat', 'separate'] as const)
    if (layout === 'combined-sub') {
      sections.push(
        `五、${pick(COMBINED_HEADS)}\n（一）${pick(PROBLEM_SUBHEADS)}\n${list(problems, problemIntro)}\n（二）${pick(PLAN_SUBHEADS)}\n${list(plans, planIntro)}`,
      )
    } else if (layout === 'combined-flat') {
      sections.push(
        `五、${pick(COMBINED_HEADS)}\n${list(problems, problemIntro || '存在的问题：')}\n${list(plans, planIntro || '改进措施：')}`,
      )
    } else {
      sections.push(`五、${pick(PROBLEM_SUBHEADS)}\n${list(problems, problemIntro)}`)
      sections.push(`六、${pick(PLAN_HEADS).replace('{next}', String(year + 1))}\n${list(plans, planIntro)}`)
    }
    sections.push(`${CN[sections.length]}、其他需要报告的事项\n无。`)
    const text = `${agency}${year}年政府信息公开工作年度报告\n${sections.join('\n')}\n${agency}\n${year + 1}年1月${10 + Math.floor(r() * 18)}日`
    const gold = (t: string) => ({ key: t.slice(0, 10), text: `${t}。` })
    out.push({
      name: `syn${String(k).padStart(3, '0')}-${layout}-${shapes.join('+')}`,
      text,
      agency,
      year,
      problems: problems.map(gold),
      plans: plans.map(gold),
    })
  }
  return out
}
