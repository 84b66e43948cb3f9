// /section-five.docx?agency=&year=: the section 五 draft as a Word file: GET as assembled, POST with
// the supervisor's edited paragraphs (fields p:<paragraph key>) from the draft page.
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { requireUser, type SessionUser } from '~/auth/session.server'
import { db } from '~/db.server'
import { downloadResponse } from '~/http.server'
import { renderDocx } from '~/paperwork/docx'
import { DOCX_TYPE } from '~/paperwork/files.server'
import { sectionFiveDocument } from '~/paperwork/section-five'
import { DraftQuery, loadSectionFiveDraft } from '~/paperwork/section-five.server'
import { zh } from '~/ui/zh'

const text = (message: string, status: number) =>
  new Response(message, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })

async function draftFile(user: SessionUser, fields: { get(name: string): unknown }) {
  const q = DraftQuery.safeParse({ agency: fields.get('agency'), year: fields.get('year') })
  if (!q.success) throw text('请指定报告机关和年度。', 400)
  const draft = await loadSectionFiveDraft(db, user, q.data.agency, q.data.year)
  if (!draft) throw text(zh.paperwork.draft.notFound, 404)
  const edits: Record<string, string> = {}
  for (const s of draft.sections)
    for (const p of s.paragraphs) {
      const v = fields.get(`p:${p.key}`)
      if (typeof v === 'string') edits[p.key] = v.slice(0, 20_000)
    }
  const body = await renderDocx(sectionFiveDocument(draft, edits))
  return downloadResponse(
    { filename: `${draft.agencyName}${draft.year}年度报告第五部分草稿.docx`, contentType: DOCX_TYPE, body },
    'section-five',
  )
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'report:review')
  return draftFile(user, new URL(request.url).searchParams)
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, 'report:review')
  return draftFile(user, await request.formData())
}
