// The follow-up engine on the year pairs in tests/fixtures/pairs (real pairs copied from the corpus
// and made ones, named made_*), against their gold (pairs.json), and the CLI's output shape.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { decodeDocument } from '../documents/decode'
import { extractReport } from '../extract/index'
import { followUp, type ReportForFollowUp } from './index'
import { comparable } from './text'

const dir = path.resolve(__dirname, '../../tests/fixtures/pairs')
interface GoldPair {
  earlier: string
  later: string
  sameAgency: boolean
  followedUp?: Array<{ plan: string; evidence: string }>
  notFollowedUp?: string[]
  recurring?: Array<[string, string]>
  notRecurring?: Array<[string, string]>
}
const pairs: GoldPair[] = JSON.parse(fs.readFileSync(path.join(dir, 'pairs.json'), 'utf8'))
const flat = (s: string) => s.normalize('NFKC').replace(/\s+/g, '')
// gold keys are simplified; passages keep the report's own script
const simplified = (s: string) => comparable(s)

async function load(file: string): Promise<ReportForFollowUp> {
  const bytes = new Uint8Array(fs.readFileSync(path.join(dir, file)))
  const { text } = await decodeDocument({ bytes, filename: file })
  return { text, extraction: extractReport(text) }
}

describe('follow-up on the fixture pairs', () => {
  for (const p of pairs) {
    it(`${p.earlier} → ${p.later}`, async () => {
      const later = await load(p.later)
      const r = followUp(await load(p.earlier), later)
      expect(r.sameAgency.match).toBe(p.sameAgency)
      for (const e of r.evidence) expect(later.text.slice(e.start, e.end)).toBe(e.passage)
      for (const f of p.followedUp ?? []) {
        const e = r.evidence.find(x => flat(x.plan).includes(flat(f.plan)))
        expect(e, f.plan).toBeDefined()
        expect(simplified(e!.passage)).toContain(simplified(f.evidence))
      }
      for (const k of p.notFollowedUp ?? []) {
        expect(r.evidence.some(x => flat(x.plan).includes(flat(k))), k).toBe(false)
        expect(r.notMentioned.some(x => flat(x).includes(flat(k))), k).toBe(true)
      }
      const has = ([a, b]: [string, string]) => r.recurring.some(x => simplified(x.earlier).includes(simplified(a)) && simplified(x.later).includes(simplified(b)))
      for (const g of p.recurring ?? []) expect(has(g), g.join(' ~ ')).toBe(true)
      for (const g of p.notRecurring ?? []) expect(has(g), g.join(' ~ ')).toBe(false)
    })
  }
})

describe('npm run followup -- --json', () => {
  it('prints one JSON object of the agreed shape, offsets into the decoded later text', async () => {
    const root = path.resolve(__dirname, '../..')
    const out = execFileSync(
      path.join(root, 'node_modules/.bin/tsx'),
      ['app/cli/followup.ts', '--json', path.join(dir, 'c01_2012.txt'), path.join(dir, 'c01_2013.txt')],
      { cwd: root, encoding: 'utf8' },
    )
    const lines = out.trim().split('\n')
    expect(lines).toHaveLength(1)
    const o = JSON.parse(lines[0])
    expect(Object.keys(o)).toEqual(['earlier', 'later', 'sameAgency', 'recurring', 'evidence', 'notMentioned'])
    expect(o.earlier).toEqual({ agency: '重庆市政府', year: 2012 })
    expect(o.later).toEqual({ agency: '重庆市', year: 2013 })
    expect(o.sameAgency).toEqual({ match: true, score: expect.any(Number) })
    expect(Array.isArray(o.recurring)).toBe(true)
    // (the generic 下一步… sentence is a plan too, and may find a weak match of its own)
    const e = o.evidence.find((x: { plan: string }) => x.plan.includes('重点公开“三公”经费'))
    expect(Object.keys(e)).toEqual(['plan', 'passage', 'start', 'end', 'score'])
    const { text } = await decodeDocument({ bytes: new Uint8Array(fs.readFileSync(path.join(dir, 'c01_2013.txt'))), filename: 'c01_2013.txt' })
    expect(text.slice(e.start, e.end)).toBe(e.passage)
    expect(e.passage).toContain('首次對52個市本級預算單位的“三公”經費預算進行主動公開')
    expect(o.notMentioned).toHaveLength(2)
  })
})
