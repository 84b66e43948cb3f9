// The report list's filters and paging, read from the page's query string. Pure.
import type { ReportStatus } from '../../db/schema'

export const REPORT_STATUSES: readonly ReportStatus[] = ['queued', 'processing', 'extracted', 'failed', 'confirmed']
export const REPORTS_PER_PAGE = 20

export interface ReportFilters {
  status?: ReportStatus
  year?: number
  agencyId?: string
  /** Searches the title, the agency's name and the file name. */
  q?: string
  page: number
}

export function parseReportFilters(p: URLSearchParams): ReportFilters {
  const status = p.get('status') ?? ''
  const year = Number(p.get('year'))
  const page = Number(p.get('page'))
  const q = p.get('q')?.trim().slice(0, 100)
  return {
    status: (REPORT_STATUSES as readonly string[]).includes(status) ? (status as ReportStatus) : undefined,
    year: Number.isInteger(year) && year >= 1990 && year <= 2100 ? year : undefined,
    agencyId: p.get('agency')?.trim() || undefined,
    q: q || undefined,
    page: Number.isInteger(page) && page > 1 ? Math.min(page, 100_000) : 1,
  }
}

export function isFiltered(f: ReportFilters): boolean {
  return !!(f.status || f.year || f.agencyId || f.q)
}

/** Who may delete a report: only a failed one, by its uploader or by a reviewer of the unit it is filed in. */
export function deleteReportProblem(
  report: { status: ReportStatus; uploadedBy: string | null; filedInScope: boolean },
  user: { id: string; mayReview: boolean },
): string | null {
  if (report.status !== 'failed') return '只能删除处理失败的报告。'
  if (report.uploadedBy === user.id) return null
  if (user.mayReview && report.filedInScope) return null
  return '只有上传人或本单位的督办人可以删除这份报告。'
}
