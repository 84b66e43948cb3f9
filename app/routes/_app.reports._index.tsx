// The reports a user may read (their subtree's, and those their tasks come from), 20 a page, filtered
// by status, year and agency and searched by title/agency; upload and import only for those who may;
// a failed upload can be deleted (after a confirmation step) by its uploader or a reviewer of its unit.
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams, useSubmit } from '@remix-run/react'
import { z } from 'zod'
import { can } from '~/auth/permissions'
import { requireUser } from '~/auth/session.server'
import { ActionResult } from '~/components/ActionResult'
import { Pager } from '~/components/Pager'
import { ReportStatusBadge } from '~/components/StatusBadge'
import { db } from '~/db.server'
import { AppError } from '~/errors'
import { deleteFailedReport } from '~/reports/delete.server'
import { deleteReportProblem, isFiltered, parseReportFilters, REPORT_STATUSES } from '~/reports/list'
import { filedInScope, pageReportsForUser, reportAgenciesForUser, reportYears } from '~/reports/queries.server'
import { formatDateTime } from '~/ui/format'
import { usePollWhile } from '~/ui/hooks'
import { zh } from '~/ui/zh'

export const meta: MetaFunction = () => [{ title: `${zh.reports.title} · ${zh.appName}` }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'report:read')
  const filters = parseReportFilters(new URL(request.url).searchParams)
  const [{ rows, total, page, pageCount }, years, agencies] = await Promise.all([
    pageReportsForUser(db, user, filters),
    reportYears(db),
    reportAgenciesForUser(db, user),
  ])
  const mayReview = can(user.role, 'report:review')
  const reports = rows.map(({ uploaded_by, unit_path, ...r }) => ({
    ...r,
    canDelete:
      can(user.role, 'report:create') &&
      !deleteReportProblem(
        { status: r.status, uploadedBy: uploaded_by, filedInScope: filedInScope(user, unit_path) },
        { id: user.id, mayReview },
      ),
  }))
  return json({
    reports,
    total,
    page,
    pageCount,
    years,
    agencies,
    filtered: isFiltered(filters),
    canUpload: can(user.role, 'report:create'),
    canImport: can(user.role, 'report:import'),
  })
}

const DeleteForm = z.object({
  intent: z.literal('delete-report'),
  reportId: z.string().min(1),
  confirmed: z.literal('yes', { errorMap: () => ({ message: zh.reports.deleteNeedsConfirm }) }),
})

export async function action({ request }: ActionFunctionArgs) {
  // Only those who may upload ever delete (their own failed upload, or as a reviewer of the unit).
  const user = await requireUser(request, 'report:create')
  const parsed = DeleteForm.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) return json({ error: parsed.error.issues[0]?.message ?? '提交的内容不完整。' }, { status: 400 })
  try {
    const { filename } = await deleteFailedReport(db, user, parsed.data.reportId)
    return json({ ok: zh.reports.deleted(filename) })
  } catch (err) {
    if (err instanceof AppError) return json({ error: err.message }, { status: err.status })
    throw err
  }
}

const nameOf = (r: { title: string | null; agency_name: string | null; year: number | null; filename: string }) =>
  r.title || (r.agency_name && r.year ? `${r.agency_name}${r.year}年度报告` : r.filename)

export default function Reports() {
  const { reports, total, page, pageCount, years, agencies, filtered, canUpload, canImport } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const [params] = useSearchParams()
  const submit = useSubmit()
  const busy = useNavigation().state !== 'idle'
  usePollWhile(reports.some(r => r.status === 'queued' || r.status === 'processing'))
  const c = zh.reports.columns
  const deleting = result && 'ok' in result ? null : reports.find(r => r.id === params.get('delete') && r.canDelete)
  const without = (key: string) => {
    const next = new URLSearchParams(params)
    next.delete(key)
    const q = next.toString()
    return q ? `?${q}` : '.'
  }
  return (
    <>
      <div className="toolbar">
        <h1>{zh.reports.title}</h1>
        <div className="actions">
          {canImport ? (
            <Link to="/reports/import" className="btn secondary">
              {zh.importBatch.link}
            </Link>
          ) : null}
          {canUpload ? (
            <Link to="/reports/new" className="btn">
              {zh.reports.upload}
            </Link>
          ) : null}
        </div>
      </div>
      <ActionResult result={result} />
      {deleting ? (
        <section role="alertdialog" aria-labelledby="delete-title" aria-describedby="delete-help" className="alert error">
          <h3 id="delete-title">{zh.reports.deleteConfirmTitle(nameOf(deleting))}</h3>
          <p id="delete-help">{zh.reports.deleteHelp}</p>
          <Form
            method="post"
            action={`/reports${without('delete') === '.' ? '' : without('delete')}`}
            style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}
          >
            <input type="hidden" name="intent" value="delete-report" />
            <input type="hidden" name="reportId" value={deleting.id} />
            <input type="hidden" name="confirmed" value="yes" />
            <button type="submit" className="btn danger" disabled={busy}>
              {zh.reports.deleteConfirm}
            </button>
            <Link to={without('delete')} className="btn secondary" autoFocus>
              {zh.admin.cancel}
            </Link>
          </Form>
        </section>
      ) : null}
      <details className="filter-toggle" open={filtered || undefined}>
        <summary>{filtered ? '筛选（已筛选）' : '筛选'}</summary>
      </details>
      <Form
        method="get"
        className="filters"
        aria-label={zh.reports.filterLabel}
        onChange={e => (e.target as HTMLElement).tagName === 'SELECT' && submit(e.currentTarget)}
      >
        <select name="status" defaultValue={params.get('status') ?? ''} aria-label={c.status}>
          <option value="">{zh.reports.allStatuses}</option>
          {REPORT_STATUSES.map(s => (
            <option key={s} value={s}>
              {zh.reportStatus[s]}
            </option>
          ))}
        </select>
        <select name="year" defaultValue={params.get('year') ?? ''} aria-label={c.year}>
          <option value="">{zh.reports.allYears}</option>
          {years.map(y => (
            <option key={y} value={y}>
              {y} 年度
            </option>
          ))}
        </select>
        {agencies.length ? (
          <select name="agency" defaultValue={params.get('agency') ?? ''} aria-label={c.agency}>
            <option value="">{zh.reports.allAgencies}</option>
            {agencies.map(a => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        ) : null}
        <input type="search" name="q" defaultValue={params.get('q') ?? ''} placeholder={zh.reports.search} aria-label={zh.reports.search} />
        <button type="submit" className="btn secondary">
          {zh.reports.searchButton}
        </button>
        {filtered ? (
          <Link to="/reports" className="small">
            {zh.reports.clear}
          </Link>
        ) : null}
        <span className="small muted">{zh.reports.total(total)}</span>
      </Form>
      {reports.length === 0 ? (
        <div className="panel empty">{filtered ? zh.reports.noMatch : canUpload ? zh.reports.empty : zh.reports.emptyReader}</div>
      ) : (
        <table className="data cards">
          <thead>
            <tr>
              <th>{c.file}</th>
              <th>{c.agency}</th>
              <th>{c.year}</th>
              <th>{c.items}</th>
              <th>{c.status}</th>
              <th>{c.uploaded}</th>
            </tr>
          </thead>
          <tbody>
            {reports.map(r => (
              <tr key={r.id}>
                <td className="card-title">
                  {/* People know a report by its title; the stored file name (often a hash) comes second. */}
                  <Link to={`/reports/${r.id}`}>{nameOf(r)}</Link>
                  {r.title || (r.agency_name && r.year) ? <div className="small muted filename">{r.filename}</div> : null}
                </td>
                <td data-label={c.agency}>{r.agency_name ?? <span className="muted">{zh.common.none}</span>}</td>
                <td data-label={c.year}>{r.year ?? zh.common.none}</td>
                <td data-label={c.items}>
                  {r.status === 'extracted' || r.status === 'confirmed' ? `${Number(r.problems)} / ${Number(r.plans)}` : zh.common.none}
                </td>
                <td data-label={c.status}>
                  <ReportStatusBadge status={r.status} />
                  {r.status === 'failed' && r.error ? <div className="small muted">{r.error}</div> : null}
                  {r.canDelete ? (
                    <div>
                      <Link
                        to={`?${new URLSearchParams([...params.entries()].filter(([k]) => k !== 'delete').concat([['delete', r.id]])).toString()}`}
                        className="small"
                        aria-label={`${zh.reports.delete}：${nameOf(r)}`}
                      >
                        {zh.reports.delete}
                      </Link>
                    </div>
                  ) : null}
                </td>
                <td className="small muted" data-label={c.uploaded}>
                  {formatDateTime(r.created_at)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager page={page} pageCount={pageCount} />
    </>
  )
}
