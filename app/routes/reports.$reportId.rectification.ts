// GET /reports/:reportId/rectification: the report's 整改情况报告 as a Word file, for those who may
// export (supervisors, oversight, admins), and only for a report in their scope.
import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '~/auth/session.server'
import { db } from '~/db.server'
import { downloadResponse } from '~/http.server'
import { rectificationReportFile } from '~/paperwork/files.server'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'ledger:export')
  const file = await rectificationReportFile(db, user, params.reportId!)
  if (!file) throw new Response('找不到该报告，或您无权查看。', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
  return downloadResponse(file, 'rectification')
}
