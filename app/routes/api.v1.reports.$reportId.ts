// GET /api/v1/reports/:reportId: status, metadata and the extracted items with their offsets in the text.
import { presentItem } from '~/api/present.server'
import { apiJson, apiRoute, requireApiPermission } from '~/api/respond.server'
import { db } from '~/db.server'
import { notFound } from '~/errors'
import { getReportForUser } from '~/reports/queries.server'

export const { loader, action } = apiRoute({
  async GET({ params, user }) {
    requireApiPermission(user, 'report:read')
    const found = await getReportForUser(db, { id: params.reportId!, user })
    if (!found) throw notFound()
    const { report, items } = found
    return apiJson({
      id: report.id,
      status: report.status,
      error: report.error,
      filename: report.filename,
      agency: report.agency_name,
      year: report.year,
      publishedAt: report.published_at,
      unitId: report.unit_id,
      createdAt: report.created_at,
      items: items.map(presentItem),
    })
  },
})
