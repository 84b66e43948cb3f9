// Shortcoming topics: what kind of shortcoming a problem admits. Two problems that admit the same
// kind of shortcoming, in whatever words, are "the same problem" for follow-up (公开不及时 and
// 信息更新不及时 are both `timely`). The lexicon is written from the domain (the disclosure
// regulation, evaluation checklists, the usual wording of annual reports), one family of keywords
// per topic; it runs on normalised (simplified) text without white space.

export type TopicId =
  | 'staff'
  | 'skill'
  | 'awareness'
  | 'mechanism'
  | 'timely'
  | 'content'
  | 'normative'
  | 'quality'
  | 'channel'
  | 'platform'
  | 'facility'
  | 'interpret'
  | 'interact'
  | 'publicity'
  | 'subunit'
  | 'service'
  | 'application'
  | 'effort'
  | 'gap'

export interface Topic {
  id: TopicId
  label: string
  /** Any match in a clause admits the topic. */
  cues: RegExp[]
  /** A clause matching one of these does not count for the topic (another topic owns the words). */
  unless?: RegExp
}

// "not enough / lacking / needs work": problems say it in many ways
const LACK =
  '(?:不够|不足|不强|不高|不大|不多|不全|不到位|不完善|不健全|不规范|不畅|不稳定|不及时|不均衡|欠缺|缺乏|缺少|较少|偏少|过少|较弱|薄弱|落后|滞后|单一|较窄|有待|亟待|还需|仍需|尚需|需要|需进一步|还要|不能|未能|尚未|没有|难以|不|少|弱|低|差|慢)'

export const TOPICS: Topic[] = [
  {
    id: 'staff',
    label: '工作人员力量不足/兼职',
    cues: [
      /兼职|专职|人手|编制/,
      new RegExp(`(?:人员|力量|队伍|人力)[^,。;]{0,6}${LACK}`),
      /(?:人员|队伍)(?:变动|流动|调整)(?:频繁|较大|较多)|队伍(?:建设|不稳定)|信息员/,
      /专业(?:技术)?人(?:员|才)[^,。;]{0,6}(?:不足|缺乏|较少|缺|配备)/,
    ],
    unless: /素质|业务能力|业务水平|培训|学习|知晓|基层/,
  },
  {
    id: 'skill',
    label: '业务能力与培训学习不足',
    cues: [
      /培训|学习|业务(?:水平|能力|素质|知识)|素质|业务不熟|不熟悉|不够熟练|掌握不|把握不|能力不|知识/,
      /(?:人员|窗口)[^,。;]{0,6}(?:水平|能力)[^,。;]{0,4}(?:不|有待|参差)/,
    ],
  },
  {
    id: 'awareness',
    label: '思想认识/主动公开意识不到位',
    cues: [
      /(?:公开|依法|主动)[^,。;]{0,4}意识|思想认识|认识(?:不足|不到位|不够|不深|不高|有偏差)|重视(?:不够|程度不|不足)|不够重视|不重视|积极性(?:不|有待)/,
    ],
  },
  {
    id: 'mechanism',
    label: '制度/机制/程序不健全',
    cues: [/制度|机制|程序|流程|长效|考核|责任(?:落实|分工|制)|协调联动/],
    unless: /培训|学习|审批|办事|掌握|熟练|熟悉/,
  },
  {
    id: 'timely',
    label: '公开不及时/更新滞后',
    cues: [/不[^,。;]{0,6}及时|及时性|时效|滞后|迟缓|延迟|拖延|不够及时|更新[^,。;]{0,4}(?:慢|较慢|频率|不够|力度|有待|还需|不)|时间上/],
    unless: /回复|答复|办理期限/,
  },
  {
    id: 'content',
    label: '公开内容不全面/不丰富/不深入',
    cues: [
      /全面性|不[^,。;]{0,2}全面|信息全面|覆盖面|广度|深度|范围[^,。;]{0,6}(?:窄|小|有待|扩大|拓宽|不)|公开[^,。;]{0,2}不(?:够)?到位/,
      /内容[^,。;]{0,8}(?:不全|不够全面|不丰富|不够丰富|单一|较少|偏少|不深|不够深入|有待|需|丰富|充实|完善|深化|全面|到位|规范|狭窄)/,
      /(?:信息|数量|条数|信息量)[^,。;]{0,4}(?:较少|偏少|不够多|不多|过少)/,
      /重点领域|(?:信息|内容)[^,。;]{0,6}(?:多为|主要为|大多为)|以[^,。;]{0,14}(?:信息|动态|新闻|活动)[^,。;]{0,3}为主/,
      /(?:全面|丰富|完善|充实|扩大|拓宽|深化)[^,。;]{0,4}(?:公开)?(?:内容|范围)/,
    ],
    unless: /培训|学习|知识|解读|(?:渠道|途径|载体|形式|手段)[^,。;]{0,4}(?:单一|较少|不够多|窄|丰富)/,
  },
  {
    id: 'normative',
    label: '目录/分类/格式不规范',
    cues: [/格式|分类|目录|索引号|索取号|栏目设置|(?:内容|信息|栏目|类别)[^,。;]{0,8}规范|规范性(?:不|有待)|不规范/],
    unless: /程序|流程|制度|机制/,
  },
  {
    id: 'quality',
    label: '信息质量不高/审核把关不严',
    cues: [/质量|准确|错别字|差错|错误|审核|把关|审查不/],
    unless: /服务质量/,
  },
  {
    id: 'channel',
    label: '公开渠道/形式单一',
    cues: [
      new RegExp(`(?:渠道|途径|载体|形式|手段|方式)[^,。;]{0,6}(?:${LACK}|多样|丰富|新颖|创新)`),
      /(?:丰富|拓宽|拓展|创新|创优|增加)[^,。;]{0,4}(?:公开)?(?:载体|渠道|形式|方式|手段)|新媒体|传统媒体|便民性/,
    ],
    unless: /知识|学习|培训/,
  },
  {
    id: 'platform',
    label: '网站/信息化平台建设滞后',
    cues: [
      new RegExp(`(?:网站|平台|系统|网站群|信息化|功能|数据库|APP|客户端)[^,。;]{0,6}${LACK}`),
      /互联互通|信息孤岛|数据共享|对接|智能|信息化建设|网站建设|平台建设|功能开发|搜索/,
      /(?:尚未|没有|未)[^,。;]{0,4}(?:建立|建成|开通|实现)[^,。;]{0,16}(?:平台|系统|网站|APP)/,
    ],
    unless: /更新|准确/,
  },
  {
    id: 'facility',
    label: '场地/硬件设施不足',
    cues: [/场地|场所|办公用房|用房|面积|硬件|设施|设备|触摸屏|显示屏|查阅点|阅览室|停车/],
  },
  {
    id: 'interpret',
    label: '政策解读不足',
    cues: [/解读|图解|通俗易懂/],
  },
  {
    id: 'interact',
    label: '互动回应/公众参与不足',
    cues: [/互动|回应|留言|关切|公众参与|开放日|征求意见|交流/],
  },
  {
    id: 'publicity',
    label: '宣传推广不足/公众知晓率低',
    cues: [/宣传|知晓|利用率|影响力|传播力|不清楚|不了解|不知道/],
  },
  {
    id: 'subunit',
    label: '下属单位/内设科室/基层薄弱',
    cues: [
      /基层|下属|下级|所属单位|二级单位|直属单位|内设|科室|村居|村\(社区\)|社区|乡镇|镇村|市县|县区|职能部门|各部门|成员单位/,
      /报送[^,。;]{0,4}(?:不|迟|慢)/,
    ],
  },
  {
    id: 'service',
    label: '政务服务/审批改革不到位',
    cues: [/审批|办事(?:程序|流程|环节|时间|成本|效率)|环节多|流程复杂|一窗|一站式|进驻|集中办理|三集中|跑腿|两头跑|便民服务/],
    unless: /平台|系统|网上办事大厅|信息化|数据/,
  },
  {
    id: 'application',
    label: '依申请公开办理不规范',
    cues: [
      /依申请[^,。;]{0,8}(?:不|有待|需|少|欠)|(?:不及时|未及时|超期|逾期)[^,。;]{0,2}(?:回复|答复)|(?:回复|答复)[^,。;]{0,4}(?:不|超期|逾期)/,
    ],
  },
]

// Vague admissions: they count only when the problem names nothing specific.
const GENERIC: Topic[] = [
  {
    id: 'effort',
    label: '工作力度不够(笼统)',
    cues: [/力度|推进[^,。;]{0,4}(?:不|慢)|不平衡|不均衡|有待(?:进一步)?加强|还需加强|仍需加强/],
  },
  {
    id: 'gap',
    label: '与公众需求/上级要求有差距(笼统)',
    cues: [/差距|需求|期望|期待|要求/],
  },
]

const CLAUSE = /[,;:、。!?\n]/

function clauses(s: string): string[] {
  return s.split(CLAUSE).filter(Boolean)
}

function topicsOfClauses(parts: string[], list: Topic[]): Set<TopicId> {
  const found = new Set<TopicId>()
  for (const t of list) {
    for (const c of parts) {
      if (t.unless && t.unless.test(c)) continue
      if (t.cues.some(r => r.test(c))) {
        found.add(t.id)
        break
      }
    }
  }
  return found
}

function countClauses(t: Topic, parts: string[]): number {
  return parts.filter(c => !(t.unless && t.unless.test(c)) && t.cues.some(r => r.test(c))).length
}

/**
 * Topics of one problem, from normalised text. A long problem usually opens with a heading (its
 * title) that names the shortcoming and goes on to explain it; the explanation mentions many
 * things, so when the heading names a topic the rest only adds topics it names at least twice.
 */
export function shortcomingTopics(problem: string, title?: string): TopicId[] {
  const head = title && problem.length > 60 && title.length + 10 < problem.length && problem.includes(title) ? title : null
  let found: Set<TopicId>
  if (head) {
    found = topicsOfClauses(clauses(head), TOPICS)
    const rest = clauses(problem.slice(problem.indexOf(head) + head.length))
    if (!found.size) {
      found = topicsOfClauses(rest, TOPICS)
    } else {
      for (const t of TOPICS) if (!found.has(t.id) && countClauses(t, rest) >= 2) found.add(t.id)
    }
  } else {
    found = topicsOfClauses(clauses(problem), TOPICS)
  }
  if (!found.size) found = topicsOfClauses(clauses(problem), GENERIC)
  return [...found]
}

export const TOPIC_LABELS: Record<TopicId, string> = Object.fromEntries([...TOPICS, ...GENERIC].map(t => [t.id, t.label])) as Record<
  TopicId,
  string
>
