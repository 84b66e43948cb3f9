// GET /section-five?agency=&year=: the draft of an agency's section 五 for a year, written from the
// record; a supervisor edits it paragraph by paragraph, then downloads it as Word (POST, the edited
// text, to /section-five.docx) or copies it. Without an agency and year: a chooser of the agencies in scope.
import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useRef, useState } from 'react'
import { requireUser } from '~/auth/session.server'
import { TaskStatusBadge } from '~/components/StatusBadge'
import { db } from '~/db.server'
import { draftText, paragraphText } from '~/paperwork/section-five'
import { DraftQuery, draftableAgencies, loadSectionFiveDraft } from '~/paperwork/section-five.server'
import { zh } from '~/ui/zh'

export const meta: MetaFunction = () => [{ title: `${zh.paperwork.draft.title} · ${zh.appName}` }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'report:review')
  const q = DraftQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams))
  if (!q.success) return json({ draft: null, agencies: await draftableAgencies(db, user) })
  const draft = await loadSectionFiveDraft(db, user, q.data.agency, q.data.year)
  if (!draft) throw new Response(zh.paperwork.draft.notFound, { status: 404 })
  return json({ draft, agencies: [] })
}

export default function SectionFiveDraftPage() {
  const { draft, agencies } = useLoaderData<typeof loader>()
  const d = zh.paperwork.draft
  const formRef = useRef<HTMLFormElement>(null)
  const [copied, setCopied] = useState<string | null>(null)
  if (!draft) {
    return (
      <>
        <h1>{d.title}</h1>
        {agencies.length ? (
          <Form method="get" className="panel form" aria-label={d.choose}>
            <label>
              {d.agency}
              <select name="agency" required>
                {agencies.map(a => (
                  <option key={a.id} value={a.id}>
                    {a.name}（最新 {a.year} 年）
                  </option>
                ))}
              </select>
            </label>
            <label>
              {d.year}
              <input
                name="year"
                type="number"
                min={2000}
                max={2100}
                required
                defaultValue={agencies[0] ? agencies[0].year + 1 : undefined}
              />
            </label>
            <button className="btn">{d.open}</button>
          </Form>
        ) : (
          <p className="muted">{d.noAgencies}</p>
        )}
      </>
    )
  }
  const copy = async () => {
    const data = new FormData(formRef.current!)
    const edits: Record<string, string> = {}
    for (const [k, v] of data) if (k.startsWith('p:') && typeof v === 'string') edits[k.slice(2)] = v
    try {
      await navigator.clipboard.writeText(draftText(draft, edits))
      setCopied(d.copied)
    } catch {
      setCopied(d.copyFailed)
    }
  }
  const empty = draft.sections.every(s => s.paragraphs.length === 0)
  return (
    <>
      <h1>{d.heading(draft.agencyName, draft.year)}</h1>
      <p className="muted small lead">{d.help}</p>
      <p className="muted small">{d.prior(draft.priorYear)}</p>
      {!draft.currentReportId ? <div className="alert info">{d.noCurrent(draft.year)}</div> : null}
      <Form method="post" action="/section-five.docx" reloadDocument ref={formRef} aria-label={d.title}>
        <input type="hidden" name="agency" value={draft.agencyId} />
        <input type="hidden" name="year" value={draft.year} />
        {empty ? <p className="muted">{d.empty}</p> : null}
        {draft.sections.map(s => (
          <section key={s.heading} className="panel">
            <h2>{s.heading}</h2>
            {s.paragraphs.map(p => (
              <div key={p.key} className="draft-paragraph">
                <textarea
                  name={`p:${p.key}`}
                  aria-label={s.heading}
                  defaultValue={paragraphText(p)}
                  rows={Math.min(12, 2 + p.sentences.length * 2)}
                  style={{ width: '100%' }}
                />
                <ol className="small muted" aria-label={d.sources}>
                  {p.sentences.map(x => (
                    <li key={x.taskId} data-task-id={x.taskId}>
                      <Link to={`/tasks/${x.taskId}`}>{d.task}</Link> <TaskStatusBadge status={x.status} /> {x.text}
                    </li>
                  ))}
                </ol>
              </div>
            ))}
          </section>
        ))}
        <div className="actions">
          <button className="btn" name="intent" value="docx">
            {d.download}
          </button>
          <button className="btn secondary" type="button" onClick={copy}>
            {d.copy}
          </button>
          {copied ? <span role="status">{copied}</span> : null}
        </div>
      </Form>
    </>
  )
}
