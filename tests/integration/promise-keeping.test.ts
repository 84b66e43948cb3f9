// Promise-keeping figures against real databases: of the 2023 report's commitments, those the 2024
// report was confirmed to show done; of its problems, those confirmed to recur. Pending or rejected
// findings do not count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newId, nowIso } from '../../db/ids'
import { promiseFigures } from '../../app/oversight/promises.server'
import { exportOversightTable } from '../../app/oversight/export.server'
import { readOversightQuery } from '../../app/oversight/filters'
import { createTestDb, engines, type TestDb } from '../support/db'
import { buildPaperworkWorld, type PaperworkWorld } from '../support/paperwork'
import { useFreshAppDatabase } from '../support/app'

useFreshAppDatabase()

describe.each(engines)('promise-keeping on %s', engine => {
  let t: TestDb
  let w: PaperworkWorld
  beforeAll(async () => {
    t = await createTestDb(engine)
    w = await buildPaperworkWorld(t.db)
  })
  afterAll(() => t.cleanup())

  it('counts confirmed evidence for last year’s commitments and confirmed recurrences of its problems', async () => {
    const items = await t.db
      .selectFrom('report_items')
      .select(['id', 'seq', 'report_id'])
      .where('report_id', 'in', [w.earlierReportId, w.laterReportId])
      .orderBy('seq')
      .execute()
    const earlier = items.filter(i => i.report_id === w.earlierReportId)
    const later = items.filter(i => i.report_id === w.laterReportId)
    const finding = (
      kind: 'evidence' | 'recurring',
      earlierItem: string,
      status: 'confirmed' | 'pending' | 'rejected',
      laterItem: string | null = null,
    ) =>
      t.db
        .insertInto('followup_suggestions')
        .values({
          id: newId(),
          dedupe_key: `pk-${newId()}`,
          kind,
          earlier_report_id: w.earlierReportId,
          later_report_id: w.laterReportId,
          earlier_item_id: earlierItem,
          later_item_id: laterItem,
          passage: 'x',
          start_offset: 0,
          end_offset: 1,
          score: 0.8,
          status,
          decided_by: null,
          decided_at: null,
          created_at: nowIso(),
        })
        .execute()
    await finding('recurring', earlier[0].id, 'confirmed', later[0].id)
    await finding('recurring', earlier[1].id, 'rejected', later[0].id)
    await finding('evidence', earlier[3].id, 'pending')
    const figures = await promiseFigures(t.db, [
      { id: w.earlierReportId, year: 2023 },
      { id: w.laterReportId, year: 2024 },
    ])
    expect(figures).toEqual([
      { year: 2024, priorYear: 2023, commitments: 3, kept: 1, keptRate: 1 / 3, problems: 2, recurred: 1, recurredRate: 0.5 },
    ])
    // the same figures in the agency page's export; another tree's supervisor cannot have them
    const query = readOversightQuery(new URLSearchParams())
    const file = await exportOversightTable(t.db, w.sup, { table: 'agency-promises', format: 'csv', query, agencyId: w.agencyId })
    const csv = new TextDecoder().decode(file.body).replace(/^\uFEFF/, '')
    expect(csv.trim().split(/\r?\n/)).toEqual([
      '年度,对照年度,上年承诺,已证实落实,落实率,上年问题,本年复现,复现率',
      '2024,2023,3,1,33.3%,2,1,50%',
    ])
    await expect(
      exportOversightTable(t.db, w.otherSup, { table: 'agency-promises', format: 'csv', query, agencyId: w.agencyId }),
    ).rejects.toMatchObject({ status: 404 })
  })
})
