import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { extractReport } from '../extract/index'
import { AGENCY_MATCH_THRESHOLD, matchAgency } from './match'
import {
  agencyLookupKey,
  candidatePattern,
  chooseAgency,
  distinctPair,
  identifyingAgencyName,
  namesAnAgency,
  resolutionLockKey,
} from './resolve'

const A = { id: 'a', names: ['常德市人民政府政务服务中心'] }
const B = { id: 'b', names: ['遂溪县政务服务中心'] }

describe('filing a report under an agency', () => {
  it('a name the agency already has (its own or an alias, in any script) is that agency', () => {
    expect(chooseAgency('常德市人民政府政务服务中心', [B, A])).toMatchObject({ agencyId: 'a', reason: 'exact', score: 1 })
    expect(chooseAgency('常德市人民政府政務服務中心', [B, A])).toMatchObject({ agencyId: 'a', reason: 'exact' })
    expect(chooseAgency('衢州市营商办', [{ id: 'q', names: ['衢州市营商环境建设办公室', '衢州市营商办'] }])).toMatchObject({
      agencyId: 'q',
      reason: 'exact',
    })
  })

  it('a drifted name goes to the best agency at or above the engine threshold', () => {
    const choice = chooseAgency('常德市政务服务中心', [B, A])
    expect(choice).toMatchObject({ agencyId: 'a', reason: 'match', matchedName: '常德市人民政府政务服务中心' })
    expect(choice.score).toBeGreaterThanOrEqual(AGENCY_MATCH_THRESHOLD)
    // scored against every name the agency is known by
    const withAlias = { id: 'a', names: ['常德市人民政府政务服务中心', '常德市政务服务中心'] }
    expect(chooseAgency('常德市政務服務中心www.mirror-spam.cc', [withAlias])).toMatchObject({ agencyId: 'a', score: 1 })
  })

  it('different agencies with similar names are not matched: a new agency is made', () => {
    expect(chooseAgency('常德市武陵区政务服务中心', [A])).toMatchObject({ agencyId: null, reason: 'none' })
    expect(chooseAgency('遂溪县政务服务中心', [A])).toMatchObject({ agencyId: null })
    expect(chooseAgency('常德市卫生健康委员会', [{ id: 'e', names: ['常德市教育局'] }])).toMatchObject({ agencyId: null })
    expect(chooseAgency('常德市政务服务中心', [])).toMatchObject({ agencyId: null, reason: 'none' })
  })

  it('two agencies the administrator split apart that fit the name equally: attached to neither', () => {
    // the engine reads both names as the same body; the administrator said they are two
    const a = { id: 'a', names: ['常德市政务服务中心'] }
    const c = { id: 'c', names: ['常德市人民政府政务服务中心'] }
    const name = '常德市政府政务服务中心 www.mirror.cc'
    // without the decision the first (oldest) agency wins a tie; with it the name is ambiguous
    expect(chooseAgency(name, [a, c])).toMatchObject({ agencyId: 'a', reason: 'match' })
    expect(chooseAgency(name, [a, c], { distinct: [['c', 'a']] })).toMatchObject({ agencyId: null, reason: 'ambiguous' })
    // an exact name is never ambiguous
    expect(chooseAgency('常德市政务服务中心', [a, c], { distinct: [['a', 'c']] })).toMatchObject({ agencyId: 'a', reason: 'exact' })
    // a clear winner stays the winner
    const e = { id: 'e', names: ['常德市行政审批服务局'] }
    expect(chooseAgency('常德市行政审批服务局 www.mirror.cc', [a, e], { distinct: [['a', 'e']] })).toMatchObject({
      agencyId: 'e',
      score: 1,
    })
  })

  it('names that identify no agency are filed under none', () => {
    for (const n of ['我局', '镇政府', '市教育局', '', null]) expect(namesAnAgency(n)).toBe(false)
    expect(chooseAgency('市教育局', [{ id: 'x', names: ['市教育局'] }])).toMatchObject({ agencyId: null })
    expect(identifyingAgencyName({ agency: '我局', title: '舒城县审计局2013年度政府信息公开工作年度报告' })).toBe('舒城县审计局')
    expect(identifyingAgencyName({ agency: '市教育局', title: '常德市教育局2018年政府信息公开工作年度报告' })).toBe('常德市教育局')
    expect(identifyingAgencyName({ agency: '常德市政务服务中心', title: null })).toBe('常德市政务服务中心')
    expect(identifyingAgencyName({ agency: '我局', title: null })).toBeNull()
    expect(identifyingAgencyName({ agency: null, title: '2013年度政府信息公开工作年度报告' })).toBeNull()
  })

  it('candidates are narrowed by the innermost place, else by the organ', () => {
    expect(candidatePattern('常德市人民政府政务服务中心')).toBe('%常德%')
    expect(candidatePattern('广州市从化区机关事务管理局')).toBe('%从化%')
    expect(candidatePattern('上海应物所')).toBe('%上%所%')
  })

  it('distinct pairs are stored smaller id first', () => {
    expect(distinctPair('b', 'a')).toEqual(['a', 'b'])
    expect(distinctPair('a', 'b')).toEqual(['a', 'b'])
  })
})

describe('which new names wait for each other when filed', () => {
  // Names as reports give them: the fixtures' agencies, their drifted forms, and look-alikes of other places.
  const fixtureDirs = ['corpus', '.', 'pairs'].map(d => path.join(__dirname, '../../tests/fixtures', d))
  const fromFixtures = fixtureDirs.flatMap(dir =>
    fs
      .readdirSync(dir)
      .filter(f => f.endsWith('.txt'))
      .map(f => identifyingAgencyName(extractReport(fs.readFileSync(path.join(dir, f), 'utf8'))))
      .filter((n): n is string => !!n),
  )
  const drifted = [
    '常德市人民政府政务服务中心',
    '常德市政务服务中心',
    '常德市武陵区政务服务中心',
    '重慶市政府',
    '重庆市',
    '中国科学院上海应用物理研究所',
    '上海应物所',
    '广州市从化区机关事务管理局',
    '从化区机关事务管理局',
    '广东从化经济开发区管委会',
    '从化经济开发区管理委员会',
    '衢州市营商环境建设办公室',
    '衢州市营商办',
    '沙市区教育局',
    '长沙市教育局',
    '长沙县教育局',
    '津市市财政局',
    '青州市第2水务局',
    '微电子所',
    '遂溪县政务服务中心',
  ]
  const names = [...new Set([...fromFixtures, ...drifted])]

  it('two names that could be one agency have the same key, or one has none (and waits for all)', () => {
    expect(fromFixtures.length).toBeGreaterThan(20)
    let matching = 0
    for (const a of names)
      for (const b of names) {
        if (a === b || !(matchAgency(a, b).match || agencyLookupKey(a) === agencyLookupKey(b))) continue
        matching++
        const [ka, kb] = [resolutionLockKey(a), resolutionLockKey(b)]
        if (ka !== null && kb !== null) expect(ka, `${a} / ${b}`).toBe(kb)
      }
    expect(matching).toBeGreaterThan(10)
  })

  it('names of different places do not wait for each other', () => {
    expect(resolutionLockKey('常德市教育局')).toBe(resolutionLockKey('湖南省常德市卫生健康委员会'))
    expect(resolutionLockKey('常德市教育局')).not.toBe(resolutionLockKey('桃源县教育局'))
    expect(resolutionLockKey('长沙市教育局')).not.toBe(resolutionLockKey('长沙县教育局'))
    expect(resolutionLockKey('上海应物所')).toBeNull()
  })
})
