// 督办单 against real databases: issuing one for an overdue task is a task event that notifies the
// owner; a task that is not overdue, staff, oversight and another tree are refused; the PDF renders
// the Chinese task title (its text extracted again) and the printable page carries a QR code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pdfToText } from '../../app/documents/pdf'
import { todayInShanghai } from '../../app/tasks/dates'
import { AppError } from '../../app/errors'
import { renderNoticePdf } from '../../app/paperwork/notice-pdf.server'
import { issueSupervisionNotice, loadSupervisionNotice } from '../../app/paperwork/notice.server'
import { createTestDb, engines, type TestDb } from '../support/db'
import { buildPaperworkWorld, type PaperworkWorld } from '../support/paperwork'
import { request, sessionCookieFor, statusOf, toastOf, useFreshAppDatabase } from '../support/app'

useFreshAppDatabase()
process.env.APP_URL = 'https://zg.example.gov.cn/app'

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => 0,
    (e: unknown) => (e instanceof AppError ? e.status : -1),
  )

describe.each(engines)('督办单 on %s', engine => {
  let t: TestDb
  let w: PaperworkWorld
  beforeAll(async () => {
    t = await createTestDb(engine)
    w = await buildPaperworkWorld(t.db)
  })
  afterAll(() => t.cleanup())

  it('issuing one for an overdue task is a task event and notifies the owner once', async () => {
    const taskId = w.earlierTasks[2] // submitted, deadline 2024-06-30, owned by 李责任
    // Numbered in the year it is issued (today), from 1 in each year.
    const year = todayInShanghai().slice(0, 4)
    const issued = await issueSupervisionNotice(t.db, w.sup, taskId, { replyBy: '2030-01-10' })
    expect(issued).toMatchObject({ number: `督办〔${year}〕1号`, reply_by: '2030-01-10', issuer_unit: '示范市政务公开办' })
    const events = await t.db
      .selectFrom('task_events')
      .select(['type', 'actor_id'])
      .where('task_id', '=', taskId)
      .where('type', '=', 'supervision_notice')
      .execute()
    expect(events).toEqual([{ type: 'supervision_notice', actor_id: w.sup.id }])
    const notes = await t.db
      .selectFrom('notifications')
      .select(['user_id', 'kind', 'title', 'body'])
      .where('task_id', '=', taskId)
      .where('kind', '=', 'supervision_notice')
      .execute()
    expect(notes).toHaveLength(1)
    expect(notes[0].user_id).toBe(w.staff.id)
    expect(notes[0].body).toContain(`督办〔${year}〕1号`)
    expect(notes[0].body).toContain('2030-01-10')
    const second = await issueSupervisionNotice(t.db, w.sup, w.earlierTasks[3], { replyBy: '2030-01-11' })
    expect(second.number).toBe(`督办〔${year}〕2号`)
  })

  it('refuses a task that is not overdue, staff, oversight-like roles and another tree', async () => {
    expect(await refusal(issueSupervisionNotice(t.db, w.sup, w.earlierTasks[1], {}, '2030-01-03'))).toBe(409) // deadline 2099
    expect(await refusal(issueSupervisionNotice(t.db, w.sup, w.earlierTasks[0], {}, '2030-01-03'))).toBe(409) // closed
    expect(await refusal(issueSupervisionNotice(t.db, { ...w.staff, unitName: '' }, w.earlierTasks[2], {}, '2030-01-03'))).toBe(403)
    expect(await refusal(issueSupervisionNotice(t.db, w.otherSup, w.earlierTasks[2], {}, '2030-01-03'))).toBe(404)
    expect(await refusal(issueSupervisionNotice(t.db, w.sup, w.earlierTasks[2], { replyBy: '2029-12-01' }, '2030-01-03'))).toBe(400)
  })

  it('the PDF renders the Chinese task title, the unit and the days overdue (text extracted from it)', async () => {
    const { notice, issued } = await loadSupervisionNotice(t.db, w.staff as PaperworkWorld['sup'], w.earlierTasks[2], '2030-01-05')
    expect(issued).toBe(true)
    expect(notice.link).toBe(`https://zg.example.gov.cn/app/tasks/${w.earlierTasks[2]}`)
    const pdf = await renderNoticePdf(notice)
    const text = (await pdfToText(pdf)).replace(/\s+/g, '')
    expect(text).toContain('整改任务督办单')
    expect(text).toContain('建立栏目更新台账')
    expect(text).toContain('示范市教育局办公室')
    expect(text).toContain(`督办〔${todayInShanghai().slice(0, 4)}〕1号`)
    expect(text).toMatch(/逾期天数\d+天/)
    expect(text).toContain('2030年1月10日')
  })
})

describe('督办单 routes', () => {
  let w: PaperworkWorld
  let cookies: Record<string, string>
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
  })

  it('a supervisor issues from the page; the owner downloads the PDF; another tree sees nothing', async () => {
    const page = await import('../../app/routes/tasks.$taskId.notice')
    const pdfRoute = await import('../../app/routes/tasks.$taskId.notice[.]pdf')
    const taskId = w.earlierTasks[3]
    const params = { taskId }
    const preview = (await pdfRoute.loader({
      request: request(`/tasks/${taskId}/notice.pdf`, { cookie: cookies.sup }),
      params,
      context: {},
    })) as Response
    expect((await pdfToText(new Uint8Array(await preview.arrayBuffer()))).replace(/\s+/g, '')).toContain('预览，尚未签发')
    expect(
      await statusOf(() =>
        page.action({
          request: request(`/tasks/${taskId}/notice`, { cookie: cookies.staff, form: { intent: 'issue' } }),
          params,
          context: {},
        }),
      ),
    ).toBe(403)
    const res = await page.action({
      request: request(`/tasks/${taskId}/notice`, { cookie: cookies.sup, form: { intent: 'issue' } }),
      params,
      context: {},
    })
    expect(res.status).toBe(302)
    expect(toastOf(res)).toContain('已签发督办单')
    const view = (await page.loader({
      request: request(`/tasks/${taskId}/notice`, { cookie: cookies.sup }),
      params,
      context: {},
    })) as Response
    const data = await view.json()
    expect(data.issued).toBe(true)
    expect(data.qr).toMatch(/^data:image\/png;base64,/)
    const pdf = (await pdfRoute.loader({
      request: request(`/tasks/${taskId}/notice.pdf`, { cookie: cookies.sup }),
      params,
      context: {},
    })) as Response
    expect(pdf.headers.get('Content-Type')).toBe('application/pdf')
    expect((await pdfToText(new Uint8Array(await pdf.arrayBuffer()))).replace(/\s+/g, '')).toContain('加强答复文书培训')
    expect(
      await statusOf(() =>
        pdfRoute.loader({ request: request(`/tasks/${taskId}/notice.pdf`, { cookie: cookies.other }), params, context: {} }),
      ),
    ).toBe(404)
    expect(
      await statusOf(() => page.loader({ request: request(`/tasks/${taskId}/notice`, { cookie: cookies.other }), params, context: {} })),
    ).toBe(404)
  })
})

describe('督办单 in a batch', () => {
  let t: TestDb
  let w: PaperworkWorld
  beforeAll(async () => {
    t = await createTestDb('sqlite')
    w = await buildPaperworkWorld(t.db)
  })
  afterAll(() => t.cleanup())

  it('lists the overdue tasks in scope, issues one per task (refusing those not overdue), and prints them as one PDF', async () => {
    const { issueSupervisionNotices, overdueTasksForNotice } = await import('../../app/paperwork/notice.server')
    const { renderNoticesPdf } = await import('../../app/paperwork/notice-pdf.server')
    const overdue = await overdueTasksForNotice(t.db, w.sup)
    // the 2023 tasks past their deadline, and the 2024 ones (due 2025-12-31) once that date has passed
    const expected = [w.earlierTasks[2], w.earlierTasks[3], ...(new Date().toISOString() > '2026-01-01' ? w.laterTasks : [])]
    expect(overdue.map(x => x.id).sort()).toEqual(expected.sort())
    const theirs = (await overdueTasksForNotice(t.db, w.otherSup)).map(x => x.id)
    expect(theirs.filter(id => [...w.earlierTasks, ...w.laterTasks].includes(id))).toEqual([])
    const r = await issueSupervisionNotices(t.db, w.sup, [w.earlierTasks[2], w.earlierTasks[3], w.earlierTasks[1]], {
      replyBy: '2031-01-01',
    })
    expect(r.issued.map(i => i.taskId)).toEqual([w.earlierTasks[2], w.earlierTasks[3]])
    expect(r.refused).toEqual([{ taskId: w.earlierTasks[1], message: '该任务未逾期，不需要签发督办单。' }])
    expect(
      (await overdueTasksForNotice(t.db, w.sup))
        .filter(x => x.lastNotice)
        .map(x => x.id)
        .sort(),
    ).toEqual([w.earlierTasks[2], w.earlierTasks[3]].sort())
    expect(await refusal(issueSupervisionNotices(t.db, { ...w.staff, unitName: '' }, [w.earlierTasks[2]], {}))).toBe(403)
    const notices = await Promise.all(r.issued.map(async i => (await loadSupervisionNotice(t.db, w.sup, i.taskId)).notice))
    const text = (await pdfToText(await renderNoticesPdf(notices))).replace(/\s+/g, '')
    expect(text).toContain('建立栏目更新台账')
    expect(text).toContain('加强答复文书培训')
    expect(text.split('整改任务督办单').length - 1).toBe(2)
  })
})
