// The learned step: a model that learns, training reproducible from the corpus (the shipped weights
// are exactly what `npm run train:extract` makes), labels as the scorer matches, and a confidence
// that means something on reports the model never saw.
import fs from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadCorpus, type CorpusReport } from '../../cli/corpus'
import { extractReportStrict } from '../index'
import { decide, THRESHOLDS } from './decode'
import { CLASSES, deserialize, predict, serialize, train } from './model'
import { scoreKind } from './score'
import { labelOf, trainOn, TRAIN_OPTIONS } from './train'

describe('decide', () => {
  const cand = (rule: 'problem' | 'plan' | null) => ({ s: 0, e: 5, rule, rawIndex: rule ? 0 : -1, line: 0, features: [] })
  it("keeps the rules' kind unless the model is sure of the other, and adds an uncovered sentence only when sure", () => {
    // [none, problem, plan]
    expect(decide([cand('plan')], [[0.45, 0.32, 0.23]]).map(d => [d.kind, d.confidence])).toEqual([['plan', 0.23]])
    expect(decide([cand('plan')], [[0.1, 0.8, 0.1]]).map(d => d.kind)).toEqual(['problem'])
    expect(decide([cand(null)], [[0.2, 0.1, 0.7]])).toEqual([])
    expect(decide([cand(null)], [[0.02, 0.03, 0.95]]).map(d => [d.kind, d.rawIndex])).toEqual([['plan', -1]])
    expect(THRESHOLDS.relabel).toBeGreaterThan(1 / 3) // below a third "sure" means nothing
  })
})

describe('model', () => {
  it('learns a separable toy problem and round-trips through serialisation', () => {
    const ex = [
      ...Array.from({ length: 20 }, (_, i) => ({ features: ['bias', 'w:不足', `n${i % 3}`], label: 1 })),
      ...Array.from({ length: 20 }, (_, i) => ({ features: ['bias', 'w:将', `n${i % 3}`], label: 2 })),
      ...Array.from({ length: 20 }, (_, i) => ({ features: ['bias', 'w:点击', `n${i % 3}`], label: 0 })),
    ]
    const m = train(ex, { epochs: 10 })
    const argmax = (p: number[]) => p.indexOf(Math.max(...p))
    expect(argmax(predict(m, ['bias', 'w:不足']))).toBe(CLASSES.indexOf('problem'))
    expect(argmax(predict(m, ['bias', 'w:将']))).toBe(CLASSES.indexOf('plan'))
    expect(argmax(predict(m, ['bias', 'w:点击']))).toBe(CLASSES.indexOf('none'))
    const back = deserialize(serialize(m))
    const p = predict(back, ['bias', 'w:将', 'unknown'])
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6)
    expect(argmax(p)).toBe(CLASSES.indexOf('plan'))
  })
})

describe('labels', () => {
  const gold = { problems: [{ key: '公开内容不够全面', text: '公开内容不够全面,更新不及时。' }], plans: [{ key: '加强培训', text: '加强培训,提高业务水平。' }] }
  it('a candidate naming a gold item (its key) or inside one takes its kind; anything else is none', () => {
    expect(CLASSES[labelOf('一是公开内容不够全面,更新不及时。', gold)]).toBe('problem')
    expect(CLASSES[labelOf('更新不及时。', gold)]).toBe('problem')
    expect(CLASSES[labelOf('(一)加强 培训,提高业务水平。', gold)]).toBe('plan')
    expect(CLASSES[labelOf('2019年共主动公开信息120条。', gold)]).toBe('none')
  })
})

describe('on the corpus', () => {
  let corpus: CorpusReport[]
  beforeAll(async () => {
    corpus = await loadCorpus()
  })

  it('the shipped weights are exactly what training on tests/fixtures makes', () => {
    const shipped = fs.readFileSync(path.join(__dirname, 'weights.json'), 'utf8')
    const again = JSON.stringify(serialize(trainOn(corpus), { reports: corpus.length, options: TRAIN_OPTIONS })) + '\n'
    expect(again === shipped).toBe(true)
  })

  it('on reports it did not see, confident items are right more often than doubtful ones', () => {
    const model = trainOn(corpus.filter((_, i) => i % 2 === 0))
    const tally = { high: { n: 0, ok: 0 }, low: { n: 0, ok: 0 } }
    for (const r of corpus.filter((_, i) => i % 2 === 1)) {
      const x = extractReportStrict(r.text, { model })
      for (const kind of ['problem', 'plan'] as const) {
        const items = x.items.filter(i => i.kind === kind)
        const { ok } = scoreKind(kind === 'problem' ? r.problems : r.plans, items.map(i => i.text))
        items.forEach((it, j) => {
          const band = it.confidence! >= 0.9 ? tally.high : tally.low
          band.n++
          if (ok[j]) band.ok++
        })
      }
    }
    expect(tally.low.n).toBeGreaterThan(3)
    // (2026-12-07: 141 of 141 confident items right, 17 of 19 doubtful ones)
    expect(tally.high.ok / tally.high.n).toBeGreaterThan(tally.low.ok / tally.low.n)
    expect(tally.high.ok / tally.high.n).toBeGreaterThan(0.95)
  })

  it('every item carries a confidence in 0–1; without a model there is none', () => {
    const r = corpus[0]
    const x = extractReportStrict(r.text)
    expect(x.items.length).toBeGreaterThan(0)
    for (const it of x.items) expect(it.confidence).toBeGreaterThanOrEqual(0), expect(it.confidence).toBeLessThanOrEqual(1)
    expect(extractReportStrict(r.text, { model: null }).items.every(it => it.confidence === null)).toBe(true)
  })
})
