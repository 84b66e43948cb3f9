import {
  json,
  redirect,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  MaxPartSizeExceededError,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { requireUser } from '~/auth/session.server'
import { SubmitButton } from '~/components/SubmitButton'
import { AppError } from '~/errors'
import { done, pageAction } from '~/forms/page-action.server'
import { isActionFailure } from '~/forms/toast'
import { enforceRateLimit } from '~/rate-limits.server'
import { db } from '~/db.server'
import { isZip } from '~/documents/zip'
import { uploadLimits } from '~/limits'
import { formatSecondsLeft } from '~/reports/import'
import { getImportBatch, ImportRefused, importLimits, listImportBatches, planZipImport, runImport } from '~/reports/import.server'
import { formatDateTime } from '~/ui/format'
import { usePollWhile } from '~/ui/hooks'
import { zh } from '~/ui/zh'
import { FileInput } from '~/components/FileInput'

export const meta: MetaFunction = () => [{ title: `${zh.importBatch.title} · ${zh.appName}` }]

const MB = 1024 * 1024
/** The .zip itself is held in memory while it is read; larger imports go through the CLI. */
const maxZipBytes = () => uploadLimits().importZipBytes

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'report:import')
  const batchId = new URL(request.url).searchParams.get('batch')
  const batch = batchId ? await getImportBatch(db, batchId, user) : null
  if (batchId && !batch) throw new Response('Not Found', { status: 404 })
  const limits = importLimits()
  return json({
    batch,
    recent: batch ? [] : await listImportBatches(db, user),
    unitName: user.unitName,
    limits: {
      files: limits.maxFiles,
      mb: Math.round(Math.min(limits.maxTotalBytes, maxZipBytes()) / MB),
      fileMb: Math.round(limits.maxFileBytes / MB),
    },
  })
}

async function readZip(request: Request): Promise<FormData> {
  const max = maxZipBytes()
  try {
    return await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: max + 1 }))
  } catch (err) {
    if (err instanceof MaxPartSizeExceededError) throw new AppError(413, zh.importBatch.tooLarge(Math.round(max / MB)))
    throw new AppError(400, zh.importBatch.unreadable)
  }
}

const ImportStep = z.object({ intent: z.literal('import') })

export async function action(args: ActionFunctionArgs) {
  const t = zh.importBatch
  return pageAction(args, {
    permission: 'report:import',
    // Counted before the file is read, as before.
    load: async ({ user }) => enforceRateLimit(user, 'upload'),
    readForm: readZip,
    schema: ImportStep,
    handlers: {
      import: async ({ user, form }) => {
        const file = form.get('file')
        if (!(file instanceof File) || file.size === 0) throw new AppError(400, t.none)
        const bytes = new Uint8Array(await file.arrayBuffer())
        if (!isZip(bytes)) throw new AppError(415, t.notZip)
        try {
          const plan = planZipImport(bytes, file.name)
          const batchId = await runImport(db, { id: user.id, unitId: user.unitId }, plan)
          return done(t.started, `/reports/import?batch=${batchId}`)
        } catch (err) {
          if (err instanceof ImportRefused) throw new AppError(400, t.refused(err.message))
          throw err
        }
      },
    },
  })
}

export default function ImportReports() {
  const { batch, recent, unitName, limits } = useLoaderData<typeof loader>()
  const data = useActionData<typeof action>()
  usePollWhile(batch ? !batch.progress.finished : recent.some(b => !b.progress.finished), 1500)
  const t = zh.importBatch
  return (
    <>
      <div className="toolbar">
        <h1>{t.title}</h1>
        <div className="actions">
          {batch ? (
            <Link to="/reports/import" className="btn secondary">
              {t.again}
            </Link>
          ) : null}
          <Link to="/reports" className="btn secondary">
            {zh.nav.reports}
          </Link>
        </div>
      </div>
      {batch ? <BatchProgress batch={batch} /> : null}
      {!batch ? (
        <div className="panel">
          {isActionFailure(data) ? (
            <div className="alert error" role="alert">
              {data.error}
            </div>
          ) : null}
          <p className="import-intro">{t.intro(unitName)}</p>
          <Form method="post" encType="multipart/form-data" className="stack">
            <label>
              {t.file}
              <FileInput label={t.file} name="file" accept=".zip,application/zip" required />
              <span className="help">{t.fileHelp(limits.files, limits.mb, limits.fileMb)}</span>
              <span className="help">{t.junkHelp}</span>
            </label>
            <div>
              <SubmitButton name="intent" value="import" pendingLabel={t.submitting}>
                {t.submit}
              </SubmitButton>
            </div>
          </Form>
          <p className="small muted">{t.cli}</p>
        </div>
      ) : null}
      {!batch ? (
        <section>
          <h2>{t.recent}</h2>
          {recent.length === 0 ? (
            <div className="panel empty">{t.noneYet}</div>
          ) : (
            <table className="data">
              <thead>
                <tr>
                  <th>{t.columns.source}</th>
                  <th>{t.columns.files}</th>
                  <th>{t.progressColumn}</th>
                  <th>{t.columns.by}</th>
                  <th>{t.columns.createdAt}</th>
                </tr>
              </thead>
              <tbody>
                {recent.map(b => (
                  <tr key={b.id}>
                    <td>
                      <Link to={`/reports/import?batch=${b.id}`}>{b.source}</Link>
                    </td>
                    <td>{b.total_files}</td>
                    <td>
                      {b.progress.finished ? (
                        t.summary(b.progress.done, b.progress.failed, b.progress.duplicate)
                      ) : (
                        <span className="badge processing">{t.runningShort(b.progress.percent)}</span>
                      )}
                    </td>
                    <td>{b.createdBy ?? zh.common.none}</td>
                    <td>{formatDateTime(b.created_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ) : null}
    </>
  )
}

function BatchProgress({ batch }: { batch: NonNullable<ReturnType<typeof useLoaderData<typeof loader>>['batch']> }) {
  const t = zh.importBatch
  const p = batch.progress
  const queued = p.queued + p.unstored
  return (
    <>
      <div className="panel">
        <h2 className="import-title">{t.batch(batch.source)}</h2>
        <p className="small muted">{t.meta(batch.createdBy ?? zh.common.none, batch.unitName, formatDateTime(batch.createdAt))}</p>
        <div
          className="import-progress"
          role="progressbar"
          aria-label={t.title}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={p.percent}
        >
          <div className="import-progress-done" style={{ width: `${p.total ? (p.done * 100) / p.total : 0}%` }} />
          <div className="import-progress-duplicate" style={{ width: `${p.total ? (p.duplicate * 100) / p.total : 0}%` }} />
          <div className="import-progress-failed" style={{ width: `${p.total ? (p.failed * 100) / p.total : 0}%` }} />
        </div>
        <p className={p.finished ? 'import-status ok' : 'import-status'} role="status">
          <strong>{p.percent}%</strong>{' '}
          {p.finished
            ? p.total > 0 && p.duplicate === p.total
              ? t.allDuplicates
              : t.finished
            : `${t.running} ${t.timeLeft(formatSecondsLeft(p.secondsLeft))}`}
        </p>
        <dl className="stat-cards">
          <div>
            <dt>{t.cards.total}</dt>
            <dd>{p.total}</dd>
          </div>
          <div className="ok">
            <dt>{t.cards.done}</dt>
            <dd>{p.done}</dd>
          </div>
          <div className={p.failed ? 'bad' : undefined}>
            <dt>{t.cards.failed}</dt>
            <dd>{p.failed}</dd>
          </div>
          <div className="muted-card">
            <dt>{t.cards.duplicate}</dt>
            <dd>{p.duplicate}</dd>
          </div>
          <div className={queued ? 'warn' : undefined}>
            <dt>{t.cards.queued}</dt>
            <dd>{queued}</dd>
          </div>
        </dl>
      </div>
      <section>
        <h2>{t.failures}</h2>
        {batch.failures.length === 0 ? (
          <div className="panel empty">{t.noFailures}</div>
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th>{t.columns.path}</th>
                <th>{t.columns.reason}</th>
              </tr>
            </thead>
            <tbody>
              {batch.failures.map(f => (
                <tr key={f.path}>
                  <td>{f.reportId ? <Link to={`/reports/${f.reportId}`}>{f.path}</Link> : f.path}</td>
                  <td>{f.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  )
}
