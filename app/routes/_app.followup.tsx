// The review queue of cross-year findings: every pending suggestion in the user's scope, grouped by
// report pair, for a supervisor to confirm or reject; oversight reads it.
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { z } from 'zod'
import { requireUser } from '~/auth/session.server'
import { ActionResult } from '~/components/ActionResult'
import { Confidence, SuggestionDecision, SuggestionKindBadge, textBeyondTitle } from '~/components/FollowUp'
import { Pager } from '~/components/Pager'
import { db } from '~/db.server'
import { done, pageAction } from '~/forms/page-action.server'
import { decideSuggestion, listSuggestionQueue, mayViewSuggestionQueue, type SuggestionRow } from '~/followup/suggestions.server'
import { SUGGESTION_KINDS, SUGGESTION_STATUSES } from '~/followup/suggestion-kinds'
import { zh } from '~/ui/zh'

export const meta: MetaFunction = () => [{ title: `${zh.followup.title} · ${zh.appName}` }]

const Query = z.object({
  kind: z.enum(SUGGESTION_KINDS).optional().catch(undefined),
  status: z
    .enum([...SUGGESTION_STATUSES, 'all'])
    .optional()
    .catch(undefined),
  page: z.coerce.number().int().min(1).optional().catch(undefined),
})

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  if (!mayViewSuggestionQueue(user.role)) throw new Response('无权执行此操作。', { status: 403 })
  const q = Query.parse(Object.fromEntries(new URL(request.url).searchParams))
  const queue = await listSuggestionQueue(db, user, { kind: q.kind, status: q.status, page: q.page })
  return json(queue)
}

const Decision = z.object({
  intent: z.literal('followup'),
  suggestionId: z.string().min(1, '提交的内容不完整。'),
  decision: z.enum(['confirm', 'reject'], { message: '提交的内容不完整。' }),
})

export async function action(args: ActionFunctionArgs) {
  return pageAction(args, {
    permission: 'report:review',
    schema: Decision,
    handlers: {
      followup: async ({ user, data }) => {
        const r = await decideSuggestion(db, user, data.suggestionId, data.decision === 'confirm')
        return done(r.status === 'confirmed' ? zh.followup.confirmedOk : zh.followup.rejectedOk)
      },
    },
  })
}

export default function FollowUpQueue() {
  const { groups, total, page, pageCount, status, kind, canDecide } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const busy = useNavigation().state !== 'idle'
  const [params] = useSearchParams()
  const f = zh.followup
  return (
    <>
      <div className="toolbar">
        <h1>
          {f.title} <span className="muted small">{f.count(total)}</span>
        </h1>
      </div>
      <p className="muted small lead">{f.help}</p>
      {!canDecide ? <div className="alert info">{f.readOnly}</div> : null}
      <Form method="get" className="filters" aria-label="筛选">
        <label className="check">
          {f.filters.kind}
          <select name="kind" defaultValue={kind ?? ''}>
            <option value="">{f.filters.allKinds}</option>
            {SUGGESTION_KINDS.map(k => (
              <option key={k} value={k}>
                {f.kinds[k]}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          {f.filters.status}
          <select name="status" defaultValue={status}>
            {SUGGESTION_STATUSES.map(s => (
              <option key={s} value={s}>
                {f.statuses[s]}
              </option>
            ))}
            <option value="all">{f.filters.allStatuses}</option>
          </select>
        </label>
        <button className="btn small secondary">{f.filters.apply}</button>
      </Form>
      <ActionResult result={result} />
      {groups.length === 0 ? (
        <div className="panel empty">{status === 'pending' && !kind && !params.get('page') ? f.emptyPending : f.empty}</div>
      ) : null}
      {groups.map(g => {
        const agency = g.later.agency ?? g.earlier.agency ?? g.later.filename
        const label = f.pair(agency, f.year(g.earlier.year), f.year(g.later.year))
        return (
          <section key={`${g.earlier.reportId}:${g.later.reportId}:${g.suggestions[0].id}`} className="panel pair" aria-label={label}>
            <div className="pair-head">
              <h2>{agency}</h2>
              <span className="pair-years">
                <Link to={`/reports/${g.earlier.reportId}`}>{f.year(g.earlier.year)}</Link>
                <span aria-hidden="true"> → </span>
                <Link to={`/reports/${g.later.reportId}`}>{f.year(g.later.year)}</Link>
              </span>
            </div>
            <table className="data followup cards">
              <thead>
                <tr>
                  <th className="c-kind">{f.columns.kind}</th>
                  <th>{f.year(g.earlier.year)}</th>
                  <th>{f.year(g.later.year)}</th>
                  <th className="c-score">{f.columns.score}</th>
                  <th className="c-decision">{f.columns.decision}</th>
                </tr>
              </thead>
              <tbody>
                {g.suggestions.map(s => (
                  <QueueRow key={s.id} s={s} canDecide={canDecide} busy={busy} />
                ))}
              </tbody>
            </table>
          </section>
        )
      })}
      <Pager page={page} pageCount={pageCount} />
    </>
  )
}

function QueueRow({ s, canDecide, busy }: { s: SuggestionRow; canDecide: boolean; busy: boolean }) {
  const f = zh.followup
  return (
    <tr id={`suggestion-${s.id}`}>
      <td>
        <SuggestionKindBadge kind={s.kind} />
      </td>
      <td>
        <div className="cell-label muted small">{s.kind === 'evidence' ? f.earlierPlan : zh.itemKind.problem}</div>
        <ItemText title={s.earlier_title} text={s.earlier_text} taskId={s.earlier_task_id} />
      </td>
      <td>
        {s.kind === 'evidence' ? (
          <>
            <div className="cell-label muted small">{f.laterPassage}</div>
            <div className="quote passage">{s.passage}</div>
            <div className="small">
              <Link to={`/reports/${s.later_report_id}#mark-${s.id}`}>{f.openReport}</Link>
            </div>
          </>
        ) : (
          <>
            <div className="cell-label muted small">{zh.itemKind.problem}</div>
            <ItemText title={s.later_title ?? ''} text={s.later_text ?? s.passage ?? ''} taskId={s.later_task_id} />
          </>
        )}
      </td>
      <td>
        <Confidence score={s.score} />
      </td>
      <td>
        <SuggestionDecision s={s} canDecide={canDecide} busy={busy} />
      </td>
    </tr>
  )
}

function ItemText({ title, text, taskId }: { title: string; text: string; taskId: string | null }) {
  return (
    <>
      <div className="item-title">{taskId ? <Link to={`/tasks/${taskId}`}>{title}</Link> : title}</div>
      {textBeyondTitle(title, text) ? <div className="small clamp muted-text">{text}</div> : null}
      {!taskId ? <div className="small muted">{zh.followup.noTask}</div> : null}
    </>
  )
}
