// The documents a report page offers: the 整改情况报告 download, the public progress page and the next year's section 五 draft.
import { zh } from '~/ui/zh'

export function PaperworkLinks({
  reportId,
  confirmed,
  canExport,
  canDraft,
  agencyId,
  year,
}: {
  reportId: string
  confirmed: boolean
  canExport: boolean
  canDraft: boolean
  agencyId: string | null
  year: number | null
}) {
  if (!confirmed || (!canExport && !canDraft)) return null
  return (
    <nav className="actions" aria-label={zh.paperwork.title}>
      {canExport ? (
        <a className="btn secondary" href={`/reports/${reportId}/rectification`} download>
          {zh.paperwork.rectification}
        </a>
      ) : null}
      <a className="btn secondary" href={`/reports/${reportId}/publish`}>
        {zh.paperwork.publish.link}
      </a>
      {canDraft && agencyId && year ? (
        <a className="btn secondary" href={`/section-five?agency=${encodeURIComponent(agencyId)}&year=${year + 1}`}>
          {zh.paperwork.sectionFive}
        </a>
      ) : null}
    </nav>
  )
}
