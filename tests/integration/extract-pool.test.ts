// The worker's extraction threads give what the same functions give inline: decoding and extraction,
// and the follow-up engine's comparison of two reports (which the follow-up step then writes).
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { extractReport } from '../../app/extract/index'
import { followUp } from '../../app/followup/index'
import { runFollowUp } from '../../app/followup/link.server'
import { createUnit } from '../../app/org/org.server'
import { processReport, storeReport } from '../../app/reports/reports.server'
import { createExtractPool, type ExtractPool } from '../../app/reports/extract-pool.server'
import { createTestDb } from '../support/db'

const pair = (name: string) => fs.readFileSync(path.join(__dirname, '../fixtures/pairs', name))

describe('extraction threads', () => {
  let pool: ExtractPool
  beforeAll(() => {
    pool = createExtractPool({ threads: 1 })
  })
  afterAll(() => pool.close())

  it('decode and extract as inline', async () => {
    const bytes = pair('changde_2017.txt')
    const analysis = await pool.analyse({ bytes: new Uint8Array(bytes), filename: 'changde_2017.txt' })
    if ('documentError' in analysis) throw new Error(analysis.documentError)
    expect(analysis.text).toContain('常德')
    expect(analysis.extraction).toEqual(extractReport(analysis.text))
    expect(analysis.extraction.items.length).toBeGreaterThan(3)
    const refused = await pool.analyse({ bytes: new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31]), filename: 'broken.pdf' })
    expect(refused).toEqual({ documentError: expect.stringMatching(/[\u4e00-\u9fff]/) })
  })

  it('compare two reports as inline, and the follow-up step writes the same links and suggestions', async () => {
    const report = (name: string) => {
      const text = pair(name).toString('utf8')
      return { text, extraction: extractReport(text) }
    }
    const earlier = report('changde_2017.txt')
    const later = report('made_changde_2018.txt')
    const inThread = await pool.compare(earlier, later)
    expect(inThread).toEqual(followUp(earlier, later))
    expect(inThread.evidence.length).toBeGreaterThan(0)

    // The same two reports followed up with the engine inline and in the thread, in two databases.
    const linked = async (compare?: ExtractPool['compare']) => {
      const t = await createTestDb('sqlite')
      try {
        const unitId = (await createUnit(t.db, { name: '市政务公开办' })).id
        for (const name of ['changde_2017.txt', 'made_changde_2018.txt']) {
          const { report: r } = await storeReport(t.db, { bytes: pair(name), filename: name, unitId, uploadedBy: null })
          expect(await processReport(t.db, r.id)).toBe('extracted')
          expect(await runFollowUp(t.db, r.id, { compare })).toMatchObject({ done: true })
        }
        const rows = await t.db
          .selectFrom('followup_suggestions')
          .select(['kind', 'passage', 'start_offset', 'score'])
          .orderBy('dedupe_key')
          .execute()
        return {
          links: (await t.db.selectFrom('report_links').select('score').execute()).length,
          rows: rows.map(r => [r.kind, r.passage, r.start_offset, r.score]).sort(),
        }
      } finally {
        await t.cleanup()
      }
    }
    const inline = await linked()
    expect(inline.links).toBe(1)
    expect(inline.rows.length).toBeGreaterThan(0)
    expect(await linked(pool.compare)).toEqual(inline)
  }, 60_000)
})
