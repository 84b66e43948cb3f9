// The follow-up on the task page: the next year's passages that may show it done, and the same problem in another year.
import { Form, Link } from '@remix-run/react'
import { Confidence, DecisionButtons, PassageInText, SuggestionStatusBadge } from '~/components/FollowUp'
import { zh } from '~/ui/zh'
import type { TaskPageData } from './types'

const f = zh.followup

/** Passages of the next year's report that may show this commitment done, each in its surrounding text. */
export function NextYearEvidence({ items, busy }: { items: TaskPageData['followup']['evidence']; busy: boolean }) {
  const years = [...new Set(items.map(e => f.year(e.later.year)))].join('、')
  return (
    <section className="panel followup-section" aria-label={f.task.evidenceTitle}>
      <h2>{f.task.evidenceTitle}</h2>
      <p className="muted small">{f.task.evidenceHelp(years)}</p>
      {items.map(e => (
        <article
          key={e.id}
          id={`suggestion-${e.id}`}
          className={`suggestion ${e.status}`}
          aria-label={`${f.year(e.later.year)}报告中的段落`}
        >
          <div className="suggestion-head">
            <strong>
              {f.year(e.later.year)}报告{e.later.agency ? <span className="muted">（{e.later.agency}）</span> : null}
            </strong>
            <Confidence score={e.score} />
            <SuggestionStatusBadge status={e.status} />
          </div>
          <PassageInText context={e.context} />
          <div className="row suggestion-actions">
            {e.later.reportId ? <Link to={`/reports/${e.later.reportId}#mark-${e.id}`}>{f.openReport}</Link> : null}
            {e.canDecide ? (
              <Form method="post" className="inline">
                <input type="hidden" name="intent" value="followup" />
                <input type="hidden" name="suggestionId" value={e.id} />
                <DecisionButtons busy={busy} />
              </Form>
            ) : null}
          </div>
        </article>
      ))}
    </section>
  )
}

/** The same problem in the other year's report, side by side with this one, earlier year first. */
export function Recurrences({
  items,
  task,
  busy,
}: {
  items: TaskPageData['followup']['recurring']
  task: { text: string; year: number | null }
  busy: boolean
}) {
  return (
    <section className="panel followup-section" aria-label={f.task.recurringTitle}>
      <h2>{f.task.recurringTitle}</h2>
      <p className="muted small">{f.task.recurringHelp}</p>
      {items.map(r => {
        const mine = { year: task.year, text: task.text, mine: true, taskId: null as string | null }
        const other = { year: r.other.year, text: r.other.text, mine: false, taskId: r.other.taskId }
        const [earlier, later] = r.thisIs === 'earlier' ? [mine, other] : [other, mine]
        return (
          <article
            key={r.id}
            id={`suggestion-${r.id}`}
            className={`suggestion ${r.status}`}
            aria-label={r.thisIs === 'earlier' ? f.task.recurredIn(f.year(r.other.year)) : f.task.seenIn(f.year(r.other.year))}
          >
            <div className="suggestion-head">
              <strong>{r.thisIs === 'earlier' ? f.task.recurredIn(f.year(r.other.year)) : f.task.seenIn(f.year(r.other.year))}</strong>
              <Confidence score={r.score} />
              <SuggestionStatusBadge status={r.status} />
            </div>
            <div className="side-by-side">
              {[earlier, later].map(side => (
                <div key={side.mine ? 'mine' : 'other'} className={side.mine ? 'side mine' : 'side'}>
                  <div className="cell-label muted small">
                    {f.earlierProblem(f.year(side.year))}
                    {side.mine ? `（${f.task.thisTask}）` : null}
                  </div>
                  <p className="quote">{side.text}</p>
                  {side.taskId ? (
                    <Link to={`/tasks/${side.taskId}`} className="small">
                      {f.openTask}
                    </Link>
                  ) : null}
                </div>
              ))}
            </div>
            {r.canDecide ? (
              <Form method="post" className="row suggestion-actions">
                <input type="hidden" name="intent" value="followup" />
                <input type="hidden" name="suggestionId" value={r.id} />
                <DecisionButtons busy={busy} />
              </Form>
            ) : null}
          </article>
        )
      })}
    </section>
  )
}
