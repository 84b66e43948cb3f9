// GET /tasks/:taskId/notice.pdf: the task's latest issued 督办单 as a PDF (before any, a preview marked
// as not issued), for anyone who may see the task.
import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '~/auth/session.server'
import { db } from '~/db.server'
import { AppError } from '~/errors'
import { downloadResponse } from '~/http.server'
import { CjkFontMissing, renderNoticePdf } from '~/paperwork/notice-pdf.server'
import { loadSupervisionNotice } from '~/paperwork/notice.server'

const text = (message: string, status: number) =>
  new Response(message, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'task:read')
  try {
    const { notice } = await loadSupervisionNotice(db, user, params.taskId!)
    const body = await renderNoticePdf(notice)
    return downloadResponse({ filename: `${notice.heading}${notice.number}.pdf`, contentType: 'application/pdf', body }, 'notice')
  } catch (err) {
    if (err instanceof AppError) throw text(err.message, err.status)
    if (err instanceof CjkFontMissing) throw text(err.message, 503)
    throw err
  }
}
