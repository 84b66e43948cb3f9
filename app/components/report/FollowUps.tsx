// The report page's cross-year findings: evidence for last year's commitments, and problems that recur.
import { Link } from '@remix-run/react'
import { Confidence, SuggestionDecision, textBeyondTitle } from '~/components/FollowUp'
import type { SuggestionRow } from '~/followup/suggestions.server'
import { zh } from '~/ui/zh'

/** Cross-year findings: last year's commitments with evidence in the next report, and problems that recur, side by side. */
export function FollowUps({
  followups,
  reportId,
  canReview,
  busy,
}: {
  followups: SuggestionRow[]
  reportId: string
  canReview: boolean
  busy: boolean
}) {
  const f = zh.followup
  const evidence = followups.filter(s => s.kind === 'evidence')
  const recurring = followups.filter(s => s.kind === 'recurring')
  const reportLink = (id: string, year: number | null) =>
    id !== reportId ? <Link to={`/reports/${id}`}>{f.year(year)}</Link> : <span>{f.report.thisReport(f.year(year))}</span>
  const title = (text: string, taskId: string | null) => (taskId ? <Link to={`/tasks/${taskId}`}>{text}</Link> : text)
  return (
    <section className="panel" aria-label={f.report.title}>
      <h2>
        {f.report.title}（{followups.length}）
      </h2>
      <p className="muted small">{f.help}</p>
      {evidence.length ? (
        <>
          <h3>
            {f.report.evidenceTitle}（{evidence.length}）
          </h3>
          <table className="data followup cards">
            <thead>
              <tr>
                <th>{f.earlierPlan}</th>
                <th>{f.laterPassage}</th>
                <th className="c-score">{f.columns.score}</th>
                <th className="c-decision">{f.columns.decision}</th>
              </tr>
            </thead>
            <tbody>
              {evidence.map(s => (
                <tr key={s.id} id={`followup-${s.id}`}>
                  <td data-label={f.earlierPlan}>
                    <div className="item-title">{title(s.earlier_title, s.earlier_task_id)}</div>
                    <div className="small muted">{reportLink(s.earlier_report_id, s.earlier_year)}</div>
                  </td>
                  <td data-label={f.laterPassage}>
                    <div className="quote passage">{s.passage}</div>
                    <div className="small muted">
                      {reportLink(s.later_report_id, s.later_year)}
                      {' · '}
                      <a href={s.later_report_id === reportId ? `#mark-${s.id}` : `/reports/${s.later_report_id}#mark-${s.id}`}>
                        {f.openReport}
                      </a>
                    </div>
                  </td>
                  <td>
                    <Confidence score={s.score} />
                  </td>
                  <td>
                    <SuggestionDecision s={s} canDecide={canReview} busy={busy} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      {recurring.length ? (
        <>
          <h3>
            {f.report.recurringTitle}（{recurring.length}）
          </h3>
          <table className="data followup cards">
            <thead>
              <tr>
                <th>{f.report.earlierProblem}</th>
                <th>{f.report.laterProblem}</th>
                <th className="c-score">{f.columns.score}</th>
                <th className="c-decision">{f.columns.decision}</th>
              </tr>
            </thead>
            <tbody>
              {recurring.map(s => (
                <tr key={s.id} id={`followup-${s.id}`}>
                  <td data-label={f.report.earlierProblem}>
                    <div className="item-title">{title(s.earlier_title, s.earlier_task_id)}</div>
                    {textBeyondTitle(s.earlier_title, s.earlier_text) ? (
                      <div className="small clamp muted-text">{s.earlier_text}</div>
                    ) : null}
                    <div className="small muted">{reportLink(s.earlier_report_id, s.earlier_year)}</div>
                  </td>
                  <td data-label={f.report.laterProblem}>
                    <div className="item-title">{title(s.later_title ?? '', s.later_task_id)}</div>
                    {textBeyondTitle(s.later_title ?? '', s.later_text) ? (
                      <div className="small clamp muted-text">{s.later_text}</div>
                    ) : null}
                    <div className="small muted">{reportLink(s.later_report_id, s.later_year)}</div>
                  </td>
                  <td>
                    <Confidence score={s.score} />
                  </td>
                  <td>
                    <SuggestionDecision s={s} canDecide={canReview} busy={busy} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  )
}
