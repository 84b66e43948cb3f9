// The reports a user may read (their subtree's, and those their tasks come from); upload and import only for those who may.
import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { can } from '~/auth/permissions'
import { requireUser } from '~/auth/session.server'
import { ReportStatusBadge } from '~/components/StatusBadge'
import { db } from '~/db.server'
import { listReportsForUser } from '~/reports/queries.server'
import { formatDateTime } from '~/ui/format'
import { usePollWhile } from '~/ui/hooks'
import { zh } from '~/ui/zh'

export const meta: MetaFunction = () => [{ title: `${zh.reports.title} · ${zh.appName}` }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'report:read')
  const reports = await listReportsForUser(db, user)
  return json({ reports, canUpload: can(user.role, 'report:create'), canImport: can(user.role, 'report:import') })
}

export default function Reports() {
  const { reports, canUpload, canImport } = useLoaderData<typeof loader>()
  usePollWhile(reports.some(r => r.status === 'queued' || r.status === 'processing'))
  const c = zh.reports.columns
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
      {reports.length === 0 ? (
        <div className="panel empty">{canUpload ? zh.reports.empty : zh.reports.emptyReader}</div>
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
                  <Link to={`/reports/${r.id}`}>{r.title || (r.agency_name && r.year ? `${r.agency_name}${r.year}年度报告` : r.filename)}</Link>
                  {r.title || (r.agency_name && r.year) ? <div className="small muted filename">{r.filename}</div> : null}
                </td>
                <td data-label={c.agency}>{r.agency_name ?? <span className="muted">{zh.common.none}</span>}</td>
                <td data-label={c.year}>{r.year ?? zh.common.none}</td>
                <td data-label={c.items}>{r.status === 'extracted' || r.status === 'confirmed' ? `${Number(r.problems)} / ${Number(r.plans)}` : zh.common.none}</td>
                <td data-label={c.status}>
                  <ReportStatusBadge status={r.status} />
                  {r.status === 'failed' && r.error ? <div className="small muted">{r.error}</div> : null}
                </td>
                <td className="small muted" data-label={c.uploaded}>
                  {formatDateTime(r.created_at)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  )
}
