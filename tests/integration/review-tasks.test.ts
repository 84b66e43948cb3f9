// Review and tasks made right, against a real database on every engine: deadlines never born in
// the past, past dates refused where a person sets them, a hand-added item's default deadline, a
// save from an editor opened before a merge refused, owners only of the unit and of owner roles,
// the agency and year corrected, the unowned items listed before confirming.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { newId, nowIso } from '../../db/ids'
import { AppError } from '../../app/errors'
import { createUnit, createUser } from '../../app/org/org.server'
import {
  addItemFromSelection,
  assignItems,
  correctReportMetadata,
  editItem,
  mergeItems,
  unownedItems,
} from '../../app/reports/review.server'
import { confirmReport } from '../../app/tasks/tasks.server'
import { transitionTask, updateTask } from '../../app/tasks/workflow.server'
import type { Actor } from '../../app/auth/scope'
import { createTestDb, engines, type TestDb } from '../support/db'

// One clock for the whole file: "today" is 7 December 2026 in Shanghai.
const NOW = new Date('2026-12-07T08:00:00Z')
const TEXT = '存在的问题：一是信息更新不及时。二是解读不够深入。改进措施：一是加强培训。二是2027年6月底前完成专栏改版。三是建立考核机制。'

describe.each(engines)('review and tasks on %s', engine => {
  let t: TestDb
  let sup: Actor & { username: string; displayName: string; unitName: string }
  let staff: Actor, deptStaff: Actor, oversight: Actor, admin: Actor, otherSup: Actor
  let deptId: string, otherDeptId: string
  let reportId: string
  let itemIds: string[]

  beforeEach(async () => {
    t = await createTestDb(engine)
    const root = await createUnit(t.db, { name: '市政务公开办' })
    const dept = await createUnit(t.db, { name: '市教育局', parentId: root.id })
    const otherDept = await createUnit(t.db, { name: '市卫健委', parentId: root.id })
    const elsewhere = await createUnit(t.db, { name: '邻市' })
    deptId = dept.id
    otherDeptId = otherDept.id
    const mk = async (username: string, role: Actor['role'], unit: { id: string; path: string }) => {
      const { id } = await createUser(t.db, { username, displayName: username, password: 'password-1', role, unitId: unit.id })
      return { id, role, unitId: unit.id, unitPath: unit.path, username, displayName: username, unitName: '' }
    }
    sup = await mk('sup', 'supervisor', root)
    staff = await mk('staff', 'staff', root)
    deptStaff = await mk('deptstaff', 'staff', dept)
    oversight = await mk('ov', 'oversight', root)
    admin = await mk('admin', 'admin', root)
    otherSup = await mk('othersup', 'supervisor', elsewhere)
    reportId = newId()
    const now = nowIso()
    await t.db
      .insertInto('reports')
      .values({
        id: reportId,
        filename: 'r.txt',
        format: 'txt',
        size_bytes: TEXT.length,
        sha256: `x-${reportId}`,
        encoding: 'UTF-8',
        text: TEXT,
        status: 'extracted',
        error: null,
        agency_id: null,
        agency_name: null,
        year: 2018,
        published_at: null,
        title: null,
        unit_id: root.id,
        uploaded_by: sup.id,
        created_at: now,
        updated_at: now,
        processed_at: now,
      })
      .execute()
    const items: Array<[string, 'problem' | 'plan', string, string | null, string]> = [
      ['信息更新不及时', 'problem', '一是信息更新不及时。', '2019-12-31', 'normal'], // an old report's default: past
      ['解读不够深入', 'problem', '二是解读不够深入。', '2019-12-31', 'high'],
      ['加强培训', 'plan', '一是加强培训。', '2027-12-31', 'normal'], // still ahead: kept
    ]
    itemIds = []
    for (const [seq, [title, kind, text, due, priority]] of items.entries()) {
      const id = newId()
      itemIds.push(id)
      const start = TEXT.indexOf(text)
      await t.db
        .insertInto('report_items')
        .values({
          id,
          report_id: reportId,
          seq,
          kind,
          title,
          text,
          start_offset: start,
          end_offset: start + text.length,
          answers: '[]',
          due_date: due,
          priority,
          created_at: now,
        })
        .execute()
    }
  })
  afterEach(() => t.cleanup())

  const item = (id: string) => t.db.selectFrom('report_items').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  const items = () => t.db.selectFrom('report_items').selectAll().where('report_id', '=', reportId).orderBy('seq').execute()
  const refused = async (p: Promise<unknown>, status: number, message: RegExp) => {
    const err = await p.then(
      () => null,
      e => e,
    )
    expect(err, String(err)).toBeInstanceOf(AppError)
    expect((err as AppError).status).toBe(status)
    expect((err as AppError).message).toMatch(message)
  }

  it('confirmation gives no task a deadline already past: today plus the days of its priority; one still ahead is kept', async () => {
    await confirmReport(t.db, sup, reportId, NOW)
    const tasks = await t.db
      .selectFrom('tasks')
      .innerJoin('report_items', 'report_items.id', 'tasks.item_id')
      .select(['tasks.due_date', 'report_items.seq'])
      .orderBy('report_items.seq')
      .execute()
    expect(tasks.map(x => x.due_date)).toEqual(['2027-03-07', '2027-01-06', '2027-12-31'])
    const created = await t.db.selectFrom('task_events').select('after').where('type', '=', 'created').execute()
    expect(created.map(e => JSON.parse(e.after!).due_date).sort()).toEqual(['2027-01-06', '2027-03-07', '2027-12-31'])
  })

  it('a past date is refused in Chinese on assign and bulk assign, and nothing changes; today is accepted', async () => {
    const before = JSON.stringify(await items())
    await refused(assignItems(t.db, sup, reportId, [itemIds[0]], { dueDate: '2026-12-06' }, NOW), 400, /整改时限不能早于今天（2026-12-07）/)
    await refused(assignItems(t.db, sup, reportId, itemIds, { dueDate: '2020-01-01', priority: 'high' }, NOW), 400, /不能早于今天/)
    expect(JSON.stringify(await items())).toBe(before)
    expect(await assignItems(t.db, sup, reportId, itemIds, { dueDate: '2026-12-07' }, NOW)).toEqual({ updated: 3 })
  })

  it('on a task, a page refuses a past deadline (today given); a ledger import of past work (no today) may record one', async () => {
    await confirmReport(t.db, sup, reportId, NOW)
    const taskId = (await t.db.selectFrom('tasks').select('id').where('item_id', '=', itemIds[0]).executeTakeFirstOrThrow()).id
    await refused(updateTask(t.db, sup, taskId, { dueDate: '2026-11-30' }, { today: '2026-12-07' }), 400, /不能早于今天/)
    expect((await t.db.selectFrom('tasks').select('due_date').where('id', '=', taskId).executeTakeFirstOrThrow()).due_date).toBe(
      '2027-03-07',
    )
    await updateTask(t.db, sup, taskId, { dueDate: '2027-01-31' }, { today: '2026-12-07' })
    await updateTask(t.db, sup, taskId, { dueDate: '2026-11-30' })
    expect((await t.db.selectFrom('tasks').select('due_date').where('id', '=', taskId).executeTakeFirstOrThrow()).due_date).toBe(
      '2026-11-30',
    )
  })

  it('an item added by hand gets a default deadline: what its text says, else never a past one', async () => {
    const dated = TEXT.indexOf('二是2027年6月底前')
    const a = await addItemFromSelection(
      t.db,
      sup,
      reportId,
      { start: dated, end: dated + '二是2027年6月底前完成专栏改版。'.length, kind: 'plan', dueDate: null },
      NOW,
    )
    expect((await item(a.id)).due_date).toBe('2027-06-30')
    const plain = TEXT.indexOf('三是建立考核机制')
    const b = await addItemFromSelection(t.db, sup, reportId, { start: plain, end: plain + 9, kind: 'plan', dueDate: null }, NOW)
    expect((await item(b.id)).due_date).toBe('2027-03-07') // 2019-12-31 for a 2018 report is past
    await refused(
      addItemFromSelection(t.db, sup, reportId, { start: plain, end: plain + 9, kind: 'plan', dueDate: '2025-01-01' }, NOW),
      400,
      /不能早于今天/,
    )
  })

  it('after a merge, a save from the editor opened before it is refused and the merged text stays', async () => {
    const opened = await item(itemIds[0])
    await mergeItems(t.db, sup, reportId, itemIds[0], itemIds[1])
    const merged = await item(itemIds[0])
    expect(merged.text).toBe('一是信息更新不及时。二是解读不够深入。')
    expect(merged.version).toBe(opened.version + 1)
    await refused(
      editItem(t.db, sup, reportId, itemIds[0], { title: '旧标题', text: opened.text, kind: 'problem', version: opened.version }),
      409,
      /已被修改/,
    )
    expect((await item(itemIds[0])).text).toBe(merged.text)
    // the editor reopened on the merged item saves, and the version moves on
    await editItem(t.db, sup, reportId, itemIds[0], {
      title: '信息更新和解读',
      text: merged.text,
      kind: 'problem',
      version: merged.version,
    })
    expect(await item(itemIds[0])).toMatchObject({ title: '信息更新和解读', version: merged.version + 1 })
    await refused(
      editItem(t.db, sup, reportId, itemIds[0], { title: '再改', text: merged.text, kind: 'problem', version: merged.version }),
      409,
      /已被修改/,
    )
  })

  it('owners are people of the chosen unit whose role may own tasks, on every path', async () => {
    await refused(assignItems(t.db, sup, reportId, [itemIds[0]], { ownerId: oversight.id }, NOW), 400, /监督方和系统管理员不能担任责任人/)
    await refused(assignItems(t.db, sup, reportId, [itemIds[0]], { ownerId: admin.id }, NOW), 400, /不能担任责任人/)
    await refused(
      assignItems(t.db, sup, reportId, [itemIds[0]], { unitId: otherDeptId, ownerId: deptStaff.id }, NOW),
      400,
      /^责任人不属于该责任单位。$/,
    )
    await assignItems(t.db, sup, reportId, [itemIds[0]], { unitId: deptId, ownerId: deptStaff.id }, NOW)
    await assignItems(t.db, sup, reportId, [itemIds[1]], { ownerId: sup.id }, NOW) // a supervisor may own a task
    // an owner of a wrong role set before this rule stops the confirmation
    await t.db.updateTable('report_items').set({ owner_id: oversight.id }).where('id', '=', itemIds[2]).execute()
    await refused(confirmReport(t.db, sup, reportId, NOW), 400, /监督方或系统管理员/)
    expect(await t.db.selectFrom('tasks').select('id').execute()).toEqual([])
    // so does an owner deactivated since the review (the same rules as requireOwner)
    await t.db.updateTable('report_items').set({ owner_id: staff.id }).where('id', '=', itemIds[2]).execute()
    await t.db.updateTable('users').set({ active: 0 }).where('id', '=', staff.id).execute()
    await refused(confirmReport(t.db, sup, reportId, NOW), 400, /已停用/)
    await t.db.updateTable('users').set({ active: 1 }).where('id', '=', staff.id).execute()
    expect(await t.db.selectFrom('tasks').select('id').execute()).toEqual([])
    await t.db.updateTable('report_items').set({ owner_id: null }).where('id', '=', itemIds[2]).execute()
    await confirmReport(t.db, sup, reportId, NOW)
    const unassigned = (await t.db.selectFrom('tasks').select('id').where('item_id', '=', itemIds[2]).executeTakeFirstOrThrow()).id
    await refused(transitionTask(t.db, sup, unassigned, { action: 'assign', ownerId: oversight.id }), 400, /不能担任责任人/)
    await refused(updateTask(t.db, sup, unassigned, { ownerId: admin.id }), 400, /不能担任责任人/)
    // the same message on the task's path as on the review's (one message set, app/auth/scope.server.ts)
    await refused(updateTask(t.db, sup, unassigned, { unitId: otherDeptId, ownerId: deptStaff.id }), 400, /^责任人不属于该责任单位。$/)
    await transitionTask(t.db, sup, unassigned, { action: 'assign', ownerId: staff.id })
  })

  it('lists the items without an owner, which would become 待分派', async () => {
    expect((await unownedItems(t.db, reportId)).map(i => i.title)).toEqual(['信息更新不及时', '解读不够深入', '加强培训'])
    await assignItems(t.db, sup, reportId, [itemIds[1]], { ownerId: staff.id }, NOW)
    expect((await unownedItems(t.db, reportId)).map(i => i.id)).toEqual([itemIds[0], itemIds[2]])
  })

  it('the agency and year are corrected (server-checked), filed under an agency, and the follow-up runs again', async () => {
    await refused(correctReportMetadata(t.db, sup, reportId, { agencyName: '示范市教育局', year: 1999 }, NOW), 400, /年度应为 2000–2026/)
    await refused(correctReportMetadata(t.db, sup, reportId, { agencyName: '示范市教育局', year: 2027 }, NOW), 400, /四位年份/)
    await refused(correctReportMetadata(t.db, sup, reportId, { agencyName: '我局', year: 2018 }, NOW), 400, /完整名称/)
    await refused(correctReportMetadata(t.db, deptStaff, reportId, { agencyName: '示范市教育局', year: 2018 }, NOW), 403, /督办人/)
    await refused(correctReportMetadata(t.db, otherSup, reportId, { agencyName: '示范市教育局', year: 2018 }, NOW), 404, /找不到/)
    await t.db.updateTable('reports').set({ followup_done_at: nowIso() }).where('id', '=', reportId).execute()
    const generation = (await t.db.selectFrom('reports').select('followup_generation').where('id', '=', reportId).executeTakeFirstOrThrow())
      .followup_generation
    const r = await correctReportMetadata(t.db, sup, reportId, { agencyName: '示范市 教育局', year: 2019 }, NOW)
    expect(r.followUps.map(f => f.reportId)).toEqual([reportId])
    const report = await t.db
      .selectFrom('reports')
      .select(['agency_name', 'agency_id', 'year', 'followup_done_at', 'followup_generation', 'agency_confidence'])
      .where('id', '=', reportId)
      .executeTakeFirstOrThrow()
    expect(report).toMatchObject({
      agency_name: '示范市教育局',
      year: 2019,
      followup_done_at: null,
      followup_generation: generation + 1,
      agency_confidence: null,
    })
    const agency = await t.db.selectFrom('agencies').select('name').where('id', '=', report.agency_id!).executeTakeFirstOrThrow()
    expect(agency.name).toBe('示范市教育局')
    // after confirmation it can still be corrected
    await confirmReport(t.db, sup, reportId, NOW)
    await correctReportMetadata(t.db, sup, reportId, { agencyName: '示范市教育局', year: 2018 }, NOW)
    expect((await t.db.selectFrom('reports').select('year').where('id', '=', reportId).executeTakeFirstOrThrow()).year).toBe(2018)
  })
})
