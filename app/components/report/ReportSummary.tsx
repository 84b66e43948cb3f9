// The report's facts (agency, year, publication, status, counts, file), each the extractor doubted
// marked 待核对 while it is reviewed; and the form that corrects agency and year.
import { Form } from '@remix-run/react'
import { AgencyInput } from '~/components/AgencyInput'
import { ReportStatusBadge } from '~/components/StatusBadge'
import { SubmitButton } from '~/components/SubmitButton'
import { isDoubtful } from '~/reports/review'
import { formatDateTime } from '~/ui/format'
import { zh } from '~/ui/zh'
import type { ReportPageData } from './types'

export function ReportSummary({
  report,
  items,
  canReview,
  reviewing,
  busy,
}: Pick<ReportPageData, 'report' | 'items' | 'canReview' | 'reviewing'> & { busy: boolean }) {
  const problems = items.filter(i => i.kind === 'problem').length
  return (
    <div className="panel">
      <dl className="meta-grid">
        <Meta label={zh.reports.columns.agency} value={report.agency_name} doubt={reviewing && isDoubtful(report.agency_confidence)} />
        <Meta label={zh.reports.columns.year} value={report.year} doubt={reviewing && isDoubtful(report.year_confidence)} />
        <Meta label={zh.reports.published} value={report.published_at} />
        <div>
          <dt>{zh.reports.columns.status}</dt>
          <dd>
            <ReportStatusBadge status={report.status} />
          </dd>
        </div>
        <Meta label={zh.reports.columns.items} value={`${problems} / ${items.length - problems}`} />
        <Meta label={zh.reports.encoding} value={report.encoding} />
        <Meta label="文件" value={report.filename} />
        <Meta label={zh.reports.columns.uploaded} value={formatDateTime(report.created_at)} />
      </dl>
      {canReview && (report.status === 'extracted' || report.status === 'confirmed') ? (
        <MetadataForm agencyName={report.agency_name} year={report.year} busy={busy} />
      ) : null}
    </div>
  )
}

/** Corrects the agency and year the extraction found (or missed); checked again on the server. */
export function MetadataForm({ agencyName, year, busy }: { agencyName: string | null; year: number | null; busy: boolean }) {
  return (
    <details className="metadata-fix">
      <summary>更正报告机关和年度</summary>
      <Form method="post" className="row">
        <input type="hidden" name="intent" value="metadata" />
        <label>
          报告机关
          <AgencyInput name="agencyName" defaultValue={agencyName ?? ''} />
        </label>
        <label>
          年度
          <input type="text" name="year" inputMode="numeric" defaultValue={year ?? ''} size={6} required />
        </label>
        <SubmitButton className="btn small" disabled={busy} reset={false}>
          保存更正
        </SubmitButton>
      </Form>
    </details>
  )
}

export function Meta({ label, value, doubt }: { label: string; value: string | number | null | undefined; doubt?: boolean }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>
        {value ?? zh.common.none}
        {doubt ? (
          <span className="tag doubt" title="提取把握不大，请核对">
            待核对
          </span>
        ) : null}
      </dd>
    </div>
  )
}
