// The section 五 draft against real databases: for an agency with two years, every item of the
// earlier report is named once with its status, each sentence carries its task id and says what the
// record says (notes, confirmed follow-up evidence, close-out date); the 2024 report's open problems
// follow; the .docx opens and holds those sentences; the page answers supervisors in scope only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { renderDocx } from '../../app/paperwork/docx'
import { draftText, sectionFiveDocument, type SectionFiveDraft } from '../../app/paperwork/section-five'
import { loadSectionFiveDraft } from '../../app/paperwork/section-five.server'
import { chineseDate } from '../../app/paperwork/words'
import { todayInShanghai } from '../../app/tasks/dates'
import { createTestDb, engines, type TestDb } from '../support/db'
import { buildPaperworkWorld, docxText, type PaperworkWorld } from '../support/paperwork'
import { request, sessionCookieFor, statusOf, useFreshAppDatabase } from '../support/app'

useFreshAppDatabase()

const sentencesOf = (d: SectionFiveDraft) => d.sections.flatMap(s => s.paragraphs.flatMap(p => p.sentences))

describe.each(engines)('section 五 draft on %s', engine => {
  let t: TestDb
  let w: PaperworkWorld
  let draft: SectionFiveDraft
  beforeAll(async () => {
    t = await createTestDb(engine)
    w = await buildPaperworkWorld(t.db)
    draft = (await loadSectionFiveDraft(t.db, w.sup, w.agencyId, 2024))!
  })
  afterAll(() => t.cleanup())

  it('names every prior-year item once, with its status, in a sentence that carries its task id', async () => {
    expect(draft.priorYear).toBe(2023)
    const tasks = await t.db
      .selectFrom('tasks')
      .select(['id', 'title', 'status', 'closed_at'])
      .where('report_id', '=', w.earlierReportId)
      .execute()
    const prior = draft.sections[0].paragraphs.flatMap(p => p.sentences)
    expect(prior.map(s => s.taskId).sort()).toEqual(tasks.map(x => x.id).sort())
    const text = draftText(draft)
    for (const task of tasks) {
      const s = prior.find(x => x.taskId === task.id)!
      expect(s.status).toBe(task.status)
      expect(text.split(`“${task.title}”`).length - 1, task.title).toBe(1)
      expect(s.text).toContain(`“${task.title}”`)
    }
    const [closed, working, submitted, overdue, ongoing] = w.earlierTasks.map(id => prior.find(s => s.taskId === id)!.text)
    const closedOn = chineseDate(todayInShanghai(new Date(tasks.find(x => x.id === w.earlierTasks[0])!.closed_at!)))
    expect(closed).toBe(`针对“政务公开栏目更新不及时”的问题，我局建立了栏目更新台账，每月检查栏目更新情况，已于${closedOn}完成整改。`)
    expect(working).toBe('针对“依申请公开答复质量有待提高”的问题，我局举办答复文书规范培训两期，目前正在推进，完成进度50%。')
    expect(submitted).toMatch(
      /^关于“建立栏目更新台账”的改进措施，我局建立栏目更新台账，每月检查栏目，整改工作已基本完成，正在核验，已超过整改时限（2024年6月30日）\d+天。$/,
    )
    expect(overdue).toMatch(/^关于“加强答复文书培训”的改进措施，整改工作尚未启动，已超过整改时限（2024年3月31日）\d+天。$/)
    expect(ongoing).toBe('关于“持续做好政策解读”的改进措施，作为长期性工作持续推进。')
  })

  it('then this year’s open problems and measures, in the report’s words, each with its task', () => {
    const later = sentencesOf(draft).filter(s => w.laterTasks.includes(s.taskId))
    expect(later.map(s => s.text)).toEqual(['一是政策解读形式较为单一，图解、视频解读较少。', '一是丰富政策解读形式，增加图解和视频解读。'])
    expect(draft.sections.map(s => s.heading)).toEqual(['（一）2023年度报告所列问题整改情况', '（二）存在的主要问题', '（三）改进措施'])
  })

  it('the .docx opens and holds the sentences; an edit replaces its paragraph', async () => {
    const text = await docxText(await renderDocx(sectionFiveDocument(draft)))
    for (const s of sentencesOf(draft)) expect(text).toContain(s.text)
    const key = draft.sections[0].paragraphs[0].key
    const edited = await docxText(await renderDocx(sectionFiveDocument(draft, { [key]: '改写后的第一段。' })))
    expect(edited).toContain('改写后的第一段。')
    expect(edited).not.toContain('建立了栏目更新台账')
  })

  it('is not there for a supervisor of another tree', async () => {
    expect(await loadSectionFiveDraft(t.db, w.otherSup, w.agencyId, 2024)).toBeNull()
  })
})

describe('section 五 page', () => {
  let w: PaperworkWorld
  let cookies: Record<string, string>
  let mod: typeof import('../../app/routes/_app.section-five')
  let file: typeof import('../../app/routes/section-five[.]docx')
  beforeAll(async () => {
    const { db } = await import('../../app/db.server')
    const { migrateToLatest } = await import('../../db/db')
    await migrateToLatest(db)
    w = await buildPaperworkWorld(db)
    cookies = {
      sup: await sessionCookieFor(w.sup.id),
      staff: await sessionCookieFor(w.staff.id),
      other: await sessionCookieFor(w.otherSup.id),
    }
    mod = await import('../../app/routes/_app.section-five')
    file = await import('../../app/routes/section-five[.]docx')
  })

  it('shows the draft with links to the tasks; downloads the edited text as Word', async () => {
    const url = `/section-five?agency=${w.agencyId}&year=2024`
    const page = (await mod.loader({ request: request(url, { cookie: cookies.sup }), params: {}, context: {} })) as Response
    const data = await page.json()
    expect(data.draft.sections[0].paragraphs.length).toBe(3)
    const key = data.draft.sections[0].paragraphs[0].key
    const res = (await file.action({
      request: request('/section-five.docx', {
        cookie: cookies.sup,
        form: { intent: 'docx', agency: w.agencyId, year: '2024', [`p:${key}`]: '我局已全面完成栏目整改。' },
      }),
      params: {},
      context: {},
    })) as Response
    expect(res.headers.get('Content-Type')).toContain('wordprocessingml')
    const text = await docxText(new Uint8Array(await res.arrayBuffer()))
    expect(text).toContain('我局已全面完成栏目整改。')
    expect(text).toContain('五、存在的主要问题及改进情况')
  })

  it('staff may not; another tree finds nothing', async () => {
    const url = `/section-five?agency=${w.agencyId}&year=2024`
    expect(await statusOf(() => mod.loader({ request: request(url, { cookie: cookies.staff }), params: {}, context: {} }))).toBe(403)
    expect(await statusOf(() => mod.loader({ request: request(url, { cookie: cookies.other }), params: {}, context: {} }))).toBe(404)
    expect(
      await statusOf(() =>
        file.loader({
          request: request(`/section-five.docx?agency=${w.agencyId}&year=2024`, { cookie: cookies.staff }),
          params: {},
          context: {},
        }),
      ),
    ).toBe(403)
    const plain = (await file.loader({
      request: request(`/section-five.docx?agency=${w.agencyId}&year=2024`, { cookie: cookies.sup }),
      params: {},
      context: {},
    })) as Response
    expect(await docxText(new Uint8Array(await plain.arrayBuffer()))).toContain('针对“政务公开栏目更新不及时”的问题')
    expect(
      await statusOf(() =>
        file.action({
          request: request('/section-five.docx', { cookie: cookies.other, form: { intent: 'docx', agency: w.agencyId, year: '2024' } }),
          params: {},
          context: {},
        }),
      ),
    ).toBe(404)
  })
})
