// GET /oversight/export?table=…&format=xlsx|csv&<the page's filters>[&agency=id]: one oversight
// table, exactly as the page filters it.
import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '~/auth/session.server'
import { enforceRateLimit } from '~/rate-limits.server'
import { db } from '~/db.server'
import { AppError } from '~/errors'
import { downloadResponse } from '~/http.server'
import { exportOversightTable, isExportTable } from '~/oversight/export.server'
import { readOversightQuery } from '~/oversight/filters'
import { zh } from '~/ui/zh'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'oversight:read')
  const params = new URL(request.url).searchParams
  const table = params.get('table')
  const format = params.get('format') ?? 'xlsx'
  if (!isExportTable(table) || (format !== 'xlsx' && format !== 'csv')) throw new Response(zh.oversight.tables.badTable, { status: 400 })
  enforceRateLimit(user, 'export')
  try {
    const file = await exportOversightTable(db, user, { table, format, query: readOversightQuery(params), agencyId: params.get('agency') })
    return downloadResponse(file, 'oversight')
  } catch (err) {
    if (err instanceof AppError) throw new Response(err.message, { status: err.status })
    throw err
  }
}
