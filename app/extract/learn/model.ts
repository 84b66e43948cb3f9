// A small multinomial logistic regression over sparse string features: the learned part of the
// extractor (see candidates.ts for the features, train.ts for how it is trained from the corpus).
// Pure: training is deterministic (seeded order, fixed steps), so the same data gives the same weights.

export const CLASSES = ['none', 'problem', 'plan'] as const
export type ClassName = (typeof CLASSES)[number]

export interface Example {
  features: string[]
  label: number
  /** Weight of the example in the loss (1 by default). */
  weight?: number
}

/** What is stored in weights.json: feature names and one weight per class, rounded. */
export interface SerializedModel {
  version: 1
  classes: readonly string[]
  features: string[]
  /** weights[i * classes + c]: feature i, class c. */
  weights: number[]
  bias: number[]
  meta?: Record<string, unknown>
  /** The boundary model (boundaries.ts): does a new item start at this clause boundary? */
  boundary?: SerializedModel
}

export interface Model {
  index: Map<string, number>
  weights: Float64Array
  bias: Float64Array
  k: number
  /** Classes' names (CLASSES for the item model). */
  classes?: readonly string[]
  /** The boundary model (boundaries.ts), trained with the item model; none: items are not cut. */
  boundary?: Model
}

export interface TrainOptions {
  epochs?: number
  /** AdaGrad step size. */
  rate?: number
  /** L2 penalty per step. */
  l2?: number
  /** Features seen in fewer examples are dropped. */
  minCount?: number
  seed?: number
  /** Class names (default CLASSES); labels index into them. */
  classes?: readonly string[]
}

/** A seeded pseudo-random generator (mulberry32): the same seed, the same sequence. */
export function prng(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function softmax(scores: Float64Array | number[]): number[] {
  let max = -Infinity
  for (const s of scores) if (s > max) max = s
  const ex = Array.from(scores, s => Math.exp(s - max))
  const sum = ex.reduce((a, b) => a + b, 0)
  return ex.map(x => x / sum)
}

export function train(examples: Example[], opts: TrainOptions = {}): Model {
  const { epochs = 20, rate = 0.3, l2 = 1e-5, minCount = 2, seed = 7, classes = CLASSES } = opts
  const k = classes.length
  const counts = new Map<string, number>()
  for (const ex of examples) for (const f of new Set(ex.features)) counts.set(f, (counts.get(f) ?? 0) + 1)
  const names = [...counts]
    .filter(([, n]) => n >= minCount)
    .map(([f]) => f)
    .sort()
  const index = new Map(names.map((f, i) => [f, i]))
  const rows = examples.map(ex => ({
    ids: [...new Set(ex.features.map(f => index.get(f)).filter((i): i is number => i !== undefined))],
    label: ex.label,
    weight: ex.weight ?? 1,
  }))
  const w = new Float64Array(names.length * k)
  const g2 = new Float64Array(names.length * k).fill(1e-8)
  const b = new Float64Array(k)
  const bg2 = new Float64Array(k).fill(1e-8)
  const rnd = prng(seed)
  const order = rows.map((_, i) => i)
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1))
      ;[order[i], order[j]] = [order[j], order[i]]
    }
    for (const r of order) {
      const row = rows[r]
      const scores = new Float64Array(k)
      for (let c = 0; c < k; c++) {
        let s = b[c]
        for (const id of row.ids) s += w[id * k + c]
        scores[c] = s
      }
      const p = softmax(scores)
      for (let c = 0; c < k; c++) {
        const grad = (p[c] - (c === row.label ? 1 : 0)) * row.weight
        bg2[c] += grad * grad
        b[c] -= (rate * grad) / Math.sqrt(bg2[c])
        for (const id of row.ids) {
          const at = id * k + c
          const gr = grad + l2 * w[at]
          g2[at] += gr * gr
          w[at] -= (rate * gr) / Math.sqrt(g2[at])
        }
      }
    }
  }
  return { index, weights: w, bias: b, k, classes }
}

export function predict(model: Model, features: string[]): number[] {
  const scores = Float64Array.from(model.bias)
  const seen = new Set<number>()
  for (const f of features) {
    const id = model.index.get(f)
    if (id === undefined || seen.has(id)) continue
    seen.add(id)
    for (let c = 0; c < model.k; c++) scores[c] += model.weights[id * model.k + c]
  }
  return softmax(scores)
}

const round = (x: number) => Math.round(x * 1e4) / 1e4

/** Weights rounded to 4 decimals; features whose weights all round to 0 are left out. */
export function serialize(model: Model, meta?: Record<string, unknown>): SerializedModel {
  const features: string[] = []
  const weights: number[] = []
  const names = [...model.index.keys()]
  for (const f of names) {
    const id = model.index.get(f)!
    const row = Array.from({ length: model.k }, (_, c) => round(model.weights[id * model.k + c]))
    if (row.every(x => x === 0)) continue
    features.push(f)
    weights.push(...row)
  }
  const out: SerializedModel = {
    version: 1,
    classes: model.classes ?? CLASSES,
    features,
    weights,
    bias: Array.from(model.bias, round),
    meta,
  }
  if (model.boundary) out.boundary = serialize(model.boundary)
  return out
}

export function deserialize(s: SerializedModel): Model {
  const k = s.classes.length
  const m: Model = {
    index: new Map(s.features.map((f, i) => [f, i])),
    weights: Float64Array.from(s.weights),
    bias: Float64Array.from(s.bias),
    k,
    classes: s.classes,
  }
  if (s.boundary) m.boundary = deserialize(s.boundary)
  return m
}
