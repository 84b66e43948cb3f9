// A small learned model that reads which shortcoming topics (topics.ts) a text is about: a problem
// admitting it (信息更新不及时), a plan promising to fix it (及时更新栏目信息) or an account of work done
// on it (全年更新栏目信息560条). One-vs-rest logistic regression over the text's Han characters and
// character bigrams plus the hand-written lexicon's topics as features, trained by deterministic
// gradient descent (same data, same weights, bit for bit). Pure code: data in, data out; the
// trained weights live in topic-model.json (npm run train:followup regenerates them).
import { comparable } from './text'
import { shortcomingTopics, type TopicId } from './topics'

export interface TopicExample {
  /** Raw text (it is normalised here). */
  text: string
  topics: string[]
  /** Where it comes from (a report's file name): for cross-validation by report. */
  group?: string
}

export interface TopicModel {
  version: 1
  topics: string[]
  bias: number[]
  /** feature -> [topic index, weight, topic index, weight, …] (weights rounded, small ones dropped). */
  weights: Record<string, number[]>
}

export interface TrainOptions {
  /** Training passes over the data. */
  epochs?: number
  /** L2 penalty. */
  l2?: number
  /** A feature must occur in this many examples to be kept. */
  minCount?: number
}

const HAN = /[\u4e00-\u9fff\u3400-\u4dbf]/

/** Features of a text: Han characters, Han bigrams, and the lexicon's topics (L:topic), each once. */
export function features(raw: string): string[] {
  return comparableFeatures(comparable(raw))
}

/** features() of text already normalised (comparable(), or normalize().text with its white space). */
export function comparableFeatures(text: string): string[] {
  const t = text.replace(/\s+/g, '')
  const out = new Set<string>()
  for (let i = 0; i < t.length; i++) {
    if (!HAN.test(t[i])) continue
    out.add(t[i])
    if (i + 1 < t.length && HAN.test(t[i + 1])) out.add(t.slice(i, i + 2))
  }
  for (const topic of shortcomingTopics(t)) out.add('L:' + topic)
  return [...out]
}

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))
}

/**
 * Train one-vs-rest logistic regression. Full-batch gradient descent with a fixed step schedule
 * over examples in the order given (sort them first): deterministic.
 */
export function trainTopicModel(examples: TopicExample[], topicIds: readonly string[], opts: TrainOptions = {}): TopicModel {
  const epochs = opts.epochs ?? 300
  const l2 = opts.l2 ?? 0.002
  const minCount = opts.minCount ?? 2
  const feats = examples.map(e => features(e.text))
  const count = new Map<string, number>()
  for (const f of feats) for (const x of f) count.set(x, (count.get(x) ?? 0) + 1)
  const vocab = [...count.keys()].filter(x => count.get(x)! >= minCount || x.startsWith('L:')).sort()
  const index = new Map(vocab.map((x, i) => [x, i]))
  const rows = feats.map(f =>
    Int32Array.from(
      f
        .map(x => index.get(x))
        .filter((i): i is number => i !== undefined)
        .sort((a, b) => a - b),
    ),
  )
  const K = topicIds.length,
    V = vocab.length,
    N = examples.length
  const Y = examples.map(e => topicIds.map(t => (e.topics.includes(t) ? 1 : 0)))
  const W = new Float64Array(V * K)
  const B = new Float64Array(K)
  // bias starts at the log-odds of each topic
  for (let k = 0; k < K; k++) {
    const pos = Y.reduce((s, y) => s + y[k], 0)
    B[k] = Math.log((pos + 0.5) / (N - pos + 0.5))
  }
  // Adagrad-scaled full-batch steps: each feature's rate adapts to how often it is seen
  const GW = new Float64Array(V * K),
    GB = new Float64Array(K)
  const HW = new Float64Array(V * K).fill(1e-8),
    HB = new Float64Array(K).fill(1e-8)
  const rate = 0.5
  for (let epoch = 0; epoch < epochs; epoch++) {
    GW.fill(0)
    GB.fill(0)
    for (let n = 0; n < N; n++) {
      const r = rows[n]
      for (let k = 0; k < K; k++) {
        let z = B[k]
        for (let j = 0; j < r.length; j++) z += W[r[j] * K + k]
        const g = (sigmoid(z) - Y[n][k]) / N
        GB[k] += g
        for (let j = 0; j < r.length; j++) GW[r[j] * K + k] += g
      }
    }
    for (let i = 0; i < V * K; i++) {
      const g = GW[i] + l2 * W[i]
      HW[i] += g * g
      W[i] -= (rate * g) / Math.sqrt(HW[i])
    }
    for (let k = 0; k < K; k++) {
      HB[k] += GB[k] * GB[k]
      B[k] -= (rate * GB[k]) / Math.sqrt(HB[k])
    }
  }
  const weights: Record<string, number[]> = {}
  for (let v = 0; v < V; v++) {
    const list: number[] = []
    for (let k = 0; k < K; k++) {
      const w = round(W[v * K + k])
      if (Math.abs(w) >= 0.01) list.push(k, w)
    }
    if (list.length) weights[vocab[v]] = list
  }
  return { version: 1, topics: [...topicIds], bias: Array.from(B, round), weights }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000
}

/** Probability of each topic for a text. */
export function topicProbabilities(model: TopicModel, text: string): Map<string, number> {
  return probabilitiesOf(model, features(text))
}

export function probabilitiesOf(model: TopicModel, feats: string[]): Map<string, number> {
  const z = model.bias.slice()
  for (const f of feats) {
    const w = model.weights[f]
    if (!w) continue
    for (let i = 0; i < w.length; i += 2) z[w[i]] += w[i + 1]
  }
  return new Map(model.topics.map((t, k) => [t, sigmoid(z[k])]))
}

/**
 * The topics a text is about: every topic at least `threshold` likely, else the likeliest one
 * when it is at least `floor` likely.
 */
export function predictTopics(model: TopicModel, text: string, threshold = 0.5, floor = 0.25): TopicId[] {
  return topicsFrom(topicProbabilities(model, text), threshold, floor)
}

export function topicsFrom(p: Map<string, number>, threshold = 0.5, floor = 0.25): TopicId[] {
  const out: TopicId[] = []
  let best: string | null = null,
    bp = floor
  for (const [t, x] of p) {
    if (x >= threshold) out.push(t as TopicId)
    if (x >= bp) ((best = t), (bp = x))
  }
  if (!out.length && best) out.push(best as TopicId)
  return out
}
