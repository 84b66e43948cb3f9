// The topic model: trained reproducibly from the fixtures, sensible on reports it was not trained
// on, and what lets evidence and recurrence see the same shortcoming in other words.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { readLabelledCorpus } from '../cli/followup-corpus'
import { findEvidence } from './evidence'
import { predictTopics, trainTopicModel } from './model'
import { findRecurring } from './recurrence'
import { topicExamples, topicIds } from './training'

const corpus = readLabelledCorpus()
const ids = topicIds(corpus)

describe('topic model', () => {
  it('training is reproducible: the shipped weights are what the fixtures give, every time', () => {
    const a = trainTopicModel(topicExamples(corpus), ids)
    const b = trainTopicModel(topicExamples(corpus), ids)
    expect(JSON.stringify(a)).toBe(JSON.stringify(b))
    const shipped = fs.readFileSync(path.resolve(__dirname, 'topic-model.json'), 'utf8')
    expect(JSON.stringify(a) + '\n').toBe(shipped)
  }, 60_000)

  it('reads the topics of reports it was not trained on', () => {
    // hold out a fifth of the reports (by name), train on the rest
    const held = (f: string) => f.charCodeAt(f.length - 1) % 5 === 0
    const model = trainTopicModel(
      topicExamples(corpus, f => !held(f)),
      ids,
    )
    const test = topicExamples(corpus, held)
    expect(test.length).toBeGreaterThan(50)
    let right = 0
    for (const e of test) if (predictTopics(model, e.text, 0.5, 0.1).some(t => e.topics.includes(t))) right++
    expect(right / test.length).toBeGreaterThan(0.65)
  }, 60_000)

  it.each([
    ['加强业务培训,提高工作人员业务能力', 'skill'],
    ['组织开展政务公开业务培训2次,参训60人次', 'skill'],
    ['信息更新不及时', 'timely'],
    ['及时更新栏目信息,全年更新560条', 'timely'],
    ['开通政务微信公众号,拓宽公开渠道', 'channel'],
  ])('%s → %s', (text, topic) => {
    const model = JSON.parse(fs.readFileSync(path.resolve(__dirname, 'topic-model.json'), 'utf8'))
    expect(predictTopics(model, text, 0.5, 0.1)).toContain(topic)
  })
})

describe('the same shortcoming in other words', () => {
  it('finds the deed that answers a plan without its wording', () => {
    const later = '2020年,我局主要做了以下工作。组织开展政务公开业务培训2次,参训人员累计60人次。全年及时更新栏目信息320条。'
    const r = findEvidence([{ text: '加强学习培训,提升工作人员的业务水平。' }, { text: '确保信息公开及时。' }], later)
    expect(r.evidence.map(e => e.passage)).toEqual([expect.stringContaining('培训2次'), expect.stringContaining('更新栏目信息320条')])
    expect(r.evidence[0].basis).toBe('topic')
  })

  it('a problem recurs in other words, and not with another shortcoming', () => {
    const r = findRecurring([{ text: '工作人员对条例学习掌握不够' }, { text: '政务微博更新不及时' }], [{ text: '干部业务素质有待提高' }])
    expect(r.map(x => x.earlier)).toEqual(['工作人员对条例学习掌握不够'])
    expect(r[0].topics).toContain('skill')
  })
})
