// The ledger (台账) against real databases: what is exported is what the page shows; an edited
// export imports as workflow changes with their events; an unchanged export changes nothing; a file
// with one bad row changes nothing and names the row; scope and roles hold for export and import.
import fs from 'node:fs'
import ExcelJS from 'exceljs'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { newId, nowIso } from '../../db/ids'
import type { DB } from '../../db/db'
import { createUnit, createUser } from '../../app/org/org.server'
import { confirmReport } from '../../app/tasks/tasks.server'
import { transitionTask, updateTask } from '../../app/tasks/workflow.server'
import type { Actor } from '../../app/auth/scope'
import { AppError } from '../../app/errors'
import { LEDGER_HEADERS, rowCells, type LedgerRow } from '../../app/ledger/columns'
import { parseCsv, decodeCsvBytes, writeCsv } from '../../app/ledger/csv'
import { readLedgerTable } from '../../app/ledger/import'
import { exportLedger, importLedger, loadLedger } from '../../app/ledger/ledger.server'
import { readLedgerXlsx } from '../../app/ledger/xlsx.server'
import type { TaskFilters } from '../../app/tasks/queries.server'
import { createTestDb, engines, type TestDb } from '../support/db'
import { request, sessionCookieFor, statusOf, toastOf, useFreshAppDatabase } from '../support/app'

const appDir = useFreshAppDatabase()

interface World {
  sup: Actor
  staff: Actor
  staff2: Actor
  otherSup: Actor
  oversight: Actor
  root: { id: string; path: string }
  dept: { id: string; path: string }
  taskIds: string[]
  otherTaskIds: string[]
}

/** Two unit trees; a report of 4 items (2 problems, 2 plans answering them) confirmed in each. */
async function buildWorld(db: DB): Promise<World> {
  const root = await createUnit(db, { name: '市政务公开办' })
  const dept = await createUnit(db, { name: '市教育局', parentId: root.id })
  const other = await createUnit(db, { name: '邻市政务公开办', parentId: null })
  const mk = async (username: string, displayName: string, role: Actor['role'], unit: { id: string; path: string }) => {
    const { id } = await createUser(db, { username, displayName, password: 'password-1', role, unitId: unit.id })
    return { id, role, unitId: unit.id, unitPath: unit.path }
  }
  const sup = await mk('sup', '张督办', 'supervisor', root)
  const staff = await mk('staff', '李责任', 'staff', dept)
  const staff2 = await mk('staff2', '王小二', 'staff', dept)
  const otherSup = await mk('othersup', '赵外市', 'supervisor', other)
  const oversight = await mk('ov', '钱监督', 'oversight', root)
  const report = async (unit: { id: string }, by: Actor, agency: string) => {
    const reportId = newId()
    const now = nowIso()
    await db
      .insertInto('reports')
      .values({
        id: reportId,
        filename: 'r.txt',
        format: 'txt',
        size_bytes: 1,
        sha256: newId(),
        encoding: 'UTF-8',
        text: 'x',
        status: 'extracted',
        error: null,
        agency_id: null,
        agency_name: agency,
        year: 2024,
        published_at: null,
        title: null,
        unit_id: unit.id,
        uploaded_by: by.id,
        created_at: now,
        updated_at: now,
        processed_at: now,
      })
      .execute()
    const items = [
      [0, 'problem', '政务公开栏目更新不及时，部分信息发布滞后。', '[]'],
      [1, 'problem', '依申请公开答复质量有待提高。', '[]'],
      [2, 'plan', '建立栏目更新台账，每月检查，=确保及时。', '[0]'],
      [3, 'plan', '加强业务培训，规范答复文书，"提高"质量。', '[1]'],
    ] as const
    for (const [seq, kind, text, answers] of items) {
      await db
        .insertInto('report_items')
        .values({
          id: newId(),
          report_id: reportId,
          seq,
          kind,
          title: text.slice(0, 10),
          text,
          start_offset: 0,
          end_offset: 1,
          answers,
          due_date: '2025-12-31',
          created_at: now,
        })
        .execute()
    }
    await confirmReport(db, { ...by, username: '', displayName: '', unitName: '' }, reportId)
    return (
      await db
        .selectFrom('tasks')
        .innerJoin('report_items', 'report_items.id', 'tasks.item_id')
        .select('tasks.id')
        .where('tasks.report_id', '=', reportId)
        .orderBy('report_items.seq')
        .execute()
    ).map(r => r.id)
  }
  const taskIds = await report(root, sup, '示范市教育局')
  const otherTaskIds = await report(other, otherSup, '邻市某局')
  // 0: assigned to 李责任 in 教育局; 1: in 教育局, nobody yet; 2: assigned and submitted; 3: left with the office
  await updateTask(db, sup, taskIds[0], { unitId: dept.id, ownerId: staff.id, dueDate: '2026-12-31' })
  await updateTask(db, sup, taskIds[1], { unitId: dept.id })
  await updateTask(db, sup, taskIds[2], { unitId: dept.id, ownerId: staff.id, dueDate: '2027-06-30' })
  await transitionTask(db, staff, taskIds[2], { action: 'submit', reason: '已完成' })
  return { sup, staff, staff2, otherSup, oversight, root, dept, taskIds, otherTaskIds }
}

async function snapshot(db: DB) {
  return {
    tasks: await db.selectFrom('tasks').selectAll().orderBy('id').execute(),
    events: await db.selectFrom('task_events').selectAll().orderBy('id').execute(),
    reports: await db.selectFrom('reports').select('id').orderBy('id').execute(),
    items: await db.selectFrom('report_items').select('id').orderBy('id').execute(),
  }
}

const cellsOf = (table: string[][]) => readLedgerTable(table).rows.map(r => r.cells as LedgerRow)
const csvFile = (rows: LedgerRow[], filename = '台账.csv') => ({
  filename,
  bytes: new TextEncoder().encode(writeCsv([LEDGER_HEADERS, ...rows.map(rowCells)])),
})

describe.each(engines)('ledger on %s', engine => {
  let t: TestDb
  let w: World

  beforeEach(async () => {
    t = await createTestDb(engine)
    w = await buildWorld(t.db)
  })
  afterEach(() => t.cleanup())

  const exportRows = async (actor: Actor, filters: TaskFilters, format: 'xlsx' | 'csv') => {
    const file = await exportLedger(t.db, actor, filters, format, '2026-11-23')
    const table = format === 'csv' ? parseCsv(decodeCsvBytes(file.body)) : await readLedgerXlsx(file.body)
    return { file, table, rows: cellsOf(table) }
  }
  const taskOf = (id: string) => t.db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  const eventTypes = async (id: string) =>
    (await t.db.selectFrom('task_events').select('type').where('task_id', '=', id).orderBy('created_at').execute()).map(e => e.type)

  it('exports a filter as .xlsx and .csv whose rows are exactly what the ledger page shows', async () => {
    for (const filters of [{}, { unitId: w.dept.id }, { status: ['pending_review' as const] }, { q: '培训' }]) {
      const view = (await loadLedger(t.db, w.sup, filters)).rows.map(r => r.cells)
      const csv = await exportRows(w.sup, filters, 'csv')
      const xlsx = await exportRows(w.sup, filters, 'xlsx')
      expect(csv.table[0]).toEqual(LEDGER_HEADERS)
      expect(xlsx.table[0]).toEqual(LEDGER_HEADERS)
      expect(csv.rows).toEqual(view)
      expect(xlsx.rows).toEqual(view)
    }
    const all = (await loadLedger(t.db, w.sup, {})).rows
    expect(all).toHaveLength(4)
    const plan = all.find(r => r.taskId === w.taskIds[2])!.cells
    expect(plan).toMatchObject({
      problem: '政务公开栏目更新不及时，部分信息发布滞后。',
      measure: '建立栏目更新台账，每月检查，=确保及时。',
      unit: '市教育局',
      owner: '李责任',
      due: '2027-06-30',
      status: '待核验',
      source: '示范市教育局 2024年度报告',
    })
    expect(all.find(r => r.taskId === w.taskIds[0])!.cells.measure).toBe('建立栏目更新台账，每月检查，=确保及时。')
    const { file } = await exportRows(w.sup, {}, 'csv')
    expect(file.filename).toBe('整改台账-2026-11-23.csv')
    expect(Array.from(file.body.slice(0, 3))).toEqual([0xef, 0xbb, 0xbf])
    expect(new TextDecoder().decode(file.body)).toContain('"整改措施"'.slice(1, -1))
    const xlsx = await exportLedger(t.db, w.sup, {}, 'xlsx', '2026-11-23')
    expect(xlsx.filename).toBe('整改台账-2026-11-23.xlsx')
    expect(Array.from(xlsx.body.slice(0, 2))).toEqual([0x50, 0x4b])
  })

  it('an unchanged export imports as no change at all, in both formats', async () => {
    const before = await snapshot(t.db)
    for (const format of ['csv', 'xlsx'] as const) {
      const file = await exportLedger(t.db, w.sup, {}, format)
      const result = await importLedger(t.db, w.sup, { filename: file.filename, bytes: file.body })
      expect(result).toMatchObject({ ok: true, applied: 0, created: 0, updated: 0, unchanged: 4 })
    }
    expect(await snapshot(t.db)).toEqual(before)
  })

  it('an export edited in Excel imports as owner, deadline, progress and status changes, each with its event', async () => {
    const file = await exportLedger(t.db, w.sup, {}, 'xlsx')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(Buffer.from(file.body) as unknown as ExcelJS.Buffer)
    const ws = wb.worksheets[0]
    const col = (header: string) => (ws.getRow(1).values as unknown[]).indexOf(header)
    const rowOf = (taskId: string) => {
      for (let r = 2; r <= ws.rowCount; r++) if (ws.getRow(r).getCell(col('任务编号')).value === taskId) return ws.getRow(r)
      throw new Error('row not found')
    }
    // Task 0: new owner, a deadline typed as a date, progress with a note.
    rowOf(w.taskIds[0]).getCell(col('责任人')).value = '王小二'
    rowOf(w.taskIds[0]).getCell(col('整改时限')).value = new Date(Date.UTC(2027, 2, 31))
    rowOf(w.taskIds[0]).getCell(col('整改进展')).value = '60%：已完成栏目改版'
    // Task 1: gets its first owner, in "name (username)" form.
    rowOf(w.taskIds[1]).getCell(col('责任人')).value = '李责任（staff）'
    // Task 2 (submitted): verified and closed.
    rowOf(w.taskIds[2]).getCell(col('完成情况')).value = '已销号'
    const edited = new Uint8Array(await wb.xlsx.writeBuffer())

    const check = await importLedger(t.db, w.sup, { filename: '台账.xlsx', bytes: edited }, { dryRun: true })
    expect(check).toMatchObject({ ok: true, dryRun: true, created: 0, updated: 3, unchanged: 1 })
    if (!check.ok) throw new Error('unreachable')
    expect(check.preview.find(p => p.changes.some(c => c.after === '王小二'))!.changes).toEqual(
      expect.arrayContaining([
        { column: '责任人', before: '李责任', after: '王小二' },
        { column: '整改时限', before: '2026-12-31', after: '2027-03-31' },
      ]),
    )
    expect((await taskOf(w.taskIds[0])).owner_id).toBe(w.staff.id) // a check changes nothing

    const result = await importLedger(t.db, w.sup, { filename: '台账.xlsx', bytes: edited })
    expect(result).toMatchObject({ ok: true, applied: 3, created: 0, updated: 3 })
    expect(await taskOf(w.taskIds[0])).toMatchObject({ owner_id: w.staff2.id, due_date: '2027-03-31', progress: 60 })
    expect(await eventTypes(w.taskIds[0])).toEqual(['created', 'reassigned', 'reassigned', 'progress'])
    const note = await t.db
      .selectFrom('task_events')
      .select(['note', 'actor_id'])
      .where('task_id', '=', w.taskIds[0])
      .where('type', '=', 'progress')
      .executeTakeFirstOrThrow()
    expect(note).toEqual({ note: '已完成栏目改版', actor_id: w.sup.id })
    expect(await taskOf(w.taskIds[1])).toMatchObject({ owner_id: w.staff.id, status: 'in_progress' })
    expect(await taskOf(w.taskIds[2])).toMatchObject({ status: 'closed', progress: 100 })
    expect((await eventTypes(w.taskIds[2])).at(-1)).toBe('verify')

    // The new state exports and re-imports as no change.
    const again = await exportLedger(t.db, w.sup, {}, 'csv')
    expect(await importLedger(t.db, w.sup, { filename: again.filename, bytes: again.body })).toMatchObject({ ok: true, applied: 0 })
  })

  it('a file with one bad row applies nothing and reports that row and column', async () => {
    const rows = (await exportRows(w.sup, {}, 'csv')).rows
    rows[0] = { ...rows[0], owner: '王小二', progress: '30%：已部署' }
    rows[1] = { ...rows[1], due: '2027-01-15' }
    rows[3] = { ...rows[3], due: '明年年底' } // the bad one: sheet row 5
    rows.push({
      seq: '',
      problem: '新发现的问题',
      measure: '新的整改措施',
      unit: '市教育局',
      owner: '',
      due: '',
      progress: '',
      status: '',
      closedOn: '',
      source: '示范市教育局2025年年度报告',
      taskId: '',
    })
    const before = await snapshot(t.db)
    const result = await importLedger(t.db, w.sup, csvFile(rows))
    expect(result).toEqual({
      ok: false,
      errors: [{ row: 5, column: '整改时限', message: expect.stringContaining('明年年底') }],
      warnings: [],
    })
    expect(await snapshot(t.db)).toEqual(before)

    // Fixed, the same file applies in full, including the new row.
    rows[3] = { ...rows[3], due: '2027年7月31日' }
    const fixed = await importLedger(t.db, w.sup, csvFile(rows))
    expect(fixed).toMatchObject({ ok: true, created: 1, updated: 3 })
    expect(await taskOf(rows[3].taskId)).toMatchObject({ due_date: '2027-07-31' })
  })

  it('a move the status machine refuses (cancel without a reason) names the row and applies nothing; with the reason it applies', async () => {
    const rows = (await exportRows(w.sup, {}, 'csv')).rows
    const at = (id: string) => rows.findIndex(r => r.taskId === id)
    rows[at(w.taskIds[0])] = { ...rows[at(w.taskIds[0])], owner: '王小二' }
    const i = at(w.taskIds[1])
    rows[i] = { ...rows[i], status: '已取消' }
    const before = await snapshot(t.db)
    const result = await importLedger(t.db, w.sup, csvFile(rows))
    expect(result).toMatchObject({ ok: false, errors: [{ row: i + 2, column: '完成情况', message: expect.stringContaining('原因') }] })
    expect(await snapshot(t.db)).toEqual(before)
    rows[i] = { ...rows[i], status: '已取消：与其他任务合并' }
    expect(await importLedger(t.db, w.sup, csvFile(rows))).toMatchObject({ ok: true, updated: 2 })
    const cancel = await t.db
      .selectFrom('task_events')
      .select('note')
      .where('task_id', '=', w.taskIds[1])
      .where('type', '=', 'cancel')
      .executeTakeFirstOrThrow()
    expect(cancel.note).toBe('与其他任务合并')
    expect((await taskOf(w.taskIds[0])).owner_id).toBe(w.staff2.id)
  })

  it('rows without a task number create tasks under a source report of the import, which then export like any other', async () => {
    const newRow = (over: Partial<LedgerRow>): LedgerRow => ({
      seq: '',
      problem: '',
      measure: '',
      unit: '市教育局',
      owner: '',
      due: '',
      progress: '',
      status: '',
      closedOn: '',
      source: '示范市教育局2023年政府信息公开工作年度报告',
      taskId: '',
      ...over,
    })
    const result = await importLedger(
      t.db,
      w.sup,
      csvFile(
        [
          newRow({ problem: '主动公开不够全面', measure: '编制主动公开目录', owner: '李责任', progress: '10%：已起草' }),
          newRow({ problem: '解读材料偏少', due: '2025-06-30' }),
          newRow({ measure: '长期开展培训', status: '长期坚持', source: '' }),
        ],
        '旧台账.csv',
      ),
    )
    expect(result).toMatchObject({ ok: true, created: 3, updated: 0 })
    const view = (await loadLedger(t.db, w.sup, { year: 2023 })).rows
    expect(view.map(r => r.cells)).toEqual([
      expect.objectContaining({
        problem: '主动公开不够全面',
        measure: '编制主动公开目录',
        owner: '李责任',
        due: '2024-12-31',
        progress: '10%：已起草',
        status: expect.stringMatching(/^进行中/),
        source: '示范市教育局 2023年度报告',
      }),
      expect.objectContaining({
        problem: '解读材料偏少',
        measure: '',
        due: '2025-06-30',
        status: expect.stringMatching(/^待分派/),
        source: '示范市教育局 2023年度报告',
      }),
    ])
    const ongoing = (await loadLedger(t.db, w.sup, { status: ['ongoing'] })).rows
    expect(ongoing.map(r => r.cells)).toEqual([
      expect.objectContaining({ measure: '长期开展培训', problem: '', source: '台账导入：旧台账.csv' }),
    ])
    const events = await eventTypes(view[0].taskId)
    expect(events).toEqual(['created', 'reassigned', 'progress'])
    // And the export of it all round-trips.
    const all = await exportLedger(t.db, w.sup, {}, 'xlsx')
    expect(await importLedger(t.db, w.sup, { filename: all.filename, bytes: all.body })).toMatchObject({
      ok: true,
      applied: 0,
      unchanged: 7,
    })
  })

  it('oversight may export but not import; staff may not export', async () => {
    expect((await loadLedger(t.db, w.oversight, {})).rows).toHaveLength(4)
    await expect(exportLedger(t.db, w.oversight, {}, 'csv')).resolves.toBeTruthy()
    const file = await exportLedger(t.db, w.oversight, {}, 'csv')
    const before = await snapshot(t.db)
    const err = await importLedger(t.db, w.oversight, { filename: file.filename, bytes: file.body }).catch(e => e)
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).status).toBe(403)
    expect(((await exportLedger(t.db, w.staff, {}, 'csv').catch(e => e)) as AppError).status).toBe(403)
    expect(await snapshot(t.db)).toEqual(before)
  })

  it('a supervisor of another unit neither exports nor updates tasks outside their subtree', async () => {
    const theirs = (await exportRows(w.otherSup, {}, 'csv')).rows
    expect(theirs.map(r => r.taskId).sort()).toEqual([...w.otherTaskIds].sort())
    expect((await exportRows(w.otherSup, { unitId: w.dept.id }, 'csv')).rows).toEqual([])
    // Our export, edited and imported by them: every row is refused, nothing changes.
    const ours = (await exportRows(w.sup, {}, 'csv')).rows.map(r => ({ ...r, due: '2030-01-01' }))
    const before = await snapshot(t.db)
    const result = await importLedger(t.db, w.otherSup, csvFile(ours))
    expect(result.ok).toBe(false)
    if (result.ok) throw new Error('unreachable')
    expect(result.errors.map(e => [e.row, e.column])).toEqual([2, 3, 4, 5].map(r => [r, '任务编号']))
    // Nor can they create tasks in our units.
    // (a row without an owner: the unit is what must be refused; rows are in deadline order, which confirmation now sets from today)
    const create = await importLedger(t.db, w.otherSup, csvFile([{ ...ours.find(r => !r.owner)!, taskId: '', unit: '市教育局' }]))
    expect(create).toMatchObject({ ok: false, errors: [{ row: 2, column: '责任单位' }] })
    expect(await snapshot(t.db)).toEqual(before)
  })

  it('refuses files that are not a ledger', async () => {
    const bad = async (filename: string, bytes: Uint8Array, status: number) => {
      const err = await importLedger(t.db, w.sup, { filename, bytes }).catch(e => e)
      expect(err).toBeInstanceOf(AppError)
      expect((err as AppError).status).toBe(status)
    }
    await bad('a.pdf', new Uint8Array([1]), 415)
    await bad('a.xlsx', new TextEncoder().encode('not a zip'), 400)
    await bad('a.csv', new Uint8Array(6 * 1024 * 1024), 413)
    expect(await importLedger(t.db, w.sup, { filename: 'a.csv', bytes: new TextEncoder().encode('名称,数量\n甲,1') })).toMatchObject({
      ok: false,
      errors: [{ row: 1 }],
    })
  })
})

describe('ledger routes', () => {
  type RouteModule = { loader: (a: any) => Promise<any>; action?: (a: any) => Promise<any> }
  let page: RouteModule
  let exporter: RouteModule
  let cookies: Record<string, string>
  let w: World
  let appDb: DB

  beforeAll(async () => {
    const { db } = await import('../../app/db.server')
    const { migrateToLatest } = await import('../../db/db')
    appDb = db
    await migrateToLatest(db)
    w = await buildWorld(db)
    cookies = {}
    for (const [name, actor] of Object.entries({ sup: w.sup, staff: w.staff, oversight: w.oversight, otherSup: w.otherSup }))
      cookies[name] = await sessionCookieFor(actor.id)
    page = await import('../../app/routes/_app.ledger')
    exporter = await import('../../app/routes/ledger.export')
  })
  afterAll(() => fs.rmSync(appDir, { recursive: true, force: true }))

  const multipart = (cookie: string, fields: Record<string, string | File>) => {
    const form = new FormData()
    for (const [k, v] of Object.entries(fields)) form.append(k, v)
    return new Request('http://localhost/ledger', { method: 'POST', headers: { Cookie: cookie }, body: form })
  }
  const call = (m: RouteModule, req: Request) => m.loader({ request: req, params: {}, context: {} })

  it('the page filters by the query string and the export link gives the same rows, with a UTF-8 file name', async () => {
    const res: Response = await call(page, request(`/ledger?unit=${w.dept.id}&status=in_progress`, { cookie: cookies.sup }))
    const data = await res.json()
    expect(data.rows.map((r: { taskId: string }) => r.taskId).sort()).toEqual([w.taskIds[0]].sort())
    expect(data.canImport).toBe(true)
    const file: Response = await call(exporter, request(`/ledger/export?format=csv&${data.search}`, { cookie: cookies.sup }))
    expect(file.status).toBe(200)
    expect(file.headers.get('Content-Type')).toContain('text/csv')
    expect(file.headers.get('Content-Disposition')).toMatch(
      /^attachment; filename="ledger-\d{4}-\d{2}-\d{2}\.csv"; filename\*=UTF-8''%E6%95%B4%E6%94%B9%E5%8F%B0%E8%B4%A6-\d{4}-\d{2}-\d{2}\.csv$/,
    )
    const rows = cellsOf(parseCsv(decodeCsvBytes(new Uint8Array(await file.arrayBuffer()))))
    expect(rows).toEqual(data.rows.map((r: { cells: LedgerRow }) => r.cells))
    expect(await statusOf(() => call(exporter, request('/ledger/export?format=pdf', { cookie: cookies.sup })))).toBe(400)
  })

  it('check, then confirm: the supervisor imports through the page', async () => {
    const file: Response = await call(exporter, request('/ledger/export?format=xlsx', { cookie: cookies.sup }))
    const bytes = new Uint8Array(await file.arrayBuffer())
    const rows = cellsOf(await readLedgerXlsx(bytes))
    const i = rows.findIndex(r => r.taskId === w.taskIds[1])
    rows[i] = { ...rows[i], owner: '王小二', due: '2027-02-28' }
    const csv = csvFile(rows)
    const checked = await page.action!({
      request: multipart(cookies.sup, { intent: 'check', file: new File([csv.bytes], '台账.csv', { type: 'text/csv' }) }),
      params: {},
      context: {},
    })
    const preview = await checked.json()
    expect(preview).toMatchObject({ stage: 'preview', updated: 1, created: 0 })
    expect(
      (await appDb.selectFrom('tasks').select('owner_id').where('id', '=', w.taskIds[1]).executeTakeFirstOrThrow()).owner_id,
    ).toBeNull()
    const applied = await page.action!({
      request: multipart(cookies.sup, { intent: 'apply', payload: preview.payload, filename: preview.filename }),
      params: {},
      context: {},
    })
    expect(applied.status).toBe(302)
    expect(toastOf(applied)).toBe('导入完成：新建 0 条，更新 1 条。')
    expect(
      await appDb.selectFrom('tasks').select(['owner_id', 'due_date']).where('id', '=', w.taskIds[1]).executeTakeFirstOrThrow(),
    ).toEqual({ owner_id: w.staff2.id, due_date: '2027-02-28' })

    const bad = csvFile([{ ...rows[0], owner: '不存在的人' }])
    const refused = await page.action!({
      request: multipart(cookies.sup, { intent: 'check', file: new File([bad.bytes], '台账.csv') }),
      params: {},
      context: {},
    })
    expect(refused.status).toBe(400)
    expect(await refused.json()).toMatchObject({ stage: 'invalid', errors: [{ row: 2, column: '责任人' }] })
  })

  it('oversight sees and exports the ledger, but the import action answers 403 and changes nothing; staff cannot export', async () => {
    expect(await statusOf(() => call(page, request('/ledger', { cookie: cookies.oversight })))).toBe(200)
    expect(await statusOf(() => call(exporter, request('/ledger/export?format=xlsx', { cookie: cookies.oversight })))).toBe(200)
    const file: Response = await call(exporter, request('/ledger/export?format=csv', { cookie: cookies.oversight }))
    const body = new Uint8Array(await file.arrayBuffer())
    const before = await snapshot(appDb)
    for (const intent of ['check', 'apply']) {
      const req = multipart(cookies.oversight, {
        intent,
        file: new File([body], '台账.csv'),
        payload: Buffer.from(body).toString('base64'),
        filename: '台账.csv',
      })
      expect(await statusOf(() => page.action!({ request: req, params: {}, context: {} }))).toBe(403)
    }
    expect(
      await statusOf(() =>
        page.action!({
          request: multipart(cookies.staff, { intent: 'check', file: new File([body], '台账.csv') }),
          params: {},
          context: {},
        }),
      ),
    ).toBe(403)
    expect(await statusOf(() => call(exporter, request('/ledger/export?format=csv', { cookie: cookies.staff })))).toBe(403)
    expect(await statusOf(() => call(exporter, request('/ledger/export?format=csv')))).toBe(302)
    expect(await snapshot(appDb)).toEqual(before)
  })
})
