// The report list: 20 a page, filters (status, year, agency) and search (title, agency), within the
// user's scope; a failed upload deleted with its stored file by its uploader or a supervisor of its
// unit, and by nobody else; an extracted report is never deleted.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { newId, nowIso } from '../../db/ids'
import type { ReportStatus } from '../../db/schema'
import { deleteFailedReport } from '../../app/reports/delete.server'
import { parseReportFilters } from '../../app/reports/list'
import { markFailed, storeReport } from '../../app/reports/reports.server'
import { pageReportsForUser } from '../../app/reports/queries.server'
import { createTestDb, engines, type TestDb } from '../support/db'
import { makeOrg, type Org } from '../support/workday'

describe.each(engines)('report list on %s', engine => {
  let t: TestDb
  let org: Org
  beforeEach(async () => {
    t = await createTestDb(engine)
    org = await makeOrg(t.db)
  })
  afterEach(() => t.cleanup())

  let n = 0
  async function report(
    unitId: string,
    fields: {
      status?: ReportStatus
      year?: number
      agency?: string
      title?: string | null
      agencyId?: string | null
      uploadedBy?: string | null
    },
  ) {
    const id = newId()
    const at = new Date(Date.UTC(2026, 0, 1, 0, 0, ++n)).toISOString()
    await t.db
      .insertInto('reports')
      .values({
        id,
        filename: `f${n}.txt`,
        format: 'txt',
        size_bytes: 1,
        sha256: `sha-${id}`,
        encoding: 'UTF-8',
        text: 'x',
        status: fields.status ?? 'extracted',
        error: null,
        agency_id: fields.agencyId ?? null,
        agency_name: fields.agency ?? null,
        year: fields.year ?? null,
        published_at: null,
        title: fields.title ?? null,
        unit_id: unitId,
        uploaded_by: fields.uploadedBy ?? null,
        created_at: at,
        updated_at: at,
        processed_at: at,
      })
      .execute()
    return id
  }
  const q = (s: string) => parseReportFilters(new URLSearchParams(s))

  it('pages by 20, newest first, and filters by status, year, agency and a search of title or agency, in scope only', async () => {
    const agencyId = newId()
    await t.db
      .insertInto('agencies')
      .values({ id: agencyId, name: '市教育局', normalized_name: 'jyj', unit_id: null, created_at: nowIso() })
      .execute()
    for (let i = 0; i < 23; i++)
      await report(org.dept.id, {
        year: 2020 + (i % 3),
        agency: i % 2 ? '市教育局' : '市民政局',
        agencyId: i % 2 ? agencyId : null,
        status: i === 5 ? 'failed' : 'extracted',
      })
    const titled = await report(org.dept.id, { title: '关于100%公开_的报告', year: 2024 })
    const elsewhere = await report(org.other.id, { agency: '市教育局', year: 2020 })

    const p1 = await pageReportsForUser(t.db, org.sup, q(''))
    expect(p1).toMatchObject({ total: 24, page: 1, pageCount: 2 })
    expect(p1.rows).toHaveLength(20)
    expect(p1.rows[0].id).toBe(titled)
    const p2 = await pageReportsForUser(t.db, org.sup, q('page=2'))
    expect(p2.rows).toHaveLength(4)
    expect(new Set([...p1.rows, ...p2.rows].map(r => r.id)).size).toBe(24)
    expect((await pageReportsForUser(t.db, org.sup, q('page=99'))).page).toBe(2)

    expect((await pageReportsForUser(t.db, org.sup, q('status=failed'))).total).toBe(1)
    expect((await pageReportsForUser(t.db, org.sup, q('year=2021'))).total).toBe(8)
    expect((await pageReportsForUser(t.db, org.sup, q(`agency=${agencyId}`))).total).toBe(11)
    expect((await pageReportsForUser(t.db, org.sup, q('q=教育'))).total).toBe(11)
    expect((await pageReportsForUser(t.db, org.sup, q('q=教育&year=2021'))).total).toBe(4)
    // the search is literal: % and _ are not wildcards
    expect((await pageReportsForUser(t.db, org.sup, q('q=100%公开_'))).rows.map(r => r.id)).toEqual([titled])
    expect((await pageReportsForUser(t.db, org.sup, q('q=1%25报告'))).total).toBe(0)
    // another tree sees only its own
    expect((await pageReportsForUser(t.db, org.otherSup, q('q=教育'))).rows.map(r => r.id)).toEqual([elsewhere])
  })

  it('deletes a failed upload with its stored file: the uploader or a supervisor of the unit; nobody else; never an extracted report', async () => {
    const stored = async (by: string, text: string) => {
      const { report } = await storeReport(t.db, {
        bytes: new TextEncoder().encode(text),
        filename: `${text}.txt`,
        unitId: org.dept.id,
        uploadedBy: by,
      })
      await markFailed(t.db, report.id, '无法识别文件格式')
      return report.id
    }
    const sources = (id: string) => t.db.selectFrom('report_sources').select('report_id').where('report_id', '=', id).execute()
    const deptSup = await (async () => {
      const { createUser } = await import('../../app/org/org.server')
      const { id } = await createUser(t.db, {
        username: 'deptsup',
        displayName: '局督办',
        password: 'password-1',
        role: 'supervisor',
        unitId: org.dept.id,
      })
      return {
        id,
        username: 'deptsup',
        displayName: '局督办',
        role: 'supervisor' as const,
        unitId: org.dept.id,
        unitName: '市教育局',
        unitPath: org.dept.path,
      }
    })()
    // uploaded by the city's supervisor into the department
    const a = await stored(org.sup.id, '失败甲')
    expect(await sources(a)).toHaveLength(1)
    // staff, oversight, another tree: refused, nothing removed
    await expect(deleteFailedReport(t.db, org.staff, a)).rejects.toMatchObject({ status: 403 })
    await expect(deleteFailedReport(t.db, org.oversight, a)).rejects.toMatchObject({ status: 403 })
    await expect(deleteFailedReport(t.db, org.otherSup, a)).rejects.toMatchObject({ status: 404 })
    expect(await sources(a)).toHaveLength(1)
    // the uploader may
    expect(await deleteFailedReport(t.db, org.sup, a)).toEqual({ filename: '失败甲.txt' })
    expect(await t.db.selectFrom('reports').select('id').where('id', '=', a).execute()).toEqual([])
    expect(await sources(a)).toEqual([])
    // a supervisor of the unit it is filed in may delete another's failed upload
    const b = await stored(org.sup.id, '失败乙')
    await deleteFailedReport(t.db, deptSup, b)
    expect(await sources(b)).toEqual([])
    // an extracted report is not deleted, even by its uploader
    const c = await report(org.dept.id, { uploadedBy: org.sup.id, status: 'extracted' })
    await expect(deleteFailedReport(t.db, org.sup, c)).rejects.toMatchObject({ status: 409, message: '只能删除处理失败的报告。' })
    expect(await t.db.selectFrom('reports').select('id').where('id', '=', c).execute()).toHaveLength(1)
  })
})
