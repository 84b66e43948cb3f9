// The agency search of the review page: the registry's agencies by name or alias (a traditional
// spelling finds the simplified one), and picking one files the report under that agency; a new
// name still goes through the alias learning.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { newId, nowIso } from '../../db/ids'
import { agencyLookupKey } from '../../app/agencies/resolve'
import { suggestAgencies } from '../../app/agencies/suggest.server'
import { correctReportMetadata } from '../../app/reports/review.server'
import { createTestDb, engines, type TestDb } from '../support/db'
import { makeOrg, makeTasks, type Org } from '../support/workday'

describe.each(engines)('agency search on the review page, %s', engine => {
  let t: TestDb
  let org: Org
  let approval: string
  beforeEach(async () => {
    t = await createTestDb(engine)
    org = await makeOrg(t.db)
    const agency = async (name: string) => {
      const id = newId()
      await t.db
        .insertInto('agencies')
        .values({ id, name, normalized_name: agencyLookupKey(name), unit_id: null, created_at: nowIso() })
        .execute()
      return id
    }
    approval = await agency('常德市行政审批服务局')
    await agency('常德市教育局')
    await agency('岳阳市教育局')
    await t.db
      .insertInto('agency_aliases')
      .values({
        id: newId(),
        agency_id: approval,
        alias: '常德市政务服务中心',
        normalized_alias: agencyLookupKey('常德市政务服务中心'),
        source: 'admin',
        created_at: nowIso(),
      })
      .execute()
  })
  afterEach(() => t.cleanup())

  it('finds agencies by part of the name or an alias, best first; nothing for an empty query', async () => {
    expect((await suggestAgencies(t.db, '常德市')).map(h => h.name)).toEqual(['常德市教育局', '常德市行政审批服务局'])
    expect(await suggestAgencies(t.db, '政务服务中心')).toEqual([
      { id: approval, name: '常德市行政审批服务局', alias: '常德市政务服务中心' },
    ])
    expect((await suggestAgencies(t.db, '教育局')).map(h => h.name).sort()).toEqual(['岳阳市教育局', '常德市教育局'])
    // a traditional spelling is normalised like the stored keys
    expect((await suggestAgencies(t.db, '行政審批')).map(h => h.name)).toEqual(['常德市行政审批服务局'])
    expect(await suggestAgencies(t.db, '  ')).toEqual([])
    expect(await suggestAgencies(t.db, '%')).toEqual([])
  })

  it('picking a suggested name (or its alias) files the report under that agency', async () => {
    const { reportId } = await makeTasks(t.db, org.sup, org.dept.id, 1, { status: 'extracted' })
    await correctReportMetadata(t.db, org.sup, reportId, { agencyName: '常德市政务服务中心', year: 2023 })
    expect(
      await t.db.selectFrom('reports').select(['agency_id', 'agency_name', 'year']).where('id', '=', reportId).executeTakeFirstOrThrow(),
    ).toEqual({ agency_id: approval, agency_name: '常德市政务服务中心', year: 2023 })
    const [hit] = await suggestAgencies(t.db, '行政审批')
    await correctReportMetadata(t.db, org.sup, reportId, { agencyName: hit.name, year: 2023 })
    expect((await t.db.selectFrom('reports').select('agency_id').where('id', '=', reportId).executeTakeFirstOrThrow()).agency_id).toBe(
      approval,
    )
  })
})
