// GET /reports/:reportId/publish: whether the report's progress is public, its public address and
// the publishing history; POST intent=publish|withdraw: a supervisor of the report's scope opens or
// closes the public page (each a report event).
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { requireUser } from '~/auth/session.server'
import { ActionResult } from '~/components/ActionResult'
import { SubmitButton } from '~/components/SubmitButton'
import { done, pageAction } from '~/forms/page-action.server'
import { db } from '~/db.server'
import { AppError } from '~/errors'
import { absoluteLink, appUrl } from '~/notify/links'
import { publicationOf, publishReport, withdrawPublication } from '~/publish/publish.server'
import { formatDateTime } from '~/ui/format'
import { zh } from '~/ui/zh'

export const meta: MetaFunction = () => [{ title: `${zh.paperwork.publish.title} · ${zh.appName}` }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'report:read')
  try {
    const p = await publicationOf(db, user, params.reportId!)
    return json({
      ...p,
      reportId: params.reportId!,
      address: p.live ? absoluteLink(appUrl(), `/p/${p.live.token}`) : null,
      path: p.live ? `/p/${p.live.token}` : null,
    })
  } catch (err) {
    if (err instanceof AppError) throw new Response(err.message, { status: err.status })
    throw err
  }
}

const PublishStep = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('publish') }),
  z.object({ intent: z.literal('withdraw') }),
])

export async function action(args: ActionFunctionArgs) {
  const t = zh.paperwork.publish
  return pageAction(args, {
    permission: 'report:review',
    schema: PublishStep,
    handlers: {
      publish: async ({ user, params }) => done((await publishReport(db, user, params.reportId!)).created ? t.published : t.alreadyLive),
      withdraw: async ({ user, params }) =>
        done((await withdrawPublication(db, user, params.reportId!)).withdrawn ? t.withdrawn : t.notLive),
    },
  })
}

export default function PublishPage() {
  const { confirmed, live, events, canPublish, reportId, address, path } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const busy = useNavigation().state !== 'idle'
  const t = zh.paperwork.publish
  return (
    <>
      <div className="toolbar">
        <h1>{t.title}</h1>
        <Link to={`/reports/${reportId}`}>{zh.reports.detail}</Link>
      </div>
      <p className="muted small lead">{t.help}</p>
      <ActionResult result={result} />
      <section className="panel">
        <p role="status">{live ? t.live(formatDateTime(live.published_at)) : t.off}</p>
        {live && address && path ? (
          <dl className="meta-grid">
            <div>
              <dt>{t.address}</dt>
              <dd>
                <a href={path} target="_blank" rel="noreferrer" data-testid="public-link">
                  {address}
                </a>
              </dd>
            </div>
            <div>
              <dt>{t.feed}</dt>
              <dd>
                <a href={`${path}/feed`}>{`${address}/feed`}</a>
              </dd>
            </div>
            <div>
              <dt>{t.print}</dt>
              <dd>
                <a href={`${path}/print`}>{`${address}/print`}</a>
              </dd>
            </div>
          </dl>
        ) : null}
        {!confirmed ? <div className="alert info">{t.notConfirmed}</div> : null}
        {canPublish ? (
          <Form method="post" className="actions">
            {live ? (
              <SubmitButton className="btn danger" name="intent" value="withdraw" disabled={busy}>
                {t.withdraw}
              </SubmitButton>
            ) : (
              <SubmitButton name="intent" value="publish" disabled={busy || !confirmed}>
                {t.publish}
              </SubmitButton>
            )}
          </Form>
        ) : (
          <p className="muted small">{t.readOnly}</p>
        )}
      </section>
      {events.length ? (
        <section className="panel">
          <h2>{t.history}</h2>
          <ul>
            {events.map((e, i) => (
              <li key={i}>
                {formatDateTime(e.created_at)} · {e.actor_name ?? '—'} · {t.events[e.type] ?? e.type}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  )
}
