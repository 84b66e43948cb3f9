// Staff at work, against a real database on every engine: they read the reports their tasks come
// from (and only those, read-only), a submission must show what was done, and an extension may be
// asked for after the deadline, marked late.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { newId, nowIso } from '../../db/ids'
import { AppError } from '../../app/errors'
import { createUnit, createUser } from '../../app/org/org.server'
import { getReportForUser, listReportsForUser } from '../../app/reports/queries.server'
import { confirmReport } from '../../app/tasks/tasks.server'
import {
  addEvidenceLink,
  addProgress,
  decideExtension,
  requestExtension,
  transitionTask,
  updateTask,
} from '../../app/tasks/workflow.server'
import type { SessionUser } from '../../app/auth/session.server'
import { createTestDb, engines, type TestDb } from '../support/db'

// "Now" is 7 December 2026 (Shanghai) wherever a function takes the clock.
const NOW = new Date('2026-12-07T04:00:00Z')

describe.each(engines)('staff at work on %s', engine => {
  let t: TestDb
  let sup: SessionUser, staff: SessionUser, healthStaff: SessionUser, idleStaff: SessionUser, deptSup: SessionUser, otherSup: SessionUser
  let reportId: string
  let tasks: string[]

  beforeEach(async () => {
    t = await createTestDb(engine)
    process.env.DATA_DIR = t.env.DATA_DIR ?? '/tmp'
    const root = await createUnit(t.db, { name: '市政务公开办' })
    const edu = await createUnit(t.db, { name: '市教育局', parentId: root.id })
    const health = await createUnit(t.db, { name: '市卫健委', parentId: root.id })
    const idle = await createUnit(t.db, { name: '市统计局', parentId: root.id })
    const elsewhere = await createUnit(t.db, { name: '邻市' })
    const mk = async (
      username: string,
      role: SessionUser['role'],
      unit: { id: string; path: string; name: string },
    ): Promise<SessionUser> => {
      const { id } = await createUser(t.db, { username, displayName: username, password: 'password-1', role, unitId: unit.id })
      return { id, username, displayName: username, role, unitId: unit.id, unitName: unit.name, unitPath: unit.path }
    }
    sup = await mk('sup', 'supervisor', root)
    staff = await mk('staff', 'staff', edu)
    healthStaff = await mk('healthstaff', 'staff', health)
    idleStaff = await mk('idlestaff', 'staff', idle)
    deptSup = await mk('deptsup', 'supervisor', edu)
    otherSup = await mk('othersup', 'supervisor', elsewhere)
    // The city's report, filed at the city office: its tasks go to the departments.
    reportId = newId()
    const now = nowIso()
    await t.db
      .insertInto('reports')
      .values({
        id: reportId,
        filename: 'city.txt',
        format: 'txt',
        size_bytes: 1,
        sha256: `s-${reportId}`,
        encoding: 'UTF-8',
        text: '问题一。措施一。措施二。',
        status: 'extracted',
        error: null,
        agency_id: null,
        agency_name: '某市人民政府',
        year: 2025,
        published_at: null,
        title: null,
        unit_id: root.id,
        uploaded_by: sup.id,
        created_at: now,
        updated_at: now,
        processed_at: now,
      })
      .execute()
    for (const [seq, kind, text] of [
      [0, 'problem', '问题一。'],
      [1, 'plan', '措施一。'],
      [2, 'plan', '措施二。'],
    ] as const) {
      await t.db
        .insertInto('report_items')
        .values({
          id: newId(),
          report_id: reportId,
          seq,
          kind,
          title: text,
          text,
          start_offset: seq * 4,
          end_offset: seq * 4 + 4,
          answers: '[]',
          due_date: '2027-06-30',
          created_at: now,
        })
        .execute()
    }
    await confirmReport(t.db, sup, reportId, NOW)
    tasks = (
      await t.db
        .selectFrom('tasks')
        .innerJoin('report_items', 'report_items.id', 'tasks.item_id')
        .select('tasks.id')
        .orderBy('report_items.seq')
        .execute()
    ).map(r => r.id)
    await updateTask(t.db, sup, tasks[0], { unitId: edu.id, ownerId: staff.id })
    await updateTask(t.db, sup, tasks[1], { unitId: edu.id, ownerId: staff.id })
    await updateTask(t.db, sup, tasks[2], { unitId: health.id, ownerId: healthStaff.id })
  })
  afterEach(() => t.cleanup())

  const refused = async (p: Promise<unknown>, status: number, message: RegExp) => {
    const err = await p.then(
      () => null,
      e => e,
    )
    expect(err, String(err)).toBeInstanceOf(AppError)
    expect((err as AppError).status).toBe(status)
    expect((err as AppError).message).toMatch(message)
  }

  it('staff (and a department supervisor) read the report their tasks come from, read-only; nobody else does', async () => {
    for (const who of [staff, healthStaff, deptSup]) {
      const found = await getReportForUser(t.db, { id: reportId, user: who })
      expect(found?.report.id, who.username).toBe(reportId)
      expect(found?.filedInScope, who.username).toBe(false)
      expect(
        (await listReportsForUser(t.db, who)).map(r => r.id),
        who.username,
      ).toEqual([reportId])
    }
    expect((await getReportForUser(t.db, { id: reportId, user: sup }))?.filedInScope).toBe(true)
    for (const who of [idleStaff, otherSup]) {
      expect(await getReportForUser(t.db, { id: reportId, user: who }), who.username).toBeNull()
      expect(await listReportsForUser(t.db, who), who.username).toEqual([])
    }
  })

  it('a submission must show the work: a note with it, evidence, or a progress note', async () => {
    await refused(transitionTask(t.db, staff, tasks[0], { action: 'submit' }), 400, /请填写完成情况说明，或先上传佐证材料/)
    await addProgress(t.db, staff, tasks[0], { progress: 0, note: '' })
    await refused(transitionTask(t.db, staff, tasks[0], { action: 'submit', reason: '  ' }), 400, /完成情况说明/)
    expect((await t.db.selectFrom('tasks').select('status').where('id', '=', tasks[0]).executeTakeFirstOrThrow()).status).toBe(
      'in_progress',
    )
    await transitionTask(t.db, staff, tasks[0], { action: 'submit', reason: '栏目已改版' })
    await addEvidenceLink(t.db, staff, tasks[1], { url: 'https://www.example.gov.cn/zwgk/1.html', title: '栏目截图' })
    await transitionTask(t.db, staff, tasks[1], { action: 'submit' })
    await addProgress(t.db, healthStaff, tasks[2], { progress: 80, note: '已完成培训两次' })
    await transitionTask(t.db, healthStaff, tasks[2], { action: 'submit' })
    const statuses = await t.db.selectFrom('tasks').select('status').where('id', 'in', tasks).execute()
    expect(statuses.map(s => s.status)).toEqual(['pending_review', 'pending_review', 'pending_review'])
  })

  it('an extension may be asked for after the deadline: marked late, the supervisor told so; a new date in the past is refused', async () => {
    await updateTask(t.db, sup, tasks[0], { dueDate: '2026-11-30' }) // overdue on NOW
    await refused(
      requestExtension(t.db, staff, tasks[0], { newDueDate: '2026-12-06', reason: '等待批复' }, NOW),
      400,
      /新的整改时限不能早于今天/,
    )
    const r = await requestExtension(t.db, staff, tasks[0], { newDueDate: '2027-03-31', reason: '等待财政批复' }, NOW)
    expect(r.late).toBe(true)
    const event = await t.db
      .selectFrom('task_events')
      .select(['after'])
      .where('task_id', '=', tasks[0])
      .where('type', '=', 'extension_requested')
      .executeTakeFirstOrThrow()
    expect(JSON.parse(event.after!)).toEqual({ due_date: '2027-03-31', late: true })
    const notice = await t.db
      .selectFrom('notifications')
      .select(['user_id', 'title'])
      .where('task_id', '=', tasks[0])
      .where('kind', '=', 'extension_requested')
      .execute()
    expect(notice.map(n => n.title)).toEqual(expect.arrayContaining(['逾期延期申请待审批：问题一。']))
    await decideExtension(t.db, sup, r.id, { approve: true })
    expect((await t.db.selectFrom('tasks').select('due_date').where('id', '=', tasks[0]).executeTakeFirstOrThrow()).due_date).toBe(
      '2027-03-31',
    )
    // before the deadline, a request is not late
    expect((await requestExtension(t.db, staff, tasks[1], { newDueDate: '2027-09-30', reason: '跨部门协调' }, NOW)).late).toBe(false)
  })
})
