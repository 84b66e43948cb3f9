import { describe, expect, it } from 'vitest'
import { LEDGER_HEADERS, rowCells, type LedgerRow } from './columns'
import { decodeCsvBytes, neutraliseFormula, parseCsv, restoreFormula, writeCsv } from './csv'
import { ledgerSearch, readLedgerQuery, toTaskFilters } from './filters'
import {
  actionBetween,
  checkNewTaskTexts,
  editedTextColumn,
  parseLedgerDate,
  parseLedgerProgress,
  parseLedgerStatus,
  planDueCell,
  planLedgerImport,
  planOwnerCell,
  planProgressCell,
  planStatusCell,
  planTaskIdCell,
  planUnitCell,
  readLedgerTable,
  unitsByNameOf,
  type CurrentTask,
  type LedgerContext,
} from './import'
import { buildLedgerRows, type LedgerTask } from './rows'

describe('csv', () => {
  it('writes UTF-8 with a BOM, RFC 4180 quoting and CRLF, and reads it back', () => {
    const rows = [LEDGER_HEADERS as string[], ['1', '含有,逗号', '含有"引号"', '多行\n文本', '', '=SUM(A1)', '-1', '@cmd', '+x', '普通']]
    const text = writeCsv(rows)
    expect(text.startsWith('\uFEFF')).toBe(true)
    expect(text).toContain('"含有,逗号","含有""引号""","多行\n文本"')
    expect(text.endsWith('\r\n')).toBe(true)
    const back = parseCsv(text).map(r => r.map(restoreFormula))
    expect(back).toEqual(rows)
  })

  it('defuses cells a spreadsheet would run as formulas', () => {
    for (const v of ['=1+1', '+1', '-1', '@SUM(1)', '\tx']) expect(neutraliseFormula(v)).toBe(`'${v}`)
    expect(neutraliseFormula('整改')).toBe('整改')
    expect(parseCsv(writeCsv([['=HYPERLINK("http://x")']]))[0][0]).toBe(`'=HYPERLINK("http://x")`)
    expect(restoreFormula("'it's")).toBe("'it's")
  })

  it('reads GB18030 (Excel on a Chinese Windows), UTF-16 and tab-separated files', () => {
    const gbk = new Uint8Array([0xd5, 0xfb, 0xb8, 0xc4, 0x2c, 0xce, 0xca, 0xcc, 0xe2]) // 整改,问题
    expect(parseCsv(decodeCsvBytes(gbk))).toEqual([['整改', '问题']])
    const utf16 = new Uint8Array([0xff, 0xfe, ...Array.from('序号\t问题').flatMap(c => [c.charCodeAt(0) & 0xff, c.charCodeAt(0) >> 8])])
    expect(parseCsv(decodeCsvBytes(utf16))).toEqual([['序号', '问题']])
  })

  it('handles empty cells, LF line ends and a missing final newline', () => {
    expect(parseCsv('a,,b\n,c\nd')).toEqual([['a', '', 'b'], ['', 'c'], ['d']])
    expect(() => parseCsv('"open')).toThrow()
  })
})

const task = (over: Partial<LedgerTask>): LedgerTask => ({
  id: 't1',
  kind: 'problem',
  title: '问题一',
  text: '问题一',
  status: 'in_progress',
  due_date: '2025-12-31',
  progress: 0,
  closed_at: null,
  report_id: 'r1',
  item_seq: 0,
  item_answers: '[]',
  unit_name: '市教育局',
  owner_name: '李四',
  agency_name: '某局',
  report_year: 2024,
  report_filename: 'r.txt',
  overdueDays: null,
  ...over,
})

describe('ledger rows', () => {
  const items = [
    { report_id: 'r1', seq: 0, kind: 'problem' as const, text: '问题一', answers: '[]' },
    { report_id: 'r1', seq: 1, kind: 'plan' as const, text: '措施一', answers: '[0]' },
    { report_id: 'r1', seq: 2, kind: 'plan' as const, text: '措施二', answers: '[0]' },
    { report_id: 'r1', seq: 3, kind: 'plan' as const, text: '无对应', answers: '[]' },
  ]
  it('pairs a problem with the plans that answer it, and a plan with its problem', () => {
    const rows = buildLedgerRows(
      [
        task({}),
        task({
          id: 't2',
          kind: 'plan',
          text: '措施一',
          item_seq: 1,
          item_answers: '[0]',
          progress: 60,
          status: 'closed',
          closed_at: '2025-06-30T17:00:00Z',
        }),
        task({ id: 't3', kind: 'plan', text: '无对应', item_seq: 3, owner_name: null, due_date: null, overdueDays: 3 }),
      ],
      items,
      new Map([['t2', '已完成栏目改版']]),
    )
    expect(rows.map(r => r.cells.seq)).toEqual(['1', '2', '3'])
    expect(rows[0].cells).toMatchObject({
      problem: '问题一',
      measure: '措施一\n措施二',
      status: '进行中',
      source: '某局 2024年度报告',
      progress: '',
    })
    expect(rows[1].cells).toMatchObject({
      problem: '问题一',
      measure: '措施一',
      progress: '60%：已完成栏目改版',
      status: '已销号',
      closedOn: '2025-07-01',
    })
    expect(rows[2].cells).toMatchObject({ problem: '', owner: '', due: '', status: '进行中（逾期 3 天）', taskId: 't3' })
    expect(rowCells(rows[0].cells)).toHaveLength(LEDGER_HEADERS.length)
  })
})

describe('ledger filters', () => {
  it('reads the query string and writes it back for export links', () => {
    const q = readLedgerQuery(new URLSearchParams('status=closed&status=bogus&unit=u1&year=2024&overdue=1&q=%20网站%20&owner='))
    expect(q).toEqual({ status: ['closed'], unit: 'u1', owner: '', year: '2024', overdue: '1', q: '网站' })
    expect(toTaskFilters(q)).toEqual({ status: ['closed'], unitId: 'u1', year: 2024, overdue: true, q: '网站' })
    expect(readLedgerQuery(new URLSearchParams(ledgerSearch(q)))).toEqual(q)
    expect(toTaskFilters(readLedgerQuery(new URLSearchParams('year=abc&overdue=x')))).toEqual({})
  })
})

describe('cell parsers', () => {
  it('dates in the forms people type', () => {
    for (const s of ['2025-12-31', '2025/12/31', '2025.12.31', '2025年12月31日', '20251231', ' 2025-12-31 '])
      expect(parseLedgerDate(s)).toEqual({ ok: true, value: '2025-12-31' })
    expect(parseLedgerDate('2025-2-3')).toEqual({ ok: true, value: '2025-02-03' })
    expect(parseLedgerDate('')).toEqual({ ok: true, value: null })
    for (const s of ['2025-02-30', '明年底', '31/12/2025', '2025-13-01']) expect(parseLedgerDate(s).ok).toBe(false)
  })
  it('statuses, with the overdue note ignored and a reason after a colon', () => {
    expect(parseLedgerStatus('进行中（逾期 12 天）')).toEqual({ ok: true, status: 'in_progress', reason: null })
    expect(parseLedgerStatus('已取消：机构撤并')).toEqual({ ok: true, status: 'cancelled', reason: '机构撤并' })
    expect(parseLedgerStatus('已完成')).toEqual({ ok: true, status: 'closed', reason: null })
    expect(parseLedgerStatus('')).toEqual({ ok: true, status: null, reason: null })
    expect(parseLedgerStatus('差不多了').ok).toBe(false)
  })
  it('progress as percentage and note', () => {
    expect(parseLedgerProgress('60%：已完成栏目改版')).toEqual({ ok: true, progress: 60, note: '已完成栏目改版' })
    expect(parseLedgerProgress('80％')).toEqual({ ok: true, progress: 80, note: '' })
    expect(parseLedgerProgress('45')).toEqual({ ok: true, progress: 45, note: '' })
    expect(parseLedgerProgress('已召开专题会')).toEqual({ ok: true, progress: null, note: '已召开专题会' })
    expect(parseLedgerProgress('150%').ok).toBe(false)
  })
  it('maps a status change to the one move of the status machine', () => {
    expect(actionBetween('pending_review', 'closed')).toBe('verify')
    expect(actionBetween('pending_review', 'in_progress')).toBe('return')
    expect(actionBetween('closed', 'in_progress')).toBe('reopen')
    expect(actionBetween('in_progress', 'closed')).toBeNull()
  })
})

describe('reading a sheet', () => {
  it('finds the header under a title line, maps aliases, skips blank rows and numbers rows as the sheet does', () => {
    const { rows, errors } = readLedgerTable([
      ['2025年整改台账'],
      ['序号', '存在问题', '整改措施', '责任部门', '整改时限（截止日期）'],
      ['1', 'p', 'm', '单位', '2025-12-31'],
      ['', '', '', '', ''],
      ['2', "'=x", '', '单位', ''],
    ])
    expect(errors).toEqual([])
    expect(rows).toEqual([
      { row: 3, cells: { seq: '1', problem: 'p', measure: 'm', unit: '单位', due: '2025-12-31' } },
      { row: 5, cells: { seq: '2', problem: '=x', measure: '', unit: '单位', due: '' } },
    ])
  })
  it('reports a file without a header, or with a column twice', () => {
    expect(readLedgerTable([['a', 'b']]).errors[0]).toMatchObject({ row: 1 })
    expect(readLedgerTable([['问题', '责任单位', '责任单位']]).errors[0]).toMatchObject({ row: 1, column: '责任单位' })
  })
})

describe('planning an import', () => {
  const actor = { id: 'sup', role: 'supervisor' as const, unitId: 'root', unitPath: '/root/' }
  const units = [
    { id: 'root', name: '政务公开办', path: '/root/' },
    { id: 'edu', name: '教育局', path: '/root/edu/' },
    { id: 'dup1', name: '办公室', path: '/root/edu/dup1/' },
    { id: 'dup2', name: '办公室', path: '/root/dup2/' },
  ]
  const users = [
    { id: 'u-li', username: 'lisi', display_name: '李四', unit_path: '/root/edu/' },
    { id: 'u-zh1', username: 'zhang1', display_name: '张伟', unit_path: '/root/edu/' },
    { id: 'u-zh2', username: 'zhang2', display_name: '张伟', unit_path: '/root/edu/' },
    { id: 'u-wang', username: 'wang', display_name: '王五', unit_path: '/root/' },
  ]
  const current = (over: Partial<CurrentTask> = {}): CurrentTask => ({
    id: 't1',
    status: 'in_progress',
    unit_id: 'edu',
    unit_name: '教育局',
    unit_path: '/root/edu/',
    owner_id: 'u-li',
    owner_name: '李四',
    due_date: '2025-12-31',
    progress: 20,
    latest_note: '启动',
    problem: '问题',
    measure: '措施',
    ...over,
  })
  const ctx = (tasks: CurrentTask[] = [current()]): LedgerContext => ({ actor, units, users, tasks: new Map(tasks.map(t => [t.id, t])) })
  const row = (cells: Record<string, string>, n = 2) => ({
    row: n,
    cells: {
      problem: '问题',
      measure: '措施',
      unit: '教育局',
      owner: '李四',
      due: '2025-12-31',
      progress: '20%：启动',
      status: '进行中',
      taskId: 't1',
      ...cells,
    },
  })

  it('an unchanged row changes nothing, even with the overdue note and the derived columns', () => {
    const plan = planLedgerImport(
      [row({ status: '进行中（逾期 3 天）', seq: '7', closedOn: '', source: '随便' } as Record<string, string>)],
      ctx(),
    )
    expect(plan).toEqual({ rows: [{ row: 2, kind: 'unchanged', taskId: 't1' }], errors: [], warnings: [] })
  })

  it('plans edits as workflow steps, in order', () => {
    const plan = planLedgerImport([row({ owner: '王五', unit: '政务公开办', due: '2026/6/30', progress: '60%：完成改版' })], ctx())
    expect(plan.errors).toEqual([])
    expect(plan.rows[0]).toMatchObject({
      kind: 'update',
      steps: [
        { op: 'update', patch: { unitId: 'root', ownerId: 'u-wang', dueDate: '2026-06-30' } },
        { op: 'progress', progress: 60, note: '完成改版' },
      ],
    })
    expect((plan.rows[0] as { changes: unknown[] }).changes).toContainEqual({ column: '责任人', before: '李四', after: '王五' })
  })

  it('verifies a submitted task and reopens a closed one before editing it', () => {
    expect(planLedgerImport([row({ status: '已销号' })], ctx([current({ status: 'pending_review' })])).rows[0]).toMatchObject({
      steps: [{ op: 'transition', action: 'verify' }],
    })
    const reopened = planLedgerImport([row({ status: '进行中', due: '2026-12-31' })], ctx([current({ status: 'closed' })]))
    expect(reopened.errors).toEqual([])
    expect(reopened.rows[0]).toMatchObject({
      steps: [
        { op: 'transition', action: 'reopen' },
        { op: 'update', patch: { dueDate: '2026-12-31' } },
      ],
    })
  })

  it('reports every bad cell with its row and column', () => {
    const plan = planLedgerImport(
      [
        row({ owner: '赵六', taskId: 'a' }, 2),
        row({ owner: '张伟', taskId: 'b' }, 3),
        row({ due: '年底', taskId: 'c' }, 4),
        row({ status: '已销号', taskId: 'd' }, 5),
        row({ unit: '办公室', taskId: 'e' }, 6),
        row({ taskId: 'nope' }, 7),
        row({ taskId: 'a' }, 8),
        row({ status: '已取消', taskId: 'f' }, 9),
        row({ owner: '李四', taskId: 'g' }, 10),
      ],
      ctx(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map(id => current({ id }))),
    )
    expect(plan.errors.map(e => [e.row, e.column])).toEqual([
      [2, '责任人'],
      [3, '责任人'],
      [4, '整改时限'],
      [5, '完成情况'],
      [6, '责任单位'],
      [7, '任务编号'],
      [8, '任务编号'],
      [9, '完成情况'],
    ])
    expect(plan.rows).toEqual([{ row: 10, kind: 'unchanged', taskId: 'g' }])
    expect(plan.errors.find(e => e.row === 3)!.message).toContain('姓名（用户名）')
    expect(plan.errors.find(e => e.row === 5)!.message).toContain('不能从“进行中”直接改为“已销号”')
    expect(plan.errors.find(e => e.row === 8)!.message).toContain('第 2 行重复')
    // 王五 is in scope but not in 教育局
    expect(planLedgerImport([row({ owner: '王五' })], ctx()).errors[0]).toMatchObject({
      column: '责任人',
      message: expect.stringContaining('不属于'),
    })
    expect(planLedgerImport([row({ owner: '张伟（zhang2）' })], ctx()).rows[0]).toMatchObject({
      steps: [{ op: 'update', patch: { ownerId: 'u-zh2' } }],
    })
  })

  describe('one function per column', () => {
    // Each returns what its cell asks for and reports a bad cell through `fail`, as planLedgerImport collects them.
    const failures = () => {
      const got: [string, string][] = []
      return { got, fail: (key: string, message: string) => void got.push([key, message]) }
    }

    it('任务编号: the task named, once; an unknown or repeated id fails', () => {
      const seen = new Map<string, number>()
      const { got, fail } = failures()
      const tasks = ctx().tasks
      expect(planTaskIdCell('', 2, seen, tasks, fail)).toBeUndefined()
      expect(planTaskIdCell('t1', 2, seen, tasks, fail)?.id).toBe('t1')
      planTaskIdCell('t1', 3, seen, tasks, fail)
      expect(planTaskIdCell('nope', 4, seen, tasks, fail)).toBeUndefined()
      expect(got.map(([k, m]) => [k, m.includes('第 2 行重复')])).toEqual([
        ['taskId', true],
        ['taskId', false],
      ])
    })

    it("责任单位: by name in scope; unchanged keeps the task's, a new task defaults to the actor's", () => {
      const byName = unitsByNameOf(units)
      const { got, fail } = failures()
      expect(planUnitCell('政务公开办', current(), ctx(), byName, fail)?.id).toBe('root')
      expect(planUnitCell(undefined, current(), ctx(), byName, fail)?.id).toBe('edu')
      expect(planUnitCell(undefined, undefined, ctx(), byName, fail)?.id).toBe('root')
      expect(planUnitCell('办公室', current(), ctx(), byName, fail)?.id).toBe('edu')
      planUnitCell('', current(), ctx(), byName, fail)
      planUnitCell('不存在', current(), ctx(), byName, fail)
      expect(got.map(([k]) => k)).toEqual(['unit', 'unit', 'unit'])
    })

    it('责任人: by name or username within the unit; an emptied cell unassigns', () => {
      const edu = units[1]
      const { got, fail } = failures()
      expect(planOwnerCell('王五', current(), units[0], users, fail)).toEqual({ ownerId: 'u-wang', ownerLabel: '王五' })
      expect(planOwnerCell('张伟（zhang2）', current(), edu, users, fail).ownerId).toBe('u-zh2')
      expect(planOwnerCell('', current(), edu, users, fail).ownerId).toBeNull()
      expect(planOwnerCell('李四', current(), edu, users, fail).ownerId).toBeUndefined()
      expect(planOwnerCell(undefined, current(), edu, users, fail).ownerId).toBeUndefined()
      planOwnerCell('张伟', current(), edu, users, fail)
      planOwnerCell('王五', current(), edu, users, fail)
      expect(got.map(([k]) => k)).toEqual(['owner', 'owner'])
    })

    it('整改时限: a changed date, normalised; the same or a missing one leaves it', () => {
      const { got, fail } = failures()
      expect(planDueCell('2026/6/30', current(), fail)).toBe('2026-06-30')
      expect(planDueCell('2025年12月31日', current(), fail)).toBeUndefined()
      expect(planDueCell('', current(), fail)).toBeNull()
      expect(planDueCell(undefined, current(), fail)).toBeUndefined()
      expect(planDueCell('年底', current(), fail)).toBeUndefined()
      expect(got.map(([k]) => k)).toEqual(['due'])
    })

    it('整改进展: a new percentage or note to post; the exported cell posts nothing', () => {
      const { got, fail } = failures()
      expect(planProgressCell('60%：完成改版', current(), fail)).toEqual({ progress: 60, note: '完成改版' })
      expect(planProgressCell('又开了一次会', current(), fail)).toEqual({ progress: 20, note: '又开了一次会' })
      expect(planProgressCell('20%：启动', current(), fail)).toBeUndefined()
      expect(planProgressCell('150%', current(), fail)).toBeUndefined()
      expect(got.map(([k]) => k)).toEqual(['progress'])
    })

    it('完成情况: a changed status is a move asked for, with its reason', () => {
      const { got, fail } = failures()
      expect(planStatusCell('已取消：重复', current(), fail)).toEqual({ target: 'cancelled', reason: '重复' })
      expect(planStatusCell('进行中（逾期 3 天）', current(), fail)).toEqual({ target: null, reason: null })
      expect(planStatusCell('不知道', current(), fail)).toEqual({ target: null, reason: null })
      expect(got.map(([k]) => k)).toEqual(['status'])
    })

    it("问题 and 整改措施: an edit of a known task's text is named; a new task needs a text and a starting status", () => {
      expect(editedTextColumn({ problem: '问题', measure: '改了' }, current())).toBe('measure')
      expect(editedTextColumn({ problem: '改了' }, current())).toBe('problem')
      expect(editedTextColumn({ problem: '问题', measure: '措施' }, current())).toBeNull()
      expect(editedTextColumn({ problem: '新' }, undefined)).toBeNull()
      const { got, fail } = failures()
      checkNewTaskTexts({ problem: '新问题' }, 'in_progress', fail)
      expect(got).toEqual([])
      checkNewTaskTexts({ problem: '', measure: '' }, 'closed', fail)
      expect(got.map(([k]) => k)).toEqual(['problem', 'status'])
    })
  })

  it('new rows create tasks: a plan with its problem, the default deadline from the source year', () => {
    const plan = planLedgerImport(
      [
        {
          row: 2,
          cells: {
            problem: '公开不及时',
            measure: '建立台账',
            unit: '教育局',
            owner: '李四',
            due: '',
            progress: '',
            status: '',
            source: '教育局2023年年度报告',
            taskId: '',
          },
        },
      ],
      ctx([]),
    )
    expect(plan.errors).toEqual([])
    expect(plan.rows[0]).toMatchObject({
      kind: 'create',
      create: {
        kind: 'plan',
        problem: '公开不及时',
        text: '建立台账',
        unitId: 'edu',
        dueDate: '2024-12-31',
        source: '教育局2023年年度报告',
      },
      steps: [{ op: 'update', patch: { ownerId: 'u-li' } }],
    })
    const problemOnly = planLedgerImport([{ row: 2, cells: { problem: '公开不及时', unit: '', due: '2026-3-1', source: '' } }], ctx([]))
    expect(problemOnly.rows[0]).toMatchObject({
      kind: 'create',
      create: { kind: 'problem', unitId: 'root', dueDate: '2026-03-01' },
      steps: [],
    })
    expect(planLedgerImport([{ row: 2, cells: { problem: '', measure: '', unit: '教育局' } }], ctx([])).errors[0]).toMatchObject({
      row: 2,
      column: '问题',
    })
    expect(planLedgerImport([{ row: 2, cells: { problem: 'x', status: '已销号' } }], ctx([])).errors[0]).toMatchObject({
      column: '完成情况',
    })
  })

  it('warns (without failing) when the report texts were edited', () => {
    const plan = planLedgerImport([row({ measure: '改过的措施' })], ctx())
    expect(plan.errors).toEqual([])
    expect(plan.warnings).toEqual([{ row: 2, column: '整改措施', message: expect.stringContaining('不会修改') }])
  })

  it('a missing column leaves that field alone; an empty owner cell unassigns', () => {
    const { taskId, problem, measure } = row({}).cells
    expect(planLedgerImport([{ row: 2, cells: { taskId, problem, measure } }], ctx()).rows[0].kind).toBe('unchanged')
    expect(planLedgerImport([row({ owner: '' })], ctx()).rows[0]).toMatchObject({
      steps: [{ op: 'update', patch: { ownerId: null } }],
      changes: expect.arrayContaining([{ column: '完成情况', before: '进行中', after: '待分派' }]),
    })
  })
})

describe('the exported cells survive a round trip through CSV', () => {
  it('every column', () => {
    const cells: LedgerRow = {
      seq: '1',
      problem: '"引号",逗号\n换行',
      measure: '=不是公式',
      unit: '教育局',
      owner: '李四',
      due: '2025-12-31',
      progress: '60%：说明',
      status: '进行中',
      closedOn: '',
      source: '某局 2024年度报告',
      taskId: 'abc',
    }
    const text = writeCsv([LEDGER_HEADERS as string[], rowCells(cells)])
    const read = readLedgerTable(parseCsv(decodeCsvBytes(new TextEncoder().encode(text))))
    expect(read.rows[0].cells).toEqual(cells)
  })
})
