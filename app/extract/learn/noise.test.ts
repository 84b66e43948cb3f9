import { describe, expect, it } from 'vitest'
import { extractReportStrict } from '../index'
import { NOISES, noiseOf } from './noise'

const TEXT =
  '一、存在的主要问题\n政府信息公开工作人员业务水平有待提高，主动公开的内容还不够全面。\n二、改进措施\n下一步，我局将加强业务培训，及时更新公开内容。'

describe('noise for the robustness figure', () => {
  it('is deterministic for one seed', () => {
    for (const n of Object.values(NOISES)) expect(n.apply(TEXT, 'r1')).toBe(n.apply(TEXT, 'r1'))
  })
  it('injected pinyin is read away again', () => {
    const p = noiseOf('pinyin')
    const noisy = p.apply(TEXT.repeat(5), 'seed')
    expect(noisy).toMatch(/[\u4e00-\u9fff]\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]+\)/)
    expect(p.read(noisy)).toBe(TEXT.repeat(5))
  })
  it('hard wraps keep one width per report and lose no character', () => {
    const noisy = noiseOf('hardwrap').apply(TEXT, 'x')
    const widths = noisy.split('\n').map(l => l.length)
    const w = Math.max(...widths)
    expect(w).toBeGreaterThanOrEqual(28)
    expect(w).toBeLessThanOrEqual(45)
    expect(noisy.replace(/\n/g, '')).toBe(TEXT.replace(/\n/g, ''))
  })
  it('traditional script is compared in simplified form', () => {
    const t = noiseOf('traditional')
    expect(t.apply('政府信息公开', 's')).toBe('政府信息公開')
    expect(t.read('政府信息公开')).toBe('政府信息公开')
  })
  it('an unknown kind is refused', () => {
    expect(() => noiseOf('smudge')).toThrow(/unknown noise/)
  })
  it('the extractor reads the noisy forms of a plain report to the same items', () => {
    const plain = extractReportStrict(TEXT).items.map(i => i.text.replace(/\s/g, ''))
    expect(plain.length).toBeGreaterThan(0)
    for (const kind of ['traditional', 'pinyin', 'oneline']) {
      const n = noiseOf(kind)
      const got = extractReportStrict(n.apply(TEXT, 'k')).items.map(i => n.read(i.text).replace(/\s/g, ''))
      expect(got.map(n.read), kind).toEqual(plain.map(n.read))
    }
  })
})
