// GET /tasks/notices.pdf?id=…&id=…: the latest 督办单 of each task as one PDF (a batch to print), for
// tasks the user may see; any task out of scope makes the whole answer 404.
import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '~/auth/session.server'
import { db } from '~/db.server'
import { AppError } from '~/errors'
import { downloadResponse } from '~/http.server'
import { CjkFontMissing, renderNoticesPdf } from '~/paperwork/notice-pdf.server'
import { loadSupervisionNotice, NOTICE_BATCH_MAX } from '~/paperwork/notice.server'

const text = (message: string, status: number) =>
  new Response(message, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'task:read')
  const ids = [...new Set(new URL(request.url).searchParams.getAll('id'))]
  if (!ids.length || ids.length > NOTICE_BATCH_MAX) throw text(`请指定 1 至 ${NOTICE_BATCH_MAX} 项任务。`, 400)
  try {
    const notices = []
    for (const id of ids) notices.push((await loadSupervisionNotice(db, user, id)).notice)
    return downloadResponse(
      { filename: `整改任务督办单（${notices.length} 份）.pdf`, contentType: 'application/pdf', body: await renderNoticesPdf(notices) },
      'notices',
    )
  } catch (err) {
    if (err instanceof AppError) throw text(err.message, err.status)
    if (err instanceof CjkFontMissing) throw text(err.message, 503)
    throw err
  }
}
