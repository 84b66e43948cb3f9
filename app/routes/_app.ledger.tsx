import {
  json,
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { can } from '~/auth/permissions'
import { requireUser, type SessionUser } from '~/auth/session.server'
import { SubmitButton } from '~/components/SubmitButton'
import { done, pageAction } from '~/forms/page-action.server'
import { isActionFailure, type ActionFailure } from '~/forms/toast'
import { enforceRateLimit } from '~/rate-limits.server'
import { TaskStatusBadge } from '~/components/StatusBadge'
import { db } from '~/db.server'
import { AppError } from '~/errors'
import { LEDGER_COLUMNS } from '~/ledger/columns'
import { ledgerSearch, readLedgerQuery, toTaskFilters } from '~/ledger/filters'
import { IMPORT_MAX_BYTES, importLedger, ledgerFilterOptions, loadLedger } from '~/ledger/ledger.server'
import { zh } from '~/ui/zh'
import { FileInput } from '~/components/FileInput'

export const meta: MetaFunction = () => [{ title: `${zh.ledger.title} · ${zh.appName}` }]

const PAGE_ROWS = 500

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'task:read')
  const query = readLedgerQuery(new URL(request.url).searchParams)
  const [{ rows, truncated }, options] = await Promise.all([
    loadLedger(db, user, toTaskFilters(query), { limit: PAGE_ROWS }),
    ledgerFilterOptions(db, user),
  ])
  return json({
    rows,
    truncated,
    query,
    search: ledgerSearch(query),
    options,
    canExport: can(user.role, 'ledger:export'),
    canImport: can(user.role, 'task:manage'),
  })
}

/** What 检查 answers (the import itself redirects with a toast; a refusal is the page action's {error}). */
type ImportFeedback =
  | {
      stage: 'invalid'
      filename: string
      errors: { row: number; column: string; message: string }[]
      warnings: { row: number; column: string; message: string }[]
    }
  | {
      stage: 'preview'
      filename: string
      created: number
      updated: number
      unchanged: number
      preview: { row: number; action: 'create' | 'update'; label: string; changes: { column: string; before: string; after: string }[] }[]
      warnings: { row: number; column: string; message: string }[]
      /** The checked file, sent back with "确认导入" so exactly what was checked is imported. */
      payload?: string
    }

async function readImportForm(request: Request): Promise<FormData> {
  const t = zh.ledger.import
  try {
    // The confirm step carries the file as base64, a third larger than the file itself.
    return await unstable_parseMultipartFormData(
      request,
      unstable_createMemoryUploadHandler({ maxPartSize: Math.ceil(IMPORT_MAX_BYTES * 1.4) }),
    )
  } catch (err) {
    if (err instanceof MaxPartSizeExceededError) throw new AppError(413, t.tooLarge(IMPORT_MAX_BYTES / 1048576))
    throw new AppError(400, t.unreadable)
  }
}

async function runImport(user: SessionUser, filename: string, bytes: Uint8Array, dryRun: boolean) {
  const result = await importLedger(db, user, { filename, bytes }, { dryRun })
  if (!result.ok)
    return json<ImportFeedback>({ stage: 'invalid', filename, errors: result.errors, warnings: result.warnings }, { status: 400 })
  if (!result.dryRun) return done(zh.ledger.import.done(result))
  return json<ImportFeedback>({
    stage: 'preview',
    filename,
    created: result.created,
    updated: result.updated,
    unchanged: result.unchanged,
    preview: result.preview,
    warnings: result.warnings,
    payload: result.applied ? Buffer.from(bytes).toString('base64') : undefined,
  })
}

// The fields are read from the multipart form itself (a file, a payload): the schema names the steps.
const ImportStep = z.discriminatedUnion('intent', [z.object({ intent: z.literal('check') }), z.object({ intent: z.literal('apply') })])

export async function action(args: ActionFunctionArgs) {
  const t = zh.ledger.import
  return pageAction(args, {
    permission: 'task:manage',
    schema: ImportStep,
    // Counted before the file is read, as before.
    load: async ({ user }) => enforceRateLimit(user, 'upload'),
    readForm: readImportForm,
    handlers: {
      check: async ({ user, form }) => {
        const file = form.get('file')
        if (!(file instanceof File) || file.size === 0) throw new AppError(400, t.noFile)
        return runImport(user, file.name, new Uint8Array(await file.arrayBuffer()), true)
      },
      apply: async ({ user, form }) => {
        const payload = form.get('payload')
        if (typeof payload !== 'string' || !payload) throw new AppError(400, t.noFile)
        const filename = String(form.get('filename') ?? 'ledger.xlsx')
        return runImport(user, filename, new Uint8Array(Buffer.from(payload, 'base64')), false)
      },
    },
  })
}

const HEAD = Object.fromEntries(LEDGER_COLUMNS.map(c => [c.key, c.header])) as Record<(typeof LEDGER_COLUMNS)[number]['key'], string>

export default function Ledger() {
  const { rows, truncated, query, search, options, canExport, canImport } = useLoaderData<typeof loader>()
  const f = zh.ledger.filters
  const exportHref = (format: 'xlsx' | 'csv') => `/ledger/export?format=${format}${search ? `&${search}` : ''}`
  return (
    <>
      <div className="toolbar ledger-head">
        <div>
          <h1>{zh.ledger.title}</h1>
          <div className="small muted">{zh.ledger.count(rows.length)}</div>
        </div>
        {canExport ? (
          <div className="actions">
            <a className="btn" href={exportHref('xlsx')} download>
              {zh.ledger.exportXlsx}
            </a>
            <a className="btn secondary" href={exportHref('csv')} download>
              {zh.ledger.exportCsv}
            </a>
          </div>
        ) : null}
      </div>

      <Form method="get" className="panel ledger-filters" aria-label={zh.ledger.title}>
        <label>
          {f.status}
          <select name="status" defaultValue={query.status[0] ?? ''}>
            <option value="">{f.all}</option>
            {Object.entries(zh.taskStatus).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label className="wide">
          {f.unit}
          <select name="unit" defaultValue={query.unit}>
            <option value="">{f.all}</option>
            {options.units.map(u => (
              <option key={u.id} value={u.id}>
                {'　'.repeat(u.depth)}
                {u.name}
              </option>
            ))}
          </select>
        </label>
        <label className="wide">
          {f.owner}
          <select name="owner" defaultValue={query.owner}>
            <option value="">{f.all}</option>
            {options.owners.map(o => (
              <option key={o.id} value={o.id}>
                {o.name}（{o.unit}）
              </option>
            ))}
          </select>
        </label>
        <label>
          {f.year}
          <select name="year" defaultValue={query.year}>
            <option value="">{f.all}</option>
            {options.years.map(y => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </label>
        <label>
          {f.overdue}
          <select name="overdue" defaultValue={query.overdue}>
            <option value="">{f.all}</option>
            <option value="1">{f.overdueOnly}</option>
            <option value="0">{f.notOverdue}</option>
          </select>
        </label>
        <label className="grow">
          {f.q}
          <input type="text" name="q" defaultValue={query.q} placeholder={f.qPlaceholder} />
        </label>
        <div className="buttons">
          <button type="submit" className="btn">
            {f.apply}
          </button>
          {search ? (
            <Link to="/ledger" className="btn secondary">
              {f.reset}
            </Link>
          ) : null}
        </div>
      </Form>

      {truncated ? <div className="alert info">{zh.ledger.truncated(rows.length)}</div> : null}
      {rows.length === 0 ? (
        <div className="panel empty">{zh.ledger.empty}</div>
      ) : (
        <div className="ledger-scroll">
          <table className="data ledger">
            <thead>
              <tr>
                <th className="c-seq">{HEAD.seq}</th>
                <th className="c-text">{HEAD.problem}</th>
                <th className="c-text">{HEAD.measure}</th>
                <th className="c-unit">{HEAD.unit}</th>
                <th className="c-owner">{HEAD.owner}</th>
                <th className="c-date">{HEAD.due}</th>
                <th className="c-progress">{HEAD.progress}</th>
                <th className="c-status">{HEAD.status}</th>
                <th className="c-date">{HEAD.closedOn}</th>
                <th className="c-source">{HEAD.source}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(r => (
                <tr key={r.taskId}>
                  <td className="c-seq">
                    <Link to={`/tasks/${r.taskId}`}>{r.cells.seq}</Link>
                  </td>
                  <td className="c-text">
                    <LedgerText row={r} text={r.cells.problem} own={r.kind === 'problem'} />
                  </td>
                  <td className="c-text">
                    <LedgerText row={r} text={r.cells.measure} own={r.kind === 'plan'} />
                  </td>
                  <td className="c-unit">{r.cells.unit}</td>
                  <td className="c-owner">{r.cells.owner || <span className="muted">{zh.tasks.noOwner}</span>}</td>
                  <td className={`c-date${r.overdueDays ? ' late' : ''}`}>
                    {r.cells.due || <span className="muted">{zh.common.none}</span>}
                  </td>
                  <td className="c-progress">
                    <div className="clamp" title={r.cells.progress}>
                      {r.cells.progress || <span className="muted">{zh.common.none}</span>}
                    </div>
                  </td>
                  <td className="c-status">
                    <TaskStatusBadge status={r.status} />
                    {r.overdueDays ? (
                      <div>
                        <span className="badge overdue">{zh.tasks.overdue(r.overdueDays)}</span>
                      </div>
                    ) : null}
                  </td>
                  <td className="c-date">{r.cells.closedOn || <span className="muted">{zh.common.none}</span>}</td>
                  <td className="c-source small">{r.cells.source}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {canImport ? <ImportPanel /> : null}
    </>
  )
}

/** A 问题/整改措施 cell. The task's own text carries the link to it, headed by its title unless the title just repeats the text's beginning. */
function LedgerText({ row, text, own }: { row: { taskId: string; title: string }; text: string; own: boolean }) {
  if (!text) return <span className="muted">{zh.common.none}</span>
  if (!own)
    return (
      <div className="clamp" title={text}>
        {text}
      </div>
    )
  const title = row.title.trim()
  if (!title || text.trim().startsWith(title.replace(/[…。.]+$/, ''))) {
    return (
      <Link to={`/tasks/${row.taskId}`} className="clamp own" title={text}>
        {text}
      </Link>
    )
  }
  return (
    <>
      <Link to={`/tasks/${row.taskId}`} className="own-title">
        {title}
      </Link>
      <div className="clamp" title={text}>
        {text}
      </div>
    </>
  )
}

function IssueTable({ issues }: { issues: { row: number; column: string; message: string }[] }) {
  const c = zh.ledger.import.columns
  return (
    <div className="scroll-x">
      <table className="data issues">
        <thead>
          <tr>
            <th>{c.row}</th>
            <th>{c.column}</th>
            <th>{c.message}</th>
          </tr>
        </thead>
        <tbody>
          {issues.map((e, i) => (
            <tr key={i}>
              <td>{e.row}</td>
              <td>{e.column || zh.common.none}</td>
              <td>{e.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function ImportPanel() {
  const result = useActionData<typeof action>() as ImportFeedback | ActionFailure | undefined
  const data = result && 'stage' in result ? result : undefined
  const t = zh.ledger.import
  return (
    <section className="panel ledger-import" aria-labelledby="ledger-import-title">
      <h2 id="ledger-import-title">{t.title}</h2>
      <p className="small muted">{t.help}</p>
      <Form method="post" encType="multipart/form-data" className="import-form">
        <label>
          {t.file}
          <FileInput
            label={t.file}
            name="file"
            accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
            required
          />
        </label>
        {/* The checked file stays chosen: the preview below is about it. */}
        <SubmitButton className="btn secondary" name="intent" value="check" pendingLabel={t.checking} reset={false}>
          {t.check}
        </SubmitButton>
      </Form>

      {isActionFailure(result) ? (
        <div className="alert error" role="alert">
          {result.error}
        </div>
      ) : null}

      {data?.stage === 'invalid' ? (
        <div role="alert">
          <div className="alert error">{t.errorsTitle(data.errors.length)}</div>
          <IssueTable issues={data.errors} />
        </div>
      ) : null}

      {data?.stage === 'preview' ? (
        <div>
          {data.payload ? (
            <div className="alert info" role="status">
              {t.previewTitle} {t.summary(data)}
            </div>
          ) : (
            <div className="alert info" role="status">
              {t.nothing}
            </div>
          )}
          {data.preview.length ? (
            <div className="scroll-x">
              <table className="data issues">
                <thead>
                  <tr>
                    <th>{t.columns.row}</th>
                    <th>{t.columns.action}</th>
                    <th>{t.columns.change}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.preview.map(p => (
                    <tr key={p.row}>
                      <td>{p.row}</td>
                      <td>
                        <span className={`badge ${p.action === 'create' ? 'extracted' : 'queued'}`}>
                          {p.action === 'create' ? t.create : t.update}
                        </span>
                      </td>
                      <td>
                        <div className="change-label">{p.label}</div>
                        <ul className="changes">
                          {p.changes.map((c, i) => (
                            <li key={i}>
                              <span className="muted">{c.column}：</span>
                              {p.action === 'update' ? (
                                <>
                                  <del>{c.before || t.empty}</del> → <ins>{c.after || t.empty}</ins>
                                </>
                              ) : (
                                c.after
                              )}
                            </li>
                          ))}
                        </ul>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          {data.payload ? (
            <Form method="post" encType="multipart/form-data" className="confirm-import">
              <input type="hidden" name="payload" value={data.payload} />
              <input type="hidden" name="filename" value={data.filename} />
              <SubmitButton name="intent" value="apply" pendingLabel={t.importing}>
                {t.confirm}
              </SubmitButton>
            </Form>
          ) : null}
        </div>
      ) : null}

      {data && 'warnings' in data && data.warnings.length ? (
        <details className="warnings">
          <summary>
            {t.warningsTitle}（{data.warnings.length}）
          </summary>
          <IssueTable issues={data.warnings} />
        </details>
      ) : null}
    </section>
  )
}
