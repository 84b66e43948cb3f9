import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { ActionResult } from '~/components/ActionResult'
import { requireUser } from '~/auth/session.server'
import { db } from '~/db.server'
import { SubmitButton } from '~/components/SubmitButton'
import { done, pageAction } from '~/forms/page-action.server'
import { mergeAgencies, searchAgencies, splitAgency, type AgencyView } from '~/agencies/registry.server'
import { requestFollowUps } from '~/jobs/client.server'
import { zh } from '~/ui/zh'

export const meta: MetaFunction = () => [{ title: `${zh.agencies.title} · ${zh.appName}` }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'admin')
  const q = new URL(request.url).searchParams.get('q')?.slice(0, 100) ?? ''
  return json({ q, ...(await searchAgencies(db, user, q)) })
}

const id = z.string({ required_error: zh.agencies.invalid }).min(1, zh.agencies.invalid)
const AgencyAction = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('merge'), fromId: id, intoId: id }),
  z.object({
    intent: z.literal('split'),
    agencyId: id,
    reportIds: z.array(id),
    aliasIds: z.array(id),
    target: id,
    newName: z.string().max(100, zh.agencies.invalid).optional(),
  }),
])

/** The follow-up jobs a merge or split calls for, queued now or (Redis away) by the sweep later. */
async function followUp(message: string, followUps: Parameters<typeof requestFollowUps>[0]) {
  const queued = await requestFollowUps(followUps)
  return done(queued ? message : `${message}${zh.agencies.queueLater}`)
}

export async function action(args: ActionFunctionArgs) {
  return pageAction(args, {
    permission: 'admin',
    schema: AgencyAction,
    arrays: ['reportIds', 'aliasIds'],
    handlers: {
      merge: async ({ user, data }) => {
        const change = await mergeAgencies(db, user, { intoId: data.intoId, fromId: data.fromId })
        return followUp(zh.agencies.merged(change.followUps.length), change.followUps)
      },
      split: async ({ user, data }) => {
        const change = await splitAgency(db, user, {
          agencyId: data.agencyId,
          reportIds: data.reportIds,
          aliasIds: data.aliasIds,
          intoId: data.target === 'new' ? null : data.target,
          newName: data.target === 'new' ? data.newName : null,
        })
        return followUp(zh.agencies.splitDone(change.followUps.length), change.followUps)
      },
    },
  })
}

export default function AdminAgencies() {
  const { q, agencies, truncated } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  return (
    <>
      <h1>{zh.agencies.title}</h1>
      <p className="muted">{zh.agencies.help}</p>
      <Form method="get" className="filters" role="search">
        <input type="search" name="q" defaultValue={q} placeholder={zh.agencies.search} aria-label={zh.agencies.search} />
        <button type="submit" className="btn secondary">
          {zh.agencies.searchButton}
        </button>
        <span className="muted">{agencies.length ? zh.agencies.count(agencies.length, truncated) : null}</span>
      </Form>
      <ActionResult result={result} />
      {agencies.length === 0 ? <p className="muted">{zh.agencies.empty}</p> : null}
      {agencies.map(a => (
        // a new key after a merge or split closes the card's open forms
        <AgencyCard
          key={`${a.id}:${a.reports.map(r => r.id).join()}:${a.aliases.map(x => x.id).join()}`}
          agency={a}
          others={agencies.filter(o => o.id !== a.id)}
        />
      ))}
    </>
  )
}

type View = AgencyView

function AgencyCard({ agency: a, others }: { agency: View; others: View[] }) {
  const busy = useNavigation().state !== 'idle'
  const headingId = `agency-${a.id}`
  return (
    <section className="panel agency-card" aria-labelledby={headingId}>
      <h2 id={headingId}>{a.name}</h2>
      {a.distinctFrom.length ? (
        <p className="muted small">
          {zh.agencies.distinctFrom}
          {a.distinctFrom.map(d => d.name).join('、')}
        </p>
      ) : null}
      <h3>{zh.agencies.aliases}</h3>
      {a.aliases.length ? (
        <ul className="agency-aliases">
          {a.aliases.map(x => (
            <li key={x.id}>
              {x.alias} <span className={`badge alias-${x.source}`}>{zh.agencies.sources[x.source]}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">{zh.agencies.noAliases}</p>
      )}
      <h3>{zh.agencies.reports}</h3>
      {a.reports.length ? (
        <div className="scroll-x">
          <table className="data">
            <thead>
              <tr>
                <th>{zh.reports.columns.year}</th>
                <th>{zh.agencies.nameInReport}</th>
                <th>{zh.reports.columns.file}</th>
                <th>{zh.reports.columns.status}</th>
              </tr>
            </thead>
            <tbody>
              {a.reports.map(r => (
                <tr key={r.id}>
                  <td>{r.year ?? zh.agencies.yearUnknown}</td>
                  <td>{r.agencyName ?? zh.common.none}</td>
                  <td>
                    <Link to={`/reports/${r.id}`}>{r.title ?? r.filename}</Link>
                  </td>
                  <td>
                    <span className={`badge ${r.status}`}>{zh.reportStatus[r.status]}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted small">{zh.agencies.noReports}</p>
      )}
      <div className="row agency-actions" style={{ alignItems: 'flex-start', marginTop: 12 }}>
        <details className="confirm">
          <summary className="btn secondary small">{zh.agencies.merge}</summary>
          {others.length ? (
            <Form method="post" className="confirm-box stack">
              <input type="hidden" name="fromId" value={a.id} />
              <label>
                {zh.agencies.mergeInto}
                <select name="intoId" required>
                  {others.map(o => (
                    <option key={o.id} value={o.id}>
                      {o.name}
                    </option>
                  ))}
                </select>
              </label>
              <p>{zh.agencies.mergeHelp(a.name)}</p>
              <div>
                <SubmitButton name="intent" value="merge" className="btn small" disabled={busy}>
                  {zh.agencies.mergeConfirm}
                </SubmitButton>
              </div>
            </Form>
          ) : (
            <p className="confirm-box muted">{zh.agencies.noOther}</p>
          )}
        </details>
        {a.reports.length || a.aliases.length ? (
          <details className="confirm">
            <summary className="btn secondary small">{zh.agencies.split}</summary>
            <Form method="post" className="confirm-box stack">
              <input type="hidden" name="agencyId" value={a.id} />
              {a.reports.length ? (
                <fieldset>
                  <legend>{zh.agencies.splitReports}</legend>
                  {a.reports.map(r => (
                    <label key={r.id} className="check">
                      <input type="checkbox" name="reportIds" value={r.id} /> {r.year ?? zh.agencies.yearUnknown} ·{' '}
                      {r.agencyName ?? r.title ?? r.filename}
                    </label>
                  ))}
                </fieldset>
              ) : null}
              {a.aliases.length ? (
                <fieldset>
                  <legend>{zh.agencies.splitAliases}</legend>
                  {a.aliases.map(x => (
                    <label key={x.id} className="check">
                      <input type="checkbox" name="aliasIds" value={x.id} /> {x.alias}
                    </label>
                  ))}
                </fieldset>
              ) : null}
              <label>
                {zh.agencies.splitTarget}
                <select name="target" defaultValue="new">
                  <option value="new">{zh.agencies.newAgency}</option>
                  {others.map(o => (
                    <option key={o.id} value={o.id}>
                      {o.name}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                {zh.agencies.newAgencyName}
                <input
                  type="text"
                  name="newName"
                  maxLength={100}
                  defaultValue={a.reports.find(r => r.agencyName && r.agencyName !== a.name)?.agencyName ?? ''}
                />
              </label>
              <p>{zh.agencies.splitHelp}</p>
              <div>
                <SubmitButton name="intent" value="split" className="btn small" disabled={busy}>
                  {zh.agencies.splitConfirm}
                </SubmitButton>
              </div>
            </Form>
          </details>
        ) : null}
      </div>
    </section>
  )
}
