// Pieces shared by the places where follow-up suggestions are seen and decided: the report page,
// the task page and the review queue.
import { Form } from '@remix-run/react'
import type { PassageInContext } from '~/followup/passage'
import { formatDateTime } from '~/ui/format'
import { zh } from '~/ui/zh'
import { SubmitButton } from './SubmitButton'

/** A passage of the later report marked in the sentences around it. */
export function PassageInText({ context }: { context: PassageInContext }) {
  return (
    <p className="quote passage-context">
      {context.clippedStart ? '…' : null}
      {context.before}
      <mark className="evidence">{context.passage}</mark>
      {context.after}
      {context.clippedEnd ? '…' : null}
    </p>
  )
}

/** The engine's score in words first, the figure second. */
export function Confidence({ score }: { score: number }) {
  const level = score >= 0.85 ? 'high' : score >= 0.65 ? 'mid' : 'low'
  return (
    <span className={`confidence ${level}`}>
      {zh.followup.confidence(score)}
      <span className="match">{zh.followup.match(score)}</span>
    </span>
  )
}

export function SuggestionStatusBadge({ status }: { status: string }) {
  const cls = status === 'pending' ? 'queued' : status === 'confirmed' ? 'confirmed' : 'rejected'
  return <span className={`badge ${cls}`}>{zh.followup.statuses[status] ?? status}</span>
}

export function SuggestionKindBadge({ kind }: { kind: string }) {
  return <span className={`badge ${kind === 'evidence' ? 'closed' : 'overdue'}`}>{zh.followup.kinds[kind] ?? kind}</span>
}

/**
 * A suggestion's decision cell: its status, 确认 / 驳回 while it is pending and the viewer may decide
 * (posted as intent "followup" to the page's action), and who decided it when.
 */
export function SuggestionDecision({
  s,
  canDecide,
  busy,
}: {
  s: { id: string; status: string; earlier_title: string; decided_at: string | null; decided_by_name: string | null }
  canDecide: boolean
  busy: boolean
}) {
  return (
    <>
      <SuggestionStatusBadge status={s.status} />
      {canDecide && s.status === 'pending' ? (
        <Form method="post" className="row decision">
          <input type="hidden" name="intent" value="followup" />
          <input type="hidden" name="suggestionId" value={s.id} />
          <DecisionButtons busy={busy} label={s.earlier_title} />
        </Form>
      ) : null}
      {s.decided_at ? <div className="small muted">{zh.followup.decidedBy(s.decided_by_name, formatDateTime(s.decided_at))}</div> : null}
    </>
  )
}

/** 确认 / 驳回, for inside a form that carries the intent and the suggestion id. */
export function DecisionButtons({ busy, label }: { busy: boolean; label?: string }) {
  return (
    <>
      <SubmitButton
        className="btn small"
        name="decision"
        value="confirm"
        disabled={busy}
        aria-label={label ? `${zh.followup.confirm}：${label}` : undefined}
      >
        {zh.followup.confirm}
      </SubmitButton>
      <SubmitButton
        className="btn small secondary"
        name="decision"
        value="reject"
        disabled={busy}
        aria-label={label ? `${zh.followup.reject}：${label}` : undefined}
      >
        {zh.followup.reject}
      </SubmitButton>
    </>
  )
}

const ENUMERATOR = /^[\s(（]*(?:[一二三四五六七八九十\d]+[)）、.．]|[一二三四五六七八九十]是|第[一二三四五六七八九十]+[,，、]?)\s*/

/** An item's full text when it says more than its title (titles are often the text minus a list marker). */
export function textBeyondTitle(title: string, text: string | null): string | null {
  if (!text) return null
  const bare = text.replace(ENUMERATOR, '').replace(/(?:等问题)?[。；;,，\s]*$/, '')
  const t = title.replace(/[。；;,，\s]*$/, '')
  return bare === t || (bare.includes(t) && bare.length - t.length < 12) ? null : text
}
