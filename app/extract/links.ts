// Which problem(s) each plan answers: parallel lists (plan n answers problem n) or shared terms.

export interface LinkItem {
  kind: 'problem' | 'plan'
  /** normalised text */
  norm: string
  group: number
  idx: number
}

const STOP = new Set([
  '信息',
  '公开',
  '政府',
  '政务',
  '工作',
  '进一',
  '一步',
  '加强',
  '提高',
  '不够',
  '有待',
  '存在',
  '问题',
  '继续',
  '不断',
  '完善',
  '及时',
  '方面',
  '进行',
  '我局',
  '部门',
  '相关',
  '提升',
  '强化',
  '推进',
  '做好',
  '服务',
])

const key = (a: number, b: number) => (a - 0x4e00) * 0x5200 + (b - 0x4e00) // small integers (fast Set keys)
const STOP_CODES = new Set([...STOP].map(b => key(b.charCodeAt(0), b.charCodeAt(1))))

function bigrams(s: string): Set<number> {
  const out = new Set<number>()
  let prev = 0
  const n = Math.min(s.length, 80)
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x4e00 || c > 0x9fff) continue
    if (prev) {
      const b = key(prev, c)
      if (!STOP_CODES.has(b)) out.add(b)
    }
    prev = c
  }
  return out
}

export function linkAnswers(items: LinkItem[]): number[][] {
  const answers: number[][] = items.map(() => [])
  const problems = items.map((it, i) => [it, i] as const).filter(([it]) => it.kind === 'problem')
  const plans = items.map((it, i) => [it, i] as const).filter(([it]) => it.kind === 'plan')
  if (!problems.length || !plans.length) return answers
  // parallel lists: one enumeration of problems and one of plans of the same length
  const pg = new Set(problems.map(([it]) => it.group))
  const lg = new Set(plans.map(([it]) => it.group))
  if (pg.size === 1 && lg.size === 1 && problems.length === plans.length && problems.length >= 2) {
    plans.forEach(([, i], k) => answers[i].push(problems[k][1]))
    return answers
  }
  // alternating problem, plan, problem, plan… (one measure under each problem)
  let alternating = items.length >= 2 && items[0].kind === 'problem'
  for (let i = 0; i < items.length && alternating; i++) if (items[i].kind !== (i % 2 === 0 ? 'problem' : 'plan')) alternating = false
  if (alternating) {
    for (let i = 1; i < items.length; i += 2) answers[i].push(i - 1)
    return answers
  }
  const pb = problems.map(([it]) => bigrams(it.norm))
  // a plan answers one of the problems admitted shortly before it (bounded, so huge inputs stay linear)
  const WINDOW = 40
  let firstAfter = 0
  for (const [it, i] of plans) {
    while (firstAfter < problems.length && problems[firstAfter][1] < i) firstAfter++
    const lo = Math.max(0, firstAfter - WINDOW)
    const hi = firstAfter > 0 ? firstAfter : Math.min(problems.length, WINDOW)
    const b = bigrams(it.norm)
    let best = -1
    let bestScore = 0
    for (let k = lo; k < hi; k++) {
      const set = pb[k]
      let shared = 0
      for (const x of set) if (b.has(x)) shared++
      const score = shared / Math.max(4, Math.min(set.size, b.size))
      if (shared >= 2 && score > bestScore) {
        bestScore = score
        best = k
      }
    }
    if (best >= 0 && bestScore >= 0.15) answers[i].push(problems[best][1])
  }
  return answers
}
