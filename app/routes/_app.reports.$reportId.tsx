import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { useState } from 'react'
import { can } from '~/auth/permissions'
import { requireUser } from '~/auth/session.server'
import { HighlightedText } from '~/components/HighlightedText'
import { ReportStatusBadge } from '~/components/StatusBadge'
import { db } from '~/db.server'
import { getReportForUser } from '~/reports/queries.server'
import { confirmReport } from '~/tasks/tasks.server'
import { formatDateTime } from '~/ui/format'
import { usePollWhile } from '~/ui/hooks'
import { zh } from '~/ui/zh'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.report.agency_name ?? data?.report.filename ?? zh.reports.detail} · ${zh.appName}` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'report:read')
  const found = await getReportForUser(db, { id: params.reportId!, user })
  if (!found) throw new Response('Not Found', { status: 404 })
  return json({ ...found, canReview: can(user.role, 'report:review') })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, 'report:review')
  const form = await request.formData()
  if (form.get('intent') !== 'confirm') return json({ error: '未知操作。' }, { status: 400 })
  const result = await confirmReport(db, user, params.reportId!)
  if (!result) throw new Response('Not Found', { status: 404 })
  return json({ confirmed: result.created })
}

export default function ReportDetail() {
  const { report, items, canReview } = useLoaderData<typeof loader>()
  const [params] = useSearchParams()
  const [focus, setFocus] = useState<string | null>(null)
  const busy = useNavigation().state !== 'idle'
  usePollWhile(report.status === 'queued' || report.status === 'processing')

  const select = (id: string, target: 'mark' | 'item') => {
    setFocus(id)
    document.getElementById(`${target}-${id}`)?.scrollIntoView({ behavior: 'smooth', block: 'center' })
  }
  const problems = items.filter(i => i.kind === 'problem').length
  return (
    <>
      <div className="toolbar">
        <h1>{report.title ?? report.filename}</h1>
        {canReview && report.status === 'extracted' && items.length > 0 ? (
          <Form method="post">
            <button className="btn" name="intent" value="confirm" disabled={busy}>
              {zh.reports.confirm}
            </button>
          </Form>
        ) : null}
      </div>
      {params.get('duplicate') ? <div className="alert info">{zh.upload.duplicate}</div> : null}
      {report.status === 'confirmed' ? <div className="alert ok">{zh.reports.confirmed}</div> : null}
      <div className="panel">
        <dl className="meta-grid">
          <div>
            <dt>{zh.reports.columns.agency}</dt>
            <dd>{report.agency_name ?? zh.common.none}</dd>
          </div>
          <div>
            <dt>{zh.reports.columns.year}</dt>
            <dd>{report.year ?? zh.common.none}</dd>
          </div>
          <div>
            <dt>{zh.reports.published}</dt>
            <dd>{report.published_at ?? zh.common.none}</dd>
          </div>
          <div>
            <dt>{zh.reports.columns.status}</dt>
            <dd>
              <ReportStatusBadge status={report.status} />
            </dd>
          </div>
          <div>
            <dt>{zh.reports.columns.items}</dt>
            <dd>
              {problems} / {items.length - problems}
            </dd>
          </div>
          <div>
            <dt>{zh.reports.encoding}</dt>
            <dd>{report.encoding ?? zh.common.none}</dd>
          </div>
          <div>
            <dt>{zh.reports.columns.uploaded}</dt>
            <dd>{formatDateTime(report.created_at)}</dd>
          </div>
        </dl>
      </div>
      {report.status === 'failed' ? (
        <div className="alert error" role="alert">
          {zh.reports.failed}：{report.error}
        </div>
      ) : null}
      {report.status === 'queued' || report.status === 'processing' ? <div className="alert info">{zh.reports.processing}</div> : null}
      {report.text ? (
        <div className="review">
          <section className="panel" aria-label={zh.reports.text}>
            <h2>{zh.reports.text}</h2>
            <HighlightedText text={report.text} highlights={items.map(i => ({ id: i.id, kind: i.kind, start: i.start_offset, end: i.end_offset }))} focusId={focus} onSelect={id => select(id, 'item')} />
          </section>
          <section className="panel" aria-label={zh.reports.items}>
            <h2>
              {zh.reports.items}（{items.length}）
            </h2>
            {items.length === 0 && report.status !== 'queued' && report.status !== 'processing' ? <p className="muted">{zh.reports.noItems}</p> : null}
            <div className="items">
              {items.map(item => (
                <button type="button" key={item.id} id={`item-${item.id}`} className={`item${focus === item.id ? ' focus' : ''}`} onClick={() => select(item.id, 'mark')} title={zh.reports.jumpToText}>
                  <span className={`badge ${item.kind}`}>{zh.itemKind[item.kind]}</span>
                  <div className="title">{item.title}</div>
                  <div className="meta">{item.due_date ? `建议时限 ${item.due_date}` : null}</div>
                </button>
              ))}
            </div>
          </section>
        </div>
      ) : null}
    </>
  )
}
