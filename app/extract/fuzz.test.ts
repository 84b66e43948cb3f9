// Fuzz-style robustness: random and truncated inputs never throw, never hang, and every item's
// offsets are valid and verbatim.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { expectWithin } from '../../tests/support/timing'
import { extractReport, extractReportStrict } from './index'
import { prng } from './learn/model'

const corpusDir = path.resolve(__dirname, '../../tests/fixtures/corpus')
const corpus = fs.existsSync(corpusDir)
  ? fs
      .readdirSync(corpusDir)
      .filter(f => f.endsWith('.txt'))
      .map(f => fs.readFileSync(path.join(corpusDir, f), 'utf8'))
  : []

// deterministic PRNG
const rng = prng

const PIECES = [
  '一、',
  '二、',
  '五、存在的主要问题及改进情况',
  '(一)',
  '(二)是',
  ')',
  '三)',
  '一是',
  '二是',
  '1、',
  '2.',
  '(1)',
  '①',
  '②',
  '第一,',
  '首先,',
  '其次,',
  '一方面,',
  '另一方面,',
  '存在问题:',
  '改进措施:',
  '下一步,',
  '我局将',
  '进一步加强',
  '不够及时',
  '有待提高',
  '、',
  ',',
  '。',
  ';',
  ':',
  '\n',
  '\n\n',
  ' ',
  '\u3000',
  '报(bào)告',
  '⼯作',
  '報告',
  '二〇一八年',
  '二O一八年十二月十日',
  '2018-12-13',
  '2019年上半年',
  '6月底前',
  '年底前',
  '分享到',
  '打印本页',
  '《条例》',
  '“',
  '”',
  '(',
  '（',
  '）',
  '\t',
  '\r\n',
  '|',
  '\uFEFF',
  '\u200b',
  '𠀀',
  '😀',
  'abc',
  '123',
  '某某局2018年政府信息公开工作年度报告',
]

function randomText(r: () => number, n: number): string {
  let s = ''
  for (let i = 0; i < n; i++) {
    const x = r()
    if (x < 0.6) s += PIECES[Math.floor(r() * PIECES.length)]
    else if (x < 0.9) s += String.fromCharCode(0x4e00 + Math.floor(r() * 0x5000))
    else s += String.fromCharCode(Math.floor(r() * 0xffff))
  }
  return s
}

function check(text: string) {
  const t0 = performance.now()
  const x = extractReportStrict(text)
  const ms = performance.now() - t0
  for (const it of x.items) {
    expect(it.start).toBeGreaterThanOrEqual(0)
    expect(it.end).toBeLessThanOrEqual(text.length)
    expect(it.start).toBeLessThan(it.end)
    expect(text.slice(it.start, it.end)).toBe(it.text)
    expect(it.kind === 'problem' || it.kind === 'plan').toBe(true)
    for (const a of it.answers) expect(x.items[a]?.kind).toBe('problem')
    if (it.due !== null) expect(it.due).toMatch(/^\d{4}-\d\d-\d\d$/)
  }
  if (x.publishedAt !== null) expect(x.publishedAt).toMatch(/^\d{4}-\d\d-\d\d$/)
  return ms
}

describe('fuzz', () => {
  it('random texts built from report fragments', () => {
    const r = rng(42)
    let worst = 0
    for (let i = 0; i < 400; i++) worst = Math.max(worst, check(randomText(r, 1 + Math.floor(r() * 300))))
    expectWithin(worst, 500)
  })

  it('random slices of the corpus reports (cut mid-item, mid-word, mid-surrogate)', () => {
    const r = rng(7)
    let worst = 0
    for (let i = 0; i < 400 && corpus.length; i++) {
      const t = corpus[Math.floor(r() * corpus.length)]
      const a = Math.floor(r() * t.length)
      const b = a + Math.floor(r() * (t.length - a + 1))
      worst = Math.max(worst, check(t.slice(a, b)))
    }
    expectWithin(worst, 500)
  })

  it('whole corpus reports, truncated at every 97th character', () => {
    let worst = 0
    for (const t of corpus.slice(0, 8)) for (let n = 0; n <= t.length; n += 97) worst = Math.max(worst, check(t.slice(0, n)))
    expectWithin(worst, 500)
  })

  it('degenerate inputs', () => {
    for (const t of [
      '',
      ' ',
      '\n\n\n',
      '。。。。',
      '一、'.repeat(2000),
      '(一)'.repeat(3000),
      '一是'.repeat(3000),
      '、'.repeat(5000),
      'a'.repeat(200000),
      '政'.repeat(200000),
      ('五、存在的主要问题\n' + '一是不够及时;'.repeat(50) + '\n').repeat(40),
    ]) {
      expectWithin(check(t), 3000)
    }
    // not a string at all (a caller bug) still does not throw
    expect(extractReport(undefined as unknown as string).items).toEqual([])
  })

  it('large report stays fast (linear-ish)', () => {
    const big = corpus.join('\n').repeat(20)
    const ms = check(big)
    expectWithin(ms, 5000)
  })
})
