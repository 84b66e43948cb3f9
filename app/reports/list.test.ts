import { describe, expect, it } from 'vitest'
import { deleteReportProblem, isFiltered, parseReportFilters } from './list'
import { likePattern } from '../search/query'

describe('report list filters', () => {
  it('reads status, year, agency, search and page; ignores nonsense', () => {
    expect(parseReportFilters(new URLSearchParams('status=failed&year=2023&agency=a1&q=%20教育%20&page=3'))).toEqual({
      status: 'failed',
      year: 2023,
      agencyId: 'a1',
      q: '教育',
      page: 3,
    })
    expect(parseReportFilters(new URLSearchParams('status=x&year=abc&page=-2&q='))).toEqual({
      status: undefined,
      year: undefined,
      agencyId: undefined,
      q: undefined,
      page: 1,
    })
    expect(isFiltered(parseReportFilters(new URLSearchParams('page=2')))).toBe(false)
    expect(isFiltered(parseReportFilters(new URLSearchParams('year=2020')))).toBe(true)
  })
  it('escapes LIKE wildcards', () => {
    expect(likePattern('100%_a\\b')).toBe('%100\\%\\_a\\\\b%')
  })
  it('only failed reports are deleted, by the uploader or a reviewer of the unit', () => {
    const failed = { status: 'failed' as const, uploadedBy: 'u1', filedInScope: false }
    expect(deleteReportProblem(failed, { id: 'u1', mayReview: false })).toBeNull()
    expect(deleteReportProblem(failed, { id: 'u2', mayReview: true })).toMatch(/上传人/)
    expect(deleteReportProblem({ ...failed, filedInScope: true }, { id: 'u2', mayReview: true })).toBeNull()
    expect(deleteReportProblem({ ...failed, filedInScope: true }, { id: 'u2', mayReview: false })).toMatch(/上传人/)
    expect(deleteReportProblem({ ...failed, status: 'extracted' }, { id: 'u1', mayReview: true })).toMatch(/处理失败/)
  })
})
