import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { requireUser } from '~/auth/session.server'
import { SubmitButton } from '~/components/SubmitButton'
import { AppError } from '~/errors'
import { done, failure, pageAction } from '~/forms/page-action.server'
import { isActionFailure } from '~/forms/toast'
import { db } from '~/db.server'
import { listFailedEmails, outboxCounts, resendFailedEmail } from '~/notify/outbox.server'
import { lastSweep, listWorkers, queuesOverview, retryFailedJob } from '~/ops/ops.server'
import { readSweptUntil } from '~/reminders/sweep.server'
import { formatDateTime } from '~/ui/format'
import { usePollWhile } from '~/ui/hooks'
import { zh } from '~/ui/zh'

export const meta: MetaFunction = () => [{ title: `${zh.ops.title} · ${zh.appName}` }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, 'admin')
  const [queues, workers, outbox, failedEmails, sweptUntil] = await Promise.all([
    queuesOverview(),
    listWorkers(db),
    outboxCounts(db),
    listFailedEmails(db),
    readSweptUntil(db),
  ])
  return json({ queues, workers, outbox, failedEmails, sweep: await lastSweep(db, sweptUntil) })
}

const id = z.string({ required_error: zh.ops.invalid }).min(1, zh.ops.invalid)
const OpsAction = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('retry-job'), queue: id, jobId: id }),
  z.object({ intent: z.literal('resend-email'), outboxId: id }),
])

export async function action(args: ActionFunctionArgs) {
  return pageAction(args, {
    permission: 'admin',
    schema: OpsAction,
    handlers: {
      'resend-email': async ({ data }) => {
        if (!(await resendFailedEmail(db, data.outboxId))) throw new AppError(404, zh.ops.resendMissing)
        return done(zh.ops.resent)
      },
      'retry-job': async ({ data }) => {
        const r = await retryFailedJob(data.queue, data.jobId)
        if (r === 'retried') return done(zh.ops.retried)
        if (r === 'not-found') throw new AppError(404, zh.ops.retryMissing)
        // Redis away: nothing was retried, and it may work in a moment.
        return failure(503, { error: zh.ops.retryUnavailable, intent: data.intent })
      },
    },
  })
}

const COUNT_KEYS = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const
// (not imported from outbox.server: .server modules are empty in the browser)
const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const

export default function OpsPage() {
  const { queues, workers, outbox, failedEmails, sweep } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const busy = useNavigation().state !== 'idle'
  usePollWhile(true, 10_000)
  return (
    <>
      <h1>{zh.ops.title}</h1>
      {isActionFailure(result) ? (
        <div className="alert error" role="alert">
          {result.error}
        </div>
      ) : null}

      <section className="panel" aria-labelledby="ops-queues">
        <h2 id="ops-queues">{zh.ops.queues}</h2>
        {!queues.ok ? (
          <div className="alert error">{zh.ops.redisDown(queues.error)}</div>
        ) : (
          <>
            <table className="data ops-counts">
              <thead>
                <tr>
                  <th>{zh.ops.queues}</th>
                  {COUNT_KEYS.map(k => (
                    <th key={k}>{zh.ops.counts[k]}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {queues.queues.map(q => (
                  <tr key={q.name}>
                    <td>
                      {zh.ops.queueNames[q.name] ?? q.name} <span className="muted small">{q.name}</span>
                    </td>
                    {COUNT_KEYS.map(k => (
                      <td key={k} className={k === 'failed' && q.counts.failed > 0 ? 'num bad' : 'num'}>
                        {q.counts[k]}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
            <h3>{zh.ops.failedJobs}</h3>
            {queues.queues.every(q => q.failed.length === 0) ? (
              <p className="muted">{zh.ops.noFailedJobs}</p>
            ) : (
              <table className="data">
                <thead>
                  <tr>
                    <th>{zh.ops.job}</th>
                    <th>{zh.ops.error}</th>
                    <th>{zh.ops.attempts}</th>
                    <th>{zh.ops.failedAt}</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {queues.queues.flatMap(q =>
                    q.failed.map(j => (
                      <tr key={`${q.name}:${j.id}`}>
                        <td>
                          <div>
                            {zh.ops.queueNames[q.name] ?? q.name} · {j.name}
                          </div>
                          <div className="muted small mono">{j.id}</div>
                          <div className="muted small mono">{j.data}</div>
                        </td>
                        <td className="ops-error">{j.error}</td>
                        <td>{j.attemptsMade}</td>
                        <td>{formatDateTime(j.failedAt)}</td>
                        <td>
                          <details className="confirm">
                            <summary className="btn secondary small">{zh.ops.retry}</summary>
                            <Form method="post" className="confirm-box">
                              <p>{zh.ops.retryConfirm(zh.ops.queueNames[q.name] ?? q.name, j.id)}</p>
                              <input type="hidden" name="queue" value={q.name} />
                              <input type="hidden" name="jobId" value={j.id} />
                              <SubmitButton name="intent" value="retry-job" className="btn small" disabled={busy}>
                                {zh.ops.retryConfirmButton}
                              </SubmitButton>
                            </Form>
                          </details>
                        </td>
                      </tr>
                    )),
                  )}
                </tbody>
              </table>
            )}
          </>
        )}
      </section>

      <section className="panel" aria-labelledby="ops-workers">
        <h2 id="ops-workers">{zh.ops.workers}</h2>
        <p>
          {zh.ops.lastSweep}：{sweep ? formatDateTime(sweep.at) : zh.ops.neverSwept}
          {sweep && sweep.recorded !== null ? (
            <span className="muted small">（{zh.ops.sweepSummary(sweep.recorded, sweep.emails ?? 0, sweep.durationMs ?? 0)}）</span>
          ) : null}
        </p>
        {workers.length === 0 ? (
          <p className="muted">{zh.ops.noWorkers}</p>
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th>{zh.ops.state}</th>
                <th>{zh.ops.kind}</th>
                <th>{zh.ops.host}</th>
                <th>{zh.ops.startedAt}</th>
                <th>{zh.ops.lastSeen}</th>
              </tr>
            </thead>
            <tbody>
              {workers.map(w => (
                <tr key={w.workerId}>
                  <td>
                    <span className={`badge ${w.alive ? 'alive' : w.stopped ? '' : 'failed'}`}>
                      {w.alive ? zh.ops.alive : w.stopped ? zh.ops.stopped : zh.ops.stale}
                    </span>
                  </td>
                  <td>{w.kind}</td>
                  <td className="mono small">
                    {w.host ?? zh.common.none} / {w.pid ?? zh.common.none}
                  </td>
                  <td>{formatDateTime(w.startedAt)}</td>
                  <td>{formatDateTime(w.lastSeenAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="panel" aria-labelledby="ops-email">
        <h2 id="ops-email">{zh.ops.email}</h2>
        <dl className="meta-grid ops-outbox">
          {OUTBOX_STATUSES.map(s => (
            <div key={s}>
              <dt>{zh.ops.emailStatus[s]}</dt>
              <dd className={s === 'failed' && outbox[s] > 0 ? 'bad' : undefined}>{outbox[s]}</dd>
            </div>
          ))}
        </dl>
        <h3>{zh.ops.failedEmails}</h3>
        {failedEmails.length === 0 ? (
          <p className="muted">{zh.ops.noFailedEmails}</p>
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th>{zh.ops.to}</th>
                <th>{zh.ops.subject}</th>
                <th>{zh.ops.error}</th>
                <th>{zh.ops.attempts}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {failedEmails.map(e => (
                <tr key={e.id}>
                  <td>{e.to_address}</td>
                  <td>
                    {e.subject}
                    <div className="muted small">{formatDateTime(e.created_at)}</div>
                  </td>
                  <td className="ops-error">{e.last_error ?? zh.common.none}</td>
                  <td>{e.attempts}</td>
                  <td>
                    <details className="confirm">
                      <summary className="btn secondary small">{zh.ops.resend}</summary>
                      <Form method="post" className="confirm-box">
                        <p>{zh.ops.resendConfirm(e.to_address)}</p>
                        <input type="hidden" name="outboxId" value={e.id} />
                        <SubmitButton name="intent" value="resend-email" className="btn small" disabled={busy}>
                          {zh.ops.resendConfirmButton}
                        </SubmitButton>
                      </Form>
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  )
}
