// Oversight figures on a generated data set with known answers: agencies, reports, items, tasks,
// return events and follow-up suggestions are generated from a seeded random source, the expected
// figures are counted here straight from the generated arrays, and the overview, the agency page
// and compliance must equal them, on SQLite and PostgreSQL, before and after the changes people make
// (a return, confirmed or withdrawn suggestions, an agency merge, a new deadline or unit). Plus scope:
// another tree's supervisor sees none of it, staff are refused.
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DB } from '../../db/db'
import type { TaskStatus } from '../../db/schema'
import { AppError } from '../../app/errors'
import { decideSuggestion } from '../../app/followup/suggestions.server'
import { exportOversightTable } from '../../app/oversight/export.server'
import { readOversightQuery } from '../../app/oversight/filters'
import { agency, compliance, overview, recurringBoard } from '../../app/oversight/oversight.server'
import { transitionTask } from '../../app/tasks/workflow.server'
import type { Actor } from '../../app/auth/scope'
import { createTestDb, engines, type TestDb } from '../support/db'

const TODAY = '2024-06-15'
const YEARS = [2018, 2019, 2020, 2021, 2022, 2023]
const OPEN: TaskStatus[] = ['unassigned', 'in_progress', 'pending_review']
const STATUSES: TaskStatus[] = ['unassigned', 'in_progress', 'pending_review', 'closed', 'closed', 'ongoing', 'cancelled']

// ─── The generated data set ─────────────────────────────────────────────────────────────────────

const UNITS = [
  { id: 'ua', path: '/ua/' },
  { id: 'ua1', path: '/ua/ua1/' },
  { id: 'ua11', path: '/ua/ua1/ua11/' },
  { id: 'ua2', path: '/ua/ua2/' },
  { id: 'ub', path: '/ub/' },
  { id: 'ub1', path: '/ub/ub1/' },
]
const pathOf = (unitId: string) => UNITS.find(u => u.id === unitId)!.path
const AGENCIES = [
  { id: 'a1', name: '甲市教育局', gov: false, unit: 'ua' },
  { id: 'a2', name: '甲市卫生健康委员会', gov: false, unit: 'ua1' },
  { id: 'a3', name: '甲市人民政府', gov: true, unit: 'ua' },
  { id: 'a4', name: '乙县教育局', gov: false, unit: 'ua2' },
  { id: 'a5', name: '乙县人民政府', gov: true, unit: 'ua11' },
  { id: 'a6', name: '丙区审计局', gov: false, unit: 'ub' },
]

interface GReport {
  id: string
  agencyId: string | null
  year: number
  unit: string
  status: 'extracted' | 'confirmed'
  publishedAt: string | null
}
interface GItem {
  id: string
  reportId: string
  kind: 'problem' | 'plan'
  seq: number
}
interface GTask {
  id: string
  reportId: string
  itemId: string
  kind: 'problem' | 'plan'
  unit: string
  status: TaskStatus
  due: string | null
  createdAt: string
  closedAt: string | null
  owner: string | null
}
interface GEvent {
  id: string
  taskId: string
  type: string
}
interface GSuggestion {
  id: string
  kind: 'evidence' | 'recurring'
  earlierReport: string
  laterReport: string
  earlierItem: string
  laterItem: string | null
  status: 'pending' | 'confirmed' | 'rejected'
}

function generate() {
  let seed = 7
  const rand = () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]
  const reports: GReport[] = []
  const items: GItem[] = []
  const tasks: GTask[] = []
  const events: GEvent[] = []
  const suggestions: GSuggestion[] = []
  let n = 0
  const id = (p: string) => `${p}${++n}`
  const addReport = (agencyId: string | null, year: number, unit: string, gov: boolean) => {
    const deadline = year >= 2019 && !gov ? `${year + 1}-01-31` : `${year + 1}-03-31`
    const when = rand()
    const publishedAt =
      when < 0.55
        ? `${year + 1}-01-${String(5 + Math.floor(rand() * 20)).padStart(2, '0')}`
        : when < 0.8
          ? deadline.endsWith('01-31')
            ? `${year + 1}-02-20`
            : `${year + 1}-04-10`
          : when < 0.9
            ? `${year + 1}-03-15`
            : null
    const r: GReport = { id: id('r'), agencyId, year, unit, status: rand() < 0.8 ? 'confirmed' : 'extracted', publishedAt }
    reports.push(r)
    const problems = Math.floor(rand() * 6)
    const plans = Math.floor(rand() * 6)
    const tree = UNITS.filter(u => u.path.startsWith(`/${pathOf(unit).split('/')[1]}/`)).map(u => u.id)
    for (let s = 0; s < problems + plans; s++) {
      const item: GItem = { id: id('i'), reportId: r.id, kind: s < problems ? 'problem' : 'plan', seq: s }
      items.push(item)
      if (r.status !== 'confirmed') continue
      const status = pick(STATUSES)
      const due = pick([`${year + 1}-12-31`, '2024-06-14', '2024-06-15', '2024-06-16', null])
      const daysAgo = pick([3, 45, 120, 250, 500, 900])
      const createdAt = new Date(Date.parse(`${TODAY}T04:00:00Z`) - daysAgo * 86_400_000).toISOString()
      const closedAt =
        status === 'closed' ? `${pick(['2021-03-01', '2023-12-31', '2024-06-15', '2024-06-16', `${year + 1}-06-30`])}T02:00:00.000Z` : null
      const task: GTask = {
        id: id('t'),
        reportId: r.id,
        itemId: item.id,
        kind: item.kind,
        unit: pick(tree),
        status,
        due,
        createdAt,
        closedAt,
        owner: status === 'unassigned' ? null : 'owner',
      }
      tasks.push(task)
      const returns = pick([0, 0, 0, 1, 2])
      for (let k = 0; k < returns; k++) events.push({ id: id('e'), taskId: task.id, type: 'return' })
      if (rand() < 0.5) events.push({ id: id('e'), taskId: task.id, type: 'progress' })
    }
  }
  for (const a of AGENCIES) for (const y of YEARS) if (rand() < 0.8) addReport(a.id, y, a.unit, a.gov)
  addReport(null, 2021, 'ua', false)
  addReport(null, 2022, 'ua1', false)
  // Suggestions between each agency's consecutive years, some items with two of a kind.
  for (const later of reports) {
    const earlier = reports.find(r => r.agencyId && r.agencyId === later.agencyId && r.year === later.year - 1)
    if (!earlier) continue
    const earlierPlans = items.filter(i => i.reportId === earlier.id && i.kind === 'plan')
    const earlierProblems = items.filter(i => i.reportId === earlier.id && i.kind === 'problem')
    for (const p of earlierPlans) {
      const count = pick([0, 1, 1, 2])
      for (let k = 0; k < count; k++)
        suggestions.push({
          id: id('s'),
          kind: 'evidence',
          earlierReport: earlier.id,
          laterReport: later.id,
          earlierItem: p.id,
          laterItem: null,
          status: pick(['pending', 'confirmed', 'confirmed', 'rejected'] as const),
        })
    }
    if (!earlierProblems.length) continue
    for (const p of items.filter(i => i.reportId === later.id && i.kind === 'problem')) {
      const count = pick([0, 1, 1, 2])
      for (let k = 0; k < count; k++)
        suggestions.push({
          id: id('s'),
          kind: 'recurring',
          earlierReport: earlier.id,
          laterReport: later.id,
          earlierItem: pick(earlierProblems).id,
          laterItem: p.id,
          status: pick(['pending', 'confirmed', 'confirmed', 'rejected'] as const),
        })
    }
  }
  return { reports, items, tasks, events, suggestions }
}

type Data = ReturnType<typeof generate>

async function load(db: DB, d: Data) {
  const now = '2024-01-01T00:00:00.000Z'
  await db
    .insertInto('units')
    .values(UNITS.map(u => ({ id: u.id, name: `单位${u.id}`, parent_id: u.path.split('/').at(-3) || null, path: u.path, created_at: now })))
    .execute()
  const users = [
    { id: 'adm', role: 'admin', unit: 'ua' },
    { id: 'ovs', role: 'oversight', unit: 'ua' },
    { id: 'sup', role: 'supervisor', unit: 'ua' },
    { id: 'sup1', role: 'supervisor', unit: 'ua1' },
    { id: 'othersup', role: 'supervisor', unit: 'ub' },
    { id: 'staff', role: 'staff', unit: 'ua1' },
    { id: 'owner', role: 'staff', unit: 'ua' },
  ] as const
  await db
    .insertInto('users')
    .values(
      users.map(u => ({
        id: u.id,
        username: u.id,
        display_name: u.id,
        email: null,
        password_hash: 'x',
        role: u.role,
        unit_id: u.unit,
        created_at: now,
      })),
    )
    .execute()
  await db
    .insertInto('agencies')
    .values(AGENCIES.map(a => ({ id: a.id, name: a.name, normalized_name: a.name, unit_id: null, created_at: now })))
    .execute()
  for (const r of d.reports) {
    const agencyName = AGENCIES.find(a => a.id === r.agencyId)?.name ?? null
    await db
      .insertInto('reports')
      .values({
        id: r.id,
        filename: `${r.id}.txt`,
        format: 'txt',
        size_bytes: 1,
        sha256: r.id,
        encoding: 'UTF-8',
        text: '报告',
        status: r.status,
        error: null,
        agency_id: r.agencyId,
        agency_name: agencyName,
        year: r.year,
        published_at: r.publishedAt,
        title: `${agencyName ?? '某机关'}${r.year}年报告`,
        unit_id: r.unit,
        uploaded_by: null,
        created_at: now,
        updated_at: now,
        processed_at: now,
      })
      .execute()
  }
  for (const i of d.items)
    await db
      .insertInto('report_items')
      .values({
        id: i.id,
        report_id: i.reportId,
        seq: i.seq,
        kind: i.kind,
        title: `${i.kind === 'problem' ? '信息公开不及时' : '加强培训'}${i.id}`,
        text: `${i.kind === 'problem' ? '信息公开不及时' : '加强培训'}${i.id}。`,
        start_offset: 0,
        end_offset: 1,
        answers: '[]',
        due_date: null,
        created_at: now,
      })
      .execute()
  for (const t of d.tasks)
    await db
      .insertInto('tasks')
      .values({
        id: t.id,
        report_id: t.reportId,
        item_id: t.itemId,
        kind: t.kind,
        title: t.itemId,
        text: t.itemId,
        unit_id: t.unit,
        owner_id: t.owner,
        due_date: t.due,
        priority: 'normal',
        status: t.status,
        created_by: null,
        created_at: t.createdAt,
        updated_at: t.createdAt,
        closed_at: t.closedAt,
      })
      .execute()
  for (const e of d.events)
    await db
      .insertInto('task_events')
      .values({ id: e.id, task_id: e.taskId, actor_id: null, type: e.type, before: null, after: null, note: null, created_at: now })
      .execute()
  for (const s of d.suggestions)
    await db
      .insertInto('followup_suggestions')
      .values({
        id: s.id,
        dedupe_key: s.id,
        kind: s.kind,
        earlier_report_id: s.earlierReport,
        later_report_id: s.laterReport,
        earlier_item_id: s.earlierItem,
        later_item_id: s.laterItem,
        passage: null,
        start_offset: null,
        end_offset: null,
        score: 0.9,
        status: s.status,
        decided_by: null,
        decided_at: null,
        created_at: now,
      })
      .execute()
}

// ─── Expected figures, counted straight from the arrays ─────────────────────────────────────────

interface Scope {
  path: string | null
  years: number[]
  region?: string
  status?: TaskStatus | 'overdue'
}

function expectedOverview(d: Data, s: Scope) {
  const inScope = (unit: string) => s.path === null || pathOf(unit).startsWith(s.path)
  const agencyName = (id: string | null) => AGENCIES.find(a => a.id === id)?.name
  const inRegion = (id: string | null) => !s.region || !!agencyName(id)?.includes(s.region)
  const report = (id: string) => d.reports.find(r => r.id === id)!
  const rows = new Map<
    string | null,
    {
      reportsByYear: Record<number, number>
      tasks: number
      commitments: number
      problems: number
      closed: number
      cancelled: number
      overdue: number
      returned: number
      evidenced: number
      recurring: number
      statuses: Set<string>
    }
  >()
  const row = (id: string | null) => {
    if (!rows.has(id))
      rows.set(id, {
        reportsByYear: Object.fromEntries(s.years.map(y => [y, 0])),
        tasks: 0,
        commitments: 0,
        problems: 0,
        closed: 0,
        cancelled: 0,
        overdue: 0,
        returned: 0,
        evidenced: 0,
        recurring: 0,
        statuses: new Set(),
      })
    return rows.get(id)!
  }
  for (const r of d.reports)
    if (s.years.includes(r.year) && inScope(r.unit) && inRegion(r.agencyId)) row(r.agencyId).reportsByYear[r.year]++
  for (const t of d.tasks) {
    const r = report(t.reportId)
    if (!s.years.includes(r.year) || !inScope(t.unit) || !inRegion(r.agencyId)) continue
    const x = row(r.agencyId)
    x.tasks++
    if (t.kind === 'plan') x.commitments++
    else x.problems++
    if (t.status === 'closed') x.closed++
    if (t.status === 'cancelled') x.cancelled++
    const overdue = OPEN.includes(t.status) && !!t.due && t.due < TODAY
    if (overdue) x.overdue++
    if (d.events.some(e => e.taskId === t.id && e.type === 'return')) x.returned++
    if (d.suggestions.some(g => g.kind === 'evidence' && g.status === 'confirmed' && g.earlierItem === t.itemId)) x.evidenced++
    if (d.suggestions.some(g => g.kind === 'recurring' && g.status === 'confirmed' && g.laterItem === t.itemId)) x.recurring++
    x.statuses.add(t.status)
    if (overdue) x.statuses.add('overdue')
  }
  const out: Record<string, unknown> = {}
  for (const [id, x] of rows) {
    if (s.status && !x.statuses.has(s.status)) continue
    const { statuses: _, ...figures } = x
    const countable = x.tasks - x.cancelled
    out[id ?? 'null'] = {
      ...figures,
      reports: Object.values(x.reportsByYear).reduce((a, b) => a + b, 0),
      closedRate: countable > 0 ? Math.round((x.closed / countable) * 10_000) / 10_000 : null,
    }
  }
  return out
}

const shanghaiDay = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10)

function expectedAgencyYears(d: Data, agencyId: string, path: string | null) {
  const inScope = (unit: string) => path === null || pathOf(unit).startsWith(path)
  const reports = d.reports.filter(r => r.agencyId === agencyId && inScope(r.unit))
  const tasks = d.tasks.filter(t => d.reports.find(r => r.id === t.reportId)!.agencyId === agencyId && inScope(t.unit))
  const yearOf = (t: GTask) => d.reports.find(r => r.id === t.reportId)!.year
  const years = [...reports.map(r => r.year), ...tasks.map(yearOf)]
  const out = []
  for (let y = Math.min(...years); y <= Math.max(...years); y++) {
    const ts = tasks.filter(t => yearOf(t) === y)
    const closed = ts.filter(t => t.status === 'closed')
    const onTime = closed.filter(t => !t.due || shanghaiDay(t.closedAt!) <= t.due).length
    const rs = reports.filter(r => r.year === y)
    const problemItems = d.items.filter(i => rs.some(r => r.id === i.reportId) && i.kind === 'problem')
    const cancelled = ts.filter(t => t.status === 'cancelled').length
    out.push({
      year: y,
      reports: rs.length,
      tasks: ts.length,
      closed: closed.length,
      closedOnTime: onTime,
      closedLate: closed.length - onTime,
      overdue: ts.filter(t => OPEN.includes(t.status) && !!t.due && t.due < TODAY).length,
      notDue: ts.filter(t => t.status === 'ongoing' || (OPEN.includes(t.status) && !(t.due && t.due < TODAY))).length,
      returned: ts.filter(t => d.events.some(e => e.taskId === t.id && e.type === 'return')).length,
      problemsAdmitted: problemItems.length,
      problemsRecurring: problemItems.filter(i =>
        d.suggestions.some(g => g.kind === 'recurring' && g.status === 'confirmed' && g.laterItem === i.id),
      ).length,
      commitments: d.items.filter(i => rs.some(r => r.id === i.reportId) && i.kind === 'plan').length,
      closedRate: ts.length - cancelled > 0 ? Math.round((closed.length / (ts.length - cancelled)) * 10_000) / 10_000 : null,
    })
  }
  return out
}

function expectedCompliance(d: Data, path: string | null, years: number[]) {
  const inScope = (unit: string) => path === null || pathOf(unit).startsWith(path)
  const reports = d.reports.filter(r => inScope(r.unit))
  const gov = (id: string | null) => !!AGENCIES.find(a => a.id === id)?.gov
  const deadline = (r: GReport) => (r.year >= 2019 && !gov(r.agencyId) ? `${r.year + 1}-01-31` : `${r.year + 1}-03-31`)
  const plansOf = (r: GReport) => d.items.filter(i => i.reportId === r.id && i.kind === 'plan').length
  const rows = reports
    .filter(r => years.includes(r.year))
    .map(r => {
      const previous = r.agencyId ? reports.filter(p => p.agencyId === r.agencyId && p.year === r.year - 1) : []
      const previousPlans = previous.reduce((n, p) => n + plansOf(p), 0)
      const evidence = d.suggestions.filter(
        g =>
          g.kind === 'evidence' &&
          g.status !== 'rejected' &&
          g.laterReport === r.id &&
          d.reports.find(e => e.id === g.earlierReport)!.year === r.year - 1,
      ).length
      return {
        reportId: r.id,
        deadline: deadline(r),
        timeliness: r.publishedAt === null ? 'unknown' : r.publishedAt <= deadline(r) ? 'on_time' : 'late',
        problems: d.items.filter(i => i.reportId === r.id && i.kind === 'problem').length,
        plans: plansOf(r),
        followUp: !previousPlans ? 'na' : evidence > 0 ? 'yes' : 'no',
      }
    })
  const missing: string[] = []
  for (const a of AGENCIES) {
    const have = reports.filter(r => r.agencyId === a.id).map(r => r.year)
    if (!have.length) continue
    for (const y of years) {
      const due = y >= 2019 && !a.gov ? `${y + 1}-01-31` : `${y + 1}-03-31`
      if (y >= Math.min(...have) && !have.includes(y) && due < TODAY) missing.push(`${a.id}:${y}`)
    }
  }
  return { rows, missing: missing.sort() }
}

// ─── The checks ─────────────────────────────────────────────────────────────────────────────────

const actors: Record<string, Actor> = {
  adm: { id: 'adm', role: 'admin', unitId: 'ua', unitPath: '/ua/' },
  ovs: { id: 'ovs', role: 'oversight', unitId: 'ua', unitPath: '/ua/' },
  sup: { id: 'sup', role: 'supervisor', unitId: 'ua', unitPath: '/ua/' },
  sup1: { id: 'sup1', role: 'supervisor', unitId: 'ua1', unitPath: '/ua/ua1/' },
  othersup: { id: 'othersup', role: 'supervisor', unitId: 'ub', unitPath: '/ub/' },
  staff: { id: 'staff', role: 'staff', unitId: 'ua1', unitPath: '/ua/ua1/' },
}

async function actualOverview(
  db: DB,
  actor: Actor,
  f: { unitId?: string; region?: string; years: number[]; status?: TaskStatus | 'overdue' },
) {
  const o = await overview(
    db,
    actor,
    { unitId: f.unitId, region: f.region, yearFrom: f.years[0], yearTo: f.years.at(-1)!, status: f.status },
    TODAY,
  )
  return {
    rows: Object.fromEntries(
      o.rows.map(r => [
        r.agencyId ?? 'null',
        {
          reportsByYear: r.reportsByYear,
          tasks: r.tasks,
          commitments: r.commitments,
          problems: r.problems,
          closed: r.closed,
          cancelled: r.cancelled,
          overdue: r.overdue,
          returned: r.returned,
          evidenced: r.evidenced,
          recurring: r.recurring,
          reports: r.reports,
          closedRate: r.closedRate,
        },
      ]),
    ),
    totals: o.totals,
  }
}

async function refused(p: Promise<unknown>): Promise<number> {
  try {
    await p
    return 200
  } catch (e) {
    if (e instanceof AppError) return e.status
    throw e
  }
}

describe.each(engines)('oversight figures on %s', engine => {
  let t: TestDb
  let data: Data
  beforeAll(async () => {
    t = await createTestDb(engine)
    data = generate()
    await load(t.db, data)
  }, 120_000)
  afterAll(() => t?.cleanup())

  it('the generated set has something of every kind to count', () => {
    expect(data.tasks.length).toBeGreaterThan(100)
    for (const s of ['unassigned', 'in_progress', 'pending_review', 'closed', 'ongoing', 'cancelled'])
      expect(data.tasks.some(x => x.status === s)).toBe(true)
    expect(data.suggestions.filter(s => s.status === 'confirmed' && s.kind === 'recurring').length).toBeGreaterThan(3)
    expect(data.suggestions.filter(s => s.status === 'confirmed' && s.kind === 'evidence').length).toBeGreaterThan(3)
    expect(data.events.filter(e => e.type === 'return').length).toBeGreaterThan(10)
  })

  const checkOverviews = async () => {
    const cases: {
      actor: string
      path: string | null
      years: number[]
      unitId?: string
      region?: string
      status?: TaskStatus | 'overdue'
    }[] = [
      { actor: 'ovs', path: '/ua/', years: YEARS },
      { actor: 'adm', path: null, years: YEARS },
      { actor: 'sup1', path: '/ua/ua1/', years: YEARS },
      { actor: 'othersup', path: '/ub/', years: YEARS },
      { actor: 'ovs', path: '/ua/', years: [2020] },
      { actor: 'ovs', path: '/ua/ua1/', years: [2019, 2020, 2021], unitId: 'ua1' },
      { actor: 'adm', path: null, years: YEARS, region: '甲市' },
      { actor: 'ovs', path: '/ua/', years: YEARS, status: 'overdue' },
      { actor: 'ovs', path: '/ua/', years: YEARS, status: 'pending_review' },
    ]
    for (const c of cases) {
      const want = expectedOverview(data, { path: c.path, years: c.years, region: c.region, status: c.status })
      const got = await actualOverview(t.db, actors[c.actor], c)
      expect(got.rows, JSON.stringify(c)).toEqual(want)
      // The totals row is the sum of the rows.
      const sum = (k: 'tasks' | 'overdue' | 'returned' | 'recurring' | 'evidenced' | 'reports' | 'closed') =>
        Object.values(want).reduce((n: number, r) => n + (r as Record<string, number>)[k], 0)
      expect(got.totals, JSON.stringify(c)).toMatchObject({
        tasks: sum('tasks'),
        overdue: sum('overdue'),
        returned: sum('returned'),
        recurring: sum('recurring'),
        evidenced: sum('evidenced'),
        reports: sum('reports'),
        closed: sum('closed'),
      })
    }
  }

  it('overview figures equal the counts made from the tasks, in every scope and filter', checkOverviews)

  it('sorts and pages in the database: pages are slices of the whole order, the totals and count are of all rows', async () => {
    const base = { yearFrom: YEARS[0], yearTo: YEARS.at(-1)! }
    for (const [sort, dir] of [
      ['closedRate', 'desc'],
      ['closedRate', 'asc'],
      ['tasks', 'desc'],
      ['overdue', 'asc'],
      ['name', 'asc'],
      ['reports', 'desc'],
      ['problems', 'desc'],
    ] as const) {
      const all = await overview(t.db, actors.adm, { ...base, sort, dir }, TODAY)
      expect(all.count).toBe(all.rows.length)
      const key = (r: (typeof all.rows)[number]) => (sort === 'name' ? r.name : r[sort])
      const values = all.rows.map(key)
      // rows without a rate last in either direction
      if (sort === 'closedRate')
        expect(values.findIndex(v => v === null)).toBe(
          values.some(v => v === null) ? values.length - values.filter(v => v === null).length : -1,
        )
      const numbers = values.filter((v): v is number => typeof v === 'number')
      expect(numbers).toEqual([...numbers].sort((a, b) => (dir === 'asc' ? a - b : b - a)))
      const pages = []
      for (let page = 1; page <= Math.ceil(all.count / 3); page++) {
        const p = await overview(t.db, actors.adm, { ...base, sort, dir, page, pageSize: 3 }, TODAY)
        expect(p.totals).toEqual(all.totals)
        expect(p.count).toBe(all.count)
        pages.push(...p.rows.map(r => r.agencyId))
      }
      expect(pages).toEqual(all.rows.map(r => r.agencyId))
    }
    const empty = await overview(t.db, actors.adm, { yearFrom: 1990, yearTo: 1991 }, TODAY)
    expect(empty).toMatchObject({ rows: [], count: 0, totals: { tasks: 0, reports: 0, closedRate: null } })
  })

  it('the agency page: per year completion, on-time closing, problems admitted and recurring, open tasks by age', async () => {
    for (const [actor, path] of [
      ['ovs', '/ua/'],
      ['sup1', '/ua/ua1/'],
    ] as const) {
      for (const a of ['a1', 'a2', 'a5']) {
        const want = expectedAgencyYears(data, a, path)
        if (!want.length) continue
        const page = await agency(t.db, actors[actor], a, {}, TODAY)
        expect(page.years, `${actor} ${a}`).toEqual(want.map(w => expect.objectContaining(w)))
        const open = data.tasks.filter(x => OPEN.includes(x.status) && d(x).agencyId === a && pathOf(x.unit).startsWith(path))
        expect(page.openByAge.reduce((n, b) => n + b.count, 0)).toBe(open.length)
        const olderThanAYear = open.filter(
          x => Date.parse(`${TODAY}T00:00:00Z`) - Date.parse(x.createdAt.slice(0, 10)) > 365 * 86_400_000,
        ).length
        expect(page.openByAge.find(b => b.bucket === 'older')!.count).toBe(olderThanAYear)
        const recurrences = data.suggestions.filter(
          s =>
            s.kind === 'recurring' &&
            s.status !== 'rejected' &&
            data.reports.find(r => r.id === s.laterReport)!.agencyId === a &&
            pathOf(data.reports.find(r => r.id === s.laterReport)!.unit).startsWith(path),
        )
        expect(page.recurrences.map(r => r.suggestionId).sort()).toEqual(recurrences.map(s => s.id).sort())
      }
    }
    function d(x: GTask) {
      return data.reports.find(r => r.id === x.reportId)!
    }
  })

  it('compliance: on time, problems, measures, last year accounted for, missing years', async () => {
    for (const [actor, path] of [
      ['ovs', '/ua/'],
      ['adm', null],
      ['othersup', '/ub/'],
    ] as const) {
      const want = expectedCompliance(data, path, YEARS)
      const got = await compliance(t.db, actors[actor], { yearFrom: YEARS[0], yearTo: YEARS.at(-1)! }, TODAY)
      expect(
        got.rows
          .map(r => ({
            reportId: r.reportId,
            deadline: r.deadline,
            timeliness: r.timeliness,
            problems: r.problems,
            plans: r.plans,
            followUp: r.followUp,
          }))
          .sort((a, b) => a.reportId.localeCompare(b.reportId)),
      ).toEqual(want.rows.sort((a, b) => a.reportId.localeCompare(b.reportId)))
      expect(got.missing.map(m => `${m.agencyId}:${m.year}`).sort()).toEqual(want.missing)
      expect(got.summary.reports).toBe(want.rows.length)
      expect(got.summary.late).toBe(want.rows.filter(r => r.timeliness === 'late').length)
      const late = await compliance(t.db, actors[actor], { yearFrom: YEARS[0], yearTo: YEARS.at(-1)!, issue: 'late' }, TODAY)
      expect(late.rows.length).toBe(want.rows.filter(r => r.timeliness === 'late').length)
    }
  })

  it('the recurring board counts each confirmed recurrence in scope once per topic', async () => {
    const board = await recurringBoard(t.db, actors.ovs, { yearFrom: YEARS[0], yearTo: YEARS.at(-1)! })
    const want = data.suggestions.filter(
      s =>
        s.kind === 'recurring' &&
        s.status === 'confirmed' &&
        pathOf(data.reports.find(r => r.id === s.laterReport)!.unit).startsWith('/ua/'),
    )
    expect(board.recurrences).toBe(want.length)
    // every generated problem is about timeliness (信息公开不及时)
    expect(board.groups.map(g => [g.topic, g.recurrences])).toEqual([['timely', want.length]])
    const withPending = await recurringBoard(t.db, actors.ovs, { yearFrom: YEARS[0], yearTo: YEARS.at(-1)!, includePending: true })
    expect(withPending.recurrences).toBe(
      want.length +
        data.suggestions.filter(
          s =>
            s.kind === 'recurring' &&
            s.status === 'pending' &&
            pathOf(data.reports.find(r => r.id === s.laterReport)!.unit).startsWith('/ua/'),
        ).length,
    )
  })

  it('the .xlsx export holds the rows the page shows, with the totals row', async () => {
    const query = readOversightQuery(new URLSearchParams('from=2018&to=2023&sort=name&dir=asc'))
    const file = await exportOversightTable(t.db, actors.ovs, { table: 'overview', format: 'xlsx', query, agencyId: null }, TODAY)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(Buffer.from(file.body) as unknown as ExcelJS.Buffer)
    const ws = wb.worksheets[0]
    const o = await overview(t.db, actors.ovs, { yearFrom: 2018, yearTo: 2023 }, TODAY)
    const header = (ws.getRow(1).values as unknown[]).slice(1)
    expect(header.slice(0, 8)).toEqual([
      '报告机关',
      '2018年报告',
      '2019年报告',
      '2020年报告',
      '2021年报告',
      '2022年报告',
      '2023年报告',
      '整改任务',
    ])
    expect(ws.rowCount).toBe(o.rows.length + 2)
    const names = []
    for (let i = 2; i <= ws.rowCount; i++) names.push(ws.getRow(i).getCell(1).value)
    expect(names.at(-1)).toBe('合计')
    expect(new Set(names.slice(0, -1))).toEqual(new Set(o.rows.map(r => r.name)))
    const tasksCol = header.indexOf('整改任务') + 1
    expect(ws.getRow(ws.rowCount).getCell(tasksCol).value).toBe(o.totals.tasks)
    const csv = await exportOversightTable(t.db, actors.ovs, { table: 'compliance', format: 'csv', query, agencyId: null }, TODAY)
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(csv.body)
    expect(text.startsWith('\uFEFF报告机关,年度,报告,')).toBe(true)
    expect(text.trim().split('\r\n').length).toBe(
      (await compliance(t.db, actors.ovs, { yearFrom: 2018, yearTo: 2023 }, TODAY)).rows.length + 1,
    )
  })

  it('scope: another tree sees none of it, a unit outside the scope is not found, staff are refused', async () => {
    const other = await overview(t.db, actors.othersup, { yearFrom: 2018, yearTo: 2023 }, TODAY)
    expect(other.rows.every(r => r.agencyId === 'a6')).toBe(true)
    expect(await refused(agency(t.db, actors.othersup, 'a1', {}, TODAY))).toBe(404)
    expect(await refused(agency(t.db, actors.sup1, 'a6', {}, TODAY))).toBe(404)
    expect(await refused(agency(t.db, actors.ovs, 'nope', {}, TODAY))).toBe(404)
    expect(await refused(overview(t.db, actors.ovs, { unitId: 'ub', yearFrom: 2018, yearTo: 2023 }, TODAY))).toBe(404)
    expect((await compliance(t.db, actors.othersup, { yearFrom: 2018, yearTo: 2023 }, TODAY)).rows.every(r => r.agencyId === 'a6')).toBe(
      true,
    )
    expect(
      (await recurringBoard(t.db, actors.othersup, { yearFrom: 2018, yearTo: 2023, includePending: true })).groups
        .flatMap(g => g.entries)
        .every(e => e.agencyId === 'a6'),
    ).toBe(true)
    for (const p of [
      overview(t.db, actors.staff, { yearFrom: 2018, yearTo: 2023 }, TODAY),
      agency(t.db, actors.staff, 'a2', {}, TODAY),
      compliance(t.db, actors.staff, { yearFrom: 2018, yearTo: 2023 }, TODAY),
      recurringBoard(t.db, actors.staff, { yearFrom: 2018, yearTo: 2023 }),
      exportOversightTable(
        t.db,
        actors.staff,
        { table: 'overview', format: 'csv', query: readOversightQuery(new URLSearchParams()), agencyId: null },
        TODAY,
      ),
    ])
      expect(await refused(p)).toBe(403)
  })

  it('stays exact through what people do: a return, decisions on suggestions, an agency merge, new deadlines and units', async () => {
    const db = t.db
    // A supervisor returns a task submitted for verification (the workflow writes the event).
    const submitted = data.tasks.find(
      x =>
        x.status === 'pending_review' &&
        x.owner &&
        pathOf(x.unit).startsWith('/ua/') &&
        !data.events.some(e => e.taskId === x.id && e.type === 'return'),
    )!
    await transitionTask(db, actors.sup, submitted.id, { action: 'return', reason: '材料不全' })
    submitted.status = 'in_progress'
    data.events.push({ id: 'new-return', taskId: submitted.id, type: 'return' })
    // Pending suggestions confirmed through the follow-up decision, one rejected.
    for (const kind of ['evidence', 'recurring'] as const) {
      const s = data.suggestions.find(
        x =>
          x.kind === kind &&
          x.status === 'pending' &&
          pathOf(data.reports.find(r => r.id === x.laterReport)!.unit).startsWith('/ua/') &&
          data.tasks.some(t => t.itemId === (kind === 'evidence' ? x.earlierItem : x.laterItem)),
      )!
      await decideSuggestion(db, actors.sup, s.id, true)
      s.status = 'confirmed'
    }
    const rejected = data.suggestions.find(
      x => x.status === 'pending' && pathOf(data.reports.find(r => r.id === x.laterReport)!.unit).startsWith('/ua/'),
    )!
    await decideSuggestion(db, actors.sup, rejected.id, false)
    rejected.status = 'rejected'
    // A confirmed finding withdrawn, and a return event removed, directly in the database.
    const withdrawn = data.suggestions.find(x => x.kind === 'evidence' && x.status === 'confirmed')!
    await db.updateTable('followup_suggestions').set({ status: 'rejected' }).where('id', '=', withdrawn.id).execute()
    withdrawn.status = 'rejected'
    const oneReturn = data.events.find(
      e => e.type === 'return' && data.events.filter(x => x.taskId === e.taskId && x.type === 'return').length === 1,
    )!
    await db.deleteFrom('task_events').where('id', '=', oneReturn.id).execute()
    data.events.splice(data.events.indexOf(oneReturn), 1)
    // An administrator merges 甲市卫生健康委员会 into 甲市教育局; one report's year is corrected.
    await db.updateTable('reports').set({ agency_id: 'a1' }).where('agency_id', '=', 'a2').execute()
    for (const r of data.reports) if (r.agencyId === 'a2') r.agencyId = 'a1'
    const moved = data.reports.find(r => r.agencyId === 'a4' && r.year === 2020 && data.tasks.some(x => x.reportId === r.id))
    if (moved && !data.reports.some(r => r.agencyId === 'a4' && r.year === 2017)) {
      await db.updateTable('reports').set({ year: 2019 }).where('id', '=', moved.id).execute()
      moved.year = 2019
    }
    // A deadline moved into the past, a task handed to another unit, one closed, one cancelled.
    const open = data.tasks.filter(x => x.status === 'in_progress' && x.due !== '2020-01-01')
    await db.updateTable('tasks').set({ due_date: '2020-01-01' }).where('id', '=', open[0].id).execute()
    open[0].due = '2020-01-01'
    await db.updateTable('tasks').set({ unit_id: 'ub1' }).where('id', '=', open[1].id).execute()
    open[1].unit = 'ub1'
    await db.updateTable('tasks').set({ status: 'closed', closed_at: '2024-06-01T02:00:00.000Z' }).where('id', '=', open[2].id).execute()
    Object.assign(open[2], { status: 'closed', closedAt: '2024-06-01T02:00:00.000Z' })
    await db.updateTable('tasks').set({ status: 'cancelled' }).where('id', '=', open[3].id).execute()
    open[3].status = 'cancelled'
    await checkOverviews()
    // And the rollup is exactly what counting every task again gives.
    const fresh = await db
      .selectFrom('tasks')
      .select(eb => [eb.fn.countAll<number>().as('n')])
      .executeTakeFirstOrThrow()
    const rolled = await db.selectFrom('oversight_task_rollup').selectAll().execute()
    const cells = rolled.reduce(
      (n, r) =>
        n +
        Object.entries(r)
          .filter(([k]) => /^(plan|problem)_/.test(k))
          .reduce((m, [, v]) => m + Number(v), 0),
      0,
    )
    expect(cells).toBe(Number(fresh.n))
    expect(
      rolled.every(r => Object.entries(r).every(([k, v]) => !/^(plan|problem)_|returned|evidenced|recurring/.test(k) || Number(v) >= 0)),
    ).toBe(true)
  })
})
