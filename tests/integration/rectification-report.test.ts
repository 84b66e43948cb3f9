// The 整改情况报告 (.docx) against real databases: every task of the report appears once with its
// evidence names, the document opens (mammoth reads it), it names the fonts government documents
// use, and the download route answers only within the report's scope.
import { strFromU8, unzipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rectificationReportFile } from '../../app/paperwork/files.server'
import { createTestDb, engines, type TestDb } from '../support/db'
import { buildPaperworkWorld, docxText, type PaperworkWorld } from '../support/paperwork'
import { useFreshAppDatabase } from '../support/app'

useFreshAppDatabase()

describe.each(engines)('整改情况报告 on %s', engine => {
  let t: TestDb
  let w: PaperworkWorld
  beforeAll(async () => {
    t = await createTestDb(engine)
    w = await buildPaperworkWorld(t.db)
  })
  afterAll(() => t.cleanup())

  it('lists every task of the report once, with its evidence names, and opens as a Word document', async () => {
    const file = await rectificationReportFile(t.db, w.sup, w.earlierReportId, '2025-01-15')
    expect(file).not.toBeNull()
    expect(file!.filename).toBe('示范市教育局2023年政府信息公开工作年度报告整改情况报告.docx')
    const text = await docxText(file!.body)
    const tasks = await t.db.selectFrom('tasks').select(['id', 'title']).where('report_id', '=', w.earlierReportId).execute()
    expect(tasks).toHaveLength(5)
    for (const task of tasks) {
      // A problem's title heads its table and fills its first cell; a measure's title is its row.
      const times = text.split(task.title).length - 1
      expect(times, task.title).toBe(
        task.title.includes('问题') || ['政务公开栏目更新不及时', '依申请公开答复质量有待提高'].includes(task.title) ? 2 : 1,
      )
    }
    for (const name of w.evidenceNames) expect(text.split(name).length - 1, name).toBe(1)
    expect(text).toContain('关于示范市教育局2023年政府信息公开工作年度报告所列问题整改情况的报告')
    expect(text).toContain('已核验销号 1 项，待核验 1 项，正在整改 1 项，待分派 1 项，长期坚持 1 项')
    expect(text).toContain('超过整改时限尚未完成 2 项')
    expect(text).toContain('李责任')
    expect(text).toContain('报送单位（盖章）：示范市政务公开办')
    expect(text).toContain('2025年1月15日')
    const xml = strFromU8(unzipSync(file!.body)['word/document.xml'])
    expect(xml).toContain('w:eastAsia="仿宋_GB2312"')
    expect(xml).toContain('w:eastAsia="黑体"')
    expect(xml).toContain('w:ascii="SimHei"')
  })

  it('is not there for a report out of scope', async () => {
    expect(await rectificationReportFile(t.db, w.otherSup, w.earlierReportId)).toBeNull()
    expect(await rectificationReportFile(t.db, w.sup, w.otherReportId)).toBeNull()
  })
})
