import { describe, expect, it } from 'vitest'
import {
  classifyEntryName,
  displayWidth,
  importProgress,
  ImportRefused,
  padColumns,
  planImport,
  progressLine,
  type ImportLimits,
} from './import'

const limits: ImportLimits = { maxFiles: 3, maxTotalBytes: 1000, maxFileBytes: 400, maxDepth: 2 }
const e = (name: string, size = 10) => ({ name, size, source: name })

describe('classifyEntryName', () => {
  it('keeps files with their folders, skips directories and OS junk', () => {
    expect(classifyEntryName('2023/市教育局.txt')).toEqual({ kind: 'file', path: '2023/市教育局.txt' })
    expect(classifyEntryName('a\\b.pdf')).toEqual({ kind: 'file', path: 'a/b.pdf' })
    expect(classifyEntryName('./a.txt')).toEqual({ kind: 'file', path: 'a.txt' })
    for (const junk of ['2023/', '__MACOSX/2023/._a.txt', '2023/.DS_Store', 'Thumbs.db', '~$报告.docx', '.hidden'])
      expect(classifyEntryName(junk), junk).toEqual({ kind: 'skip' })
  })
  it('refuses names that climb out, absolute paths and control characters, in Chinese', () => {
    for (const bad of ['../etc/passwd', 'a/../../b.txt', '/etc/passwd', 'C:\\x.txt', 'a\u0000.txt']) {
      expect(() => classifyEntryName(bad), bad).toThrow(ImportRefused)
      expect(() => classifyEntryName(bad)).toThrow(/[\u4e00-\u9fff]/)
    }
  })
})

describe('planImport', () => {
  it('sorts files by path, skips junk, marks empty and too large files as failed', () => {
    const plan = planImport([e('b.txt'), e('__MACOSX/._b.txt'), e('a/x.txt', 500), e('a/'), e('empty.txt', 0)], limits)
    expect(plan.skipped).toBe(2)
    expect(plan.files.map(f => [f.path, f.error === null])).toEqual([
      ['a/x.txt', false],
      ['b.txt', true],
      ['empty.txt', false],
    ])
    expect(plan.files[0].error).toMatch(/文件过大/)
  })
  it('refuses too many files, too much in total, deep folders, duplicate names, nothing to import', () => {
    expect(() => planImport([e('1'), e('2'), e('3'), e('4')], limits)).toThrow(/文件过多（4 个），一次最多导入 3 个/)
    expect(() => planImport([e('1', 390), e('2', 390), e('3', 390)], limits)).toThrow(/总大小/)
    expect(() => planImport([e('a/b/c/d.txt')], limits)).toThrow(/层级过深/)
    expect(() => planImport([e('a.txt'), e('./a.txt')], limits)).toThrow(/重名/)
    expect(() => planImport([e('a/'), e('.DS_Store')], limits)).toThrow(/没有找到可导入的文件/)
  })
})

describe('importProgress', () => {
  const startedAt = '2026-01-01T00:00:00.000Z'
  it('estimates the time left from the rate so far', () => {
    const p = importProgress(
      { total: 100, done: 20, failed: 3, duplicate: 2, queued: 75 },
      { startedAt, now: new Date('2026-01-01T00:00:10.000Z'), stored: true },
    )
    expect(p.finished).toBe(false)
    expect(p.percent).toBe(25)
    expect(p.secondsLeft).toBe(30) // 25 files in 10 s, 75 left
    expect(progressLine(p)).toContain('25/100')
    expect(progressLine(p)).toContain('剩余 约 30 秒')
  })
  it('no estimate before anything settled; files not yet stored are still waiting', () => {
    const p = importProgress(
      { total: 10, done: 0, failed: 0, duplicate: 0, queued: 4 },
      { startedAt, now: new Date('2026-01-01T00:00:01.000Z'), stored: false },
    )
    expect(p.secondsLeft).toBeNull()
    expect(p.unstored).toBe(6)
    expect(p.finished).toBe(false)
  })
  it('is finished when stored and nothing is queued', () => {
    const p = importProgress({ total: 3, done: 1, failed: 1, duplicate: 1, queued: 0 }, { startedAt, now: new Date(), stored: true })
    expect(p).toMatchObject({ finished: true, percent: 100, secondsLeft: 0 })
    expect(progressLine(p)).toContain('已完成')
    expect(
      importProgress({ total: 3, done: 1, failed: 1, duplicate: 1, queued: 0 }, { startedAt, now: new Date(), stored: false }).finished,
    ).toBe(false)
  })
})

describe('who may import', () => {
  it('supervisors, oversight bodies and admins; not staff', async () => {
    const { can } = await import('../auth/permissions')
    expect(['admin', 'supervisor', 'oversight', 'staff'].map(r => can(r as 'staff', 'report:import'))).toEqual([true, true, false, false])
  })
})

describe('padColumns', () => {
  it('counts Chinese characters as two terminal columns', () => {
    expect(displayWidth('坏文件.pdf')).toBe(10)
    expect(padColumns('文件', 10)).toBe('文件      ')
    expect(padColumns('a.txt', 3)).toBe('a.txt')
  })
})
