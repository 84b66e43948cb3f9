import { describe, expect, it } from 'vitest'
import type { TaskStatus } from '../../db/schema'
import {
  agencyYears,
  complianceRow,
  complianceSummary,
  followUpState,
  hasIssue,
  missingReports,
  openTasksByAge,
  overviewRow,
  pageOf,
  zeroByStatus,
  type AgencyTask,
} from './figures'
import { oversightSearch, readOversightQuery, sortLink } from './filters'

describe('overview rows', () => {
  const byStatus = (b: Partial<Record<TaskStatus, number>>) => ({ ...zeroByStatus(), ...b })
  it('derives tasks, commitments, problems and the rate from the sums', () => {
    const row = overviewRow(
      {
        agencyId: 'a',
        name: '甲局',
        byStatus: byStatus({ closed: 3, in_progress: 1, unassigned: 1, cancelled: 1 }),
        plans: 4,
        overdue: 2,
        returned: 1,
        evidenced: 2,
        recurring: 0,
        reportsByYear: { 2020: 1, 2021: 0 },
      },
      '（未识别）',
    )
    expect(row).toMatchObject({
      name: '甲局',
      tasks: 6,
      commitments: 4,
      problems: 2,
      closed: 3,
      cancelled: 1,
      closedRate: 0.6,
      overdue: 2,
      returned: 1,
      evidenced: 2,
      reports: 1,
    })
  })
  it('names the unrecognised agency and has no rate without work', () => {
    const row = overviewRow(
      {
        agencyId: null,
        name: null,
        byStatus: byStatus({ cancelled: 2 }),
        plans: 0,
        overdue: 0,
        returned: 0,
        evidenced: 0,
        recurring: 0,
        reportsByYear: { 2020: 2 },
      },
      '（未识别）',
    )
    expect(row).toMatchObject({ name: '（未识别）', tasks: 2, closedRate: null, reports: 2 })
  })
  it('pages a list', () => {
    expect(pageOf([1, 2, 3, 4, 5], 2, 2)).toEqual({ rows: [3, 4], page: 2, pageCount: 3 })
    expect(pageOf([1, 2, 3], 9, 2)).toEqual({ rows: [3], page: 2, pageCount: 2 })
  })
})

describe('agency years', () => {
  const t = (year: number, status: TaskStatus, extra: Partial<AgencyTask> = {}): AgencyTask => ({
    id: `${year}${status}${Math.random()}`,
    year,
    kind: 'plan',
    status,
    dueDate: `${year + 1}-12-31`,
    createdAt: `${year + 1}-02-01T00:00:00Z`,
    closedAt: null,
    returned: false,
    ...extra,
  })
  it('per year: rate, on-time and late close-outs, overdue, problems admitted and recurring', () => {
    const years = agencyYears({
      years: [2020, 2021, 2022],
      today: '2023-06-01',
      tasks: [
        t(2020, 'closed', { closedAt: '2021-06-01T02:00:00Z' }),
        t(2020, 'closed', { closedAt: '2022-03-01T02:00:00Z', returned: true }),
        t(2020, 'in_progress'), // due 2021-12-31: overdue
        t(2020, 'cancelled'),
        t(2021, 'ongoing'),
        t(2021, 'pending_review', { dueDate: null }),
      ],
      reports: [
        { year: 2020, problems: 3, plans: 4, recurring: 0 },
        { year: 2021, problems: 2, plans: 2, recurring: 2 },
      ],
    })
    expect(years[0]).toMatchObject({
      year: 2020,
      reports: 1,
      tasks: 4,
      closed: 2,
      cancelled: 1,
      closedRate: 0.6667,
      closedOnTime: 1,
      closedLate: 1,
      overdue: 1,
      returned: 1,
      problemsAdmitted: 3,
      problemsRecurring: 0,
      commitments: 4,
    })
    expect(years[1]).toMatchObject({ year: 2021, tasks: 2, closedRate: 0, overdue: 0, problemsAdmitted: 2, problemsRecurring: 2 })
    expect(years[2]).toMatchObject({ year: 2022, reports: 0, tasks: 0, closedRate: null })
  })
  it('open tasks by age, ongoing, closed and cancelled ones left out', () => {
    const today = '2025-01-01'
    const at = (daysAgo: number) => new Date(Date.parse('2025-01-01T04:00:00Z') - daysAgo * 86_400_000).toISOString()
    const got = openTasksByAge(
      [
        { status: 'unassigned', createdAt: at(0) },
        { status: 'in_progress', createdAt: at(45) },
        { status: 'pending_review', createdAt: at(400) },
        { status: 'in_progress', createdAt: at(365) },
        { status: 'ongoing', createdAt: at(10) },
        { status: 'closed', createdAt: at(10) },
      ],
      today,
    )
    expect(got).toEqual([
      { bucket: 'd30', count: 1 },
      { bucket: 'd90', count: 1 },
      { bucket: 'd180', count: 0 },
      { bucket: 'd365', count: 1 },
      { bucket: 'older', count: 1 },
    ])
  })
})

describe('compliance', () => {
  const base = {
    reportId: 'r',
    agencyId: 'a',
    agencyName: '示范市教育局',
    year: 2020,
    title: 't',
    publishedAt: '2021-01-20',
    problems: 2,
    plans: 3,
    previousPlans: 4,
    evidence: 1,
  }
  it('reports on last year only when there was a last year with commitments', () => {
    expect(followUpState(null, 0)).toBe('na')
    expect(followUpState(0, 0)).toBe('na')
    expect(followUpState(3, 0)).toBe('no')
    expect(followUpState(3, 2)).toBe('yes')
  })
  it('builds a row and tells its shortcomings', () => {
    const ok = complianceRow(base)
    expect(ok).toMatchObject({ deadline: '2021-01-31', timeliness: 'on_time', followUp: 'yes' })
    const bad = complianceRow({ ...base, publishedAt: '2021-02-15', problems: 0, plans: 0, evidence: 0 })
    expect(['late', 'unknownDate', 'noProblems', 'noPlans', 'noFollowUp'].filter(i => hasIssue(bad, i as never))).toEqual([
      'late',
      'noProblems',
      'noPlans',
      'noFollowUp',
    ])
    expect(complianceSummary([ok, bad], 3)).toMatchObject({
      reports: 2,
      onTime: 1,
      late: 1,
      noProblems: 1,
      noPlans: 1,
      followUpYes: 1,
      followUpNo: 1,
      missing: 3,
    })
  })
  it('lists missing years from the first known report on, once the deadline has passed', () => {
    const missing = missingReports(
      [
        { id: 'a', name: '示范市教育局', years: [2019, 2021] },
        { id: 'b', name: '示范市人民政府', years: [2021] },
      ],
      [2018, 2019, 2020, 2021, 2022, 2023],
      '2024-02-15',
    )
    // 2023's report: departments were due 2024-01-31 (missing), governments not before 2024-03-31.
    expect(missing.map(m => `${m.agencyId}${m.year}`)).toEqual(['a2020', 'a2022', 'a2023', 'b2022']) // by name in pinyin order: 教育局 before 人民政府
  })
})

describe('filters in the URL', () => {
  it('reads only valid values and writes back only what differs from the defaults', () => {
    const q = readOversightQuery(
      new URLSearchParams('from=2022&to=2019&status=bogus&sort=closedRate&dir=asc&page=3&region=%E7%A4%BA%E8%8C%83%E5%B8%82'),
    )
    expect(q).toMatchObject({ from: '2019', to: '2022', status: '', sort: 'closedRate', dir: 'asc', page: 3, region: '示范市' })
    expect(oversightSearch(q)).toBe('region=%E7%A4%BA%E8%8C%83%E5%B8%82&from=2019&to=2022&sort=closedRate&dir=asc&page=3')
    expect(oversightSearch(readOversightQuery(new URLSearchParams('sort=overdue&dir=desc')))).toBe('')
  })
  it('a sort link flips the direction of the current column and starts again at page 1', () => {
    const q = readOversightQuery(new URLSearchParams('sort=tasks&dir=desc&page=2'))
    expect(sortLink(q, 'tasks')).toBe('sort=tasks&dir=asc')
    expect(sortLink(q, 'name')).toBe('sort=name&dir=asc')
    expect(sortLink(q, 'overdue')).toBe('')
  })
})
