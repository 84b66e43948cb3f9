import { describe, expect, it } from 'vitest'
import { summarizeTaskCounts } from '../tasks/stats.server'
import {
  ageBucket,
  closedRate,
  closingTimeliness,
  daysSince,
  defaultYearRange,
  isGovernmentLevel,
  publicationTimeliness,
  reportDeadline,
  yearsBetween,
} from './rules'

describe('publication deadline', () => {
  it('since the 2019 regulation: departments by 31 January, governments by 31 March of the next year', () => {
    expect(reportDeadline(2019, '示范市教育局')).toBe('2020-01-31')
    expect(reportDeadline(2023, '衢州市营商环境建设办公室')).toBe('2024-01-31')
    expect(reportDeadline(2020, '示范市人民政府')).toBe('2021-03-31')
    expect(reportDeadline(2020, '遂溪县政府')).toBe('2021-03-31')
    expect(reportDeadline(2021, '白城经济开发区')).toBe('2022-03-31')
  })
  it('before 2019 (2008 regulation): 31 March for everyone', () => {
    expect(reportDeadline(2018, '示范市教育局')).toBe('2019-03-31')
    expect(reportDeadline(2013, '白城经济开发区')).toBe('2014-03-31')
  })
  it('an unknown agency is held to the department deadline', () => {
    expect(reportDeadline(2020, null)).toBe('2021-01-31')
  })
  it('tells governments from their departments', () => {
    expect(isGovernmentLevel('示范市人民政府')).toBe(true)
    expect(isGovernmentLevel('常德市人民政府政务服务中心')).toBe(false)
    expect(isGovernmentLevel('示范市发展和改革委员会')).toBe(false)
    expect(isGovernmentLevel('人民政府')).toBe(false)
    expect(isGovernmentLevel('（未识别报告机关）')).toBe(false)
  })
})

describe('published on time', () => {
  it('compares the publication day with the deadline, inclusive', () => {
    expect(publicationTimeliness(2020, '2021-01-31', '示范市教育局')).toBe('on_time')
    expect(publicationTimeliness(2020, '2021-02-01', '示范市教育局')).toBe('late')
    expect(publicationTimeliness(2020, '2021-03-31', '示范市人民政府')).toBe('on_time')
    expect(publicationTimeliness(2017, '2018-03-19', '常德市人民政府政务服务中心')).toBe('on_time')
    expect(publicationTimeliness(2018, '2018-12-13', '遂溪县政务服务中心')).toBe('on_time') // early is on time
    expect(publicationTimeliness(2020, '2021-01-19T10:42:00+08:00', '衢州市营商环境建设办公室')).toBe('on_time')
  })
  it('is unknown without a date', () => {
    expect(publicationTimeliness(2020, null, '示范市教育局')).toBe('unknown')
    expect(publicationTimeliness(2020, '2021年', '示范市教育局')).toBe('unknown')
  })
})

describe('closed rate', () => {
  it('is closed / (all − cancelled), like the dashboard completion rate', () => {
    expect(closedRate(2, 5, 1)).toBe(0.5)
    expect(closedRate(1, 3, 0)).toBe(0.3333)
    expect(closedRate(0, 2, 2)).toBeNull()
    expect(closedRate(0, 0, 0)).toBeNull()
    const dashboard = summarizeTaskCounts({ closed: 2, cancelled: 1, in_progress: 2 }, 0)
    expect(closedRate(2, dashboard.total, 1)).toBe(dashboard.completionRate)
  })
})

describe('closing on time', () => {
  it('uses the Shanghai date of the close-out', () => {
    expect(closingTimeliness('2025-12-31T15:59:00Z', '2025-12-31')).toBe('on_time') // 23:59 in Shanghai
    expect(closingTimeliness('2025-12-31T16:00:00Z', '2025-12-31')).toBe('late') // already 1 January there
    expect(closingTimeliness('2025-06-01T00:00:00Z', null)).toBe('on_time')
  })
})

describe('age buckets', () => {
  it('puts each age in the first bucket whose upper bound it does not pass', () => {
    expect([0, 30, 31, 90, 91, 180, 181, 365, 366, 2000].map(ageBucket)).toEqual([
      'd30',
      'd30',
      'd90',
      'd90',
      'd180',
      'd180',
      'd365',
      'd365',
      'older',
      'older',
    ])
  })
  it('counts days from the Shanghai date of creation', () => {
    expect(daysSince('2025-01-01T16:30:00Z', '2025-01-03')).toBe(1) // created 2 January in Shanghai
    expect(daysSince('2025-01-03T01:00:00Z', '2025-01-03')).toBe(0)
  })
})

describe('year ranges', () => {
  it('defaults to the latest five years with reports', () => {
    expect(defaultYearRange([2018, 2023, 2020], '2025-06-01')).toEqual({ from: 2019, to: 2023 })
    expect(defaultYearRange([], '2025-06-01')).toEqual({ from: 2020, to: 2024 })
    expect(yearsBetween(2019, 2021)).toEqual([2019, 2020, 2021])
    expect(yearsBetween(2021, 2019)).toEqual([])
  })
})
