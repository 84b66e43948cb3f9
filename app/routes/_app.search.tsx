// /search: reports, extracted items and tasks containing the words, in the user's scope, grouped
// by type; filters and the page number travel in the URL.
import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useSearchParams } from '@remix-run/react'
import type { SearchKind } from '../../db/schema'
import { requireUser } from '~/auth/session.server'
import { enforceRateLimit } from '~/rate-limits.server'
import { MarkedText } from '~/components/MarkedText'
import { Pager } from '~/components/Pager'
import { ReportStatusBadge, TaskStatusBadge } from '~/components/StatusBadge'
import { db } from '~/db.server'
import { AppError } from '~/errors'
import { MAX_QUERY_CHARS, readSearchInput, searchYears } from '~/search/query'
import { search, searchUnits, type SearchGroup, type SearchHit } from '~/search/search.server'
import { todayInShanghai } from '~/tasks/dates'
import { zh } from '~/ui/zh'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.result?.query.text ? `${data.result.query.text} · ` : ''}${zh.search.title} · ${zh.appName}` },
]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'report:read')
  const input = readSearchInput(new URL(request.url).searchParams)
  if (input.q?.trim()) enforceRateLimit(user, 'search')
  try {
    const result = input.q?.trim() ? await search(db, user, input) : null
    const units = await searchUnits(db, user)
    return json({ result, units, years: searchYears(todayInShanghai()), kind: input.kind ?? null })
  } catch (err) {
    if (err instanceof AppError) throw new Response(err.message, { status: err.status })
    throw err
  }
}

const s = zh.search

function Hit({ hit }: { hit: SearchHit }) {
  return (
    <li className="search-hit">
      <div className="search-hit-title">
        {hit.itemKind ? <span className={`badge ${hit.itemKind}`}>{zh.itemKind[hit.itemKind]}</span> : null}
        <Link to={hit.href}>
          <MarkedText value={hit.title} />
        </Link>
        {hit.taskStatus ? (
          <TaskStatusBadge status={hit.taskStatus} />
        ) : hit.kind === 'report' && hit.reportStatus ? (
          <ReportStatusBadge status={hit.reportStatus} />
        ) : null}
        {hit.overdueDays ? <span className="badge overdue">{zh.tasks.overdue(hit.overdueDays)}</span> : null}
      </div>
      {hit.snippet ? (
        <p className="search-snippet">
          <MarkedText value={hit.snippet} />
        </p>
      ) : null}
      <div className="small muted search-meta">
        {[
          hit.kind === 'report' ? hit.filename : (hit.agencyName ?? hit.filename),
          hit.year ? s.yearOf(hit.year) : null,
          hit.unitName,
          hit.dueDate ? s.due(hit.dueDate) : null,
        ]
          .filter(Boolean)
          .join(' · ')}
      </div>
    </li>
  )
}

function Group({ group, preview }: { group: SearchGroup; preview: boolean }) {
  const [params] = useSearchParams()
  const label = s.kinds[group.kind]
  const all = new URLSearchParams(params)
  all.set('kind', group.kind)
  all.delete('page')
  return (
    <section className="panel search-group" aria-labelledby={`group-${group.kind}`}>
      <h2 id={`group-${group.kind}`}>
        {label} <span className="muted small">{s.count(group.total, group.capped)}</span>
      </h2>
      <p className="small muted search-group-help">{s.kindHelp[group.kind]}</p>
      {group.hits.length ? (
        <ol className="search-hits">
          {group.hits.map(h => (
            <Hit key={h.id} hit={h} />
          ))}
        </ol>
      ) : null}
      {preview && group.total > group.hits.length ? (
        <Link className="search-more" to={`?${all.toString()}`}>
          {s.more(label, group.total, group.capped)} →
        </Link>
      ) : null}
      {!preview && group.capped && group.page === group.pageCount ? <p className="small muted">{s.cappedNote(group.total)}</p> : null}
    </section>
  )
}

export default function SearchPage() {
  const { result, units, years, kind } = useLoaderData<typeof loader>()
  const [params] = useSearchParams()
  const filtered = ['kind', 'year', 'unit', 'status'].some(k => params.get(k))
  const clear = new URLSearchParams()
  if (params.get('q')) clear.set('q', params.get('q')!)
  const back = new URLSearchParams(params)
  back.delete('kind')
  back.delete('page')
  const found = result ? result.groups.some(g => g.total > 0) : false
  const shown = result ? (kind ? result.groups : result.groups.filter(g => g.total > 0)) : []
  return (
    <>
      <div className="toolbar">
        <h1>{result?.query.text ? s.results(result.query.text) : s.title}</h1>
      </div>
      <Form method="get" className="panel search-form" role="search" aria-label={s.box}>
        <div className="search-box">
          <input
            type="search"
            name="q"
            defaultValue={params.get('q') ?? ''}
            placeholder={s.placeholder}
            aria-label={s.box}
            maxLength={MAX_QUERY_CHARS}
            autoFocus={!params.get('q')}
          />
          <button type="submit" className="btn">
            {s.submit}
          </button>
        </div>
        <fieldset className="search-filters">
          <legend className="sr-only">{s.filters}</legend>
          <label>
            {s.kind}
            <select name="kind" defaultValue={params.get('kind') ?? ''}>
              <option value="">{s.allKinds}</option>
              {(Object.keys(s.kinds) as SearchKind[]).map(k => (
                <option key={k} value={k}>
                  {s.kinds[k]}
                </option>
              ))}
            </select>
          </label>
          <label>
            {s.year}
            <select name="year" defaultValue={params.get('year') ?? ''}>
              <option value="">{s.allYears}</option>
              {years.map(y => (
                <option key={y} value={y}>
                  {s.yearOption(y)}
                </option>
              ))}
            </select>
          </label>
          <label className="wide">
            {s.unit}
            <select name="unit" defaultValue={params.get('unit') ?? ''}>
              <option value="">{s.allUnits}</option>
              {units.map(u => (
                <option key={u.id} value={u.id}>
                  {'　'.repeat(u.depth)}
                  {u.name}
                </option>
              ))}
            </select>
          </label>
          <label title={s.statusNote}>
            {s.status}
            <select name="status" defaultValue={params.get('status') ?? ''}>
              <option value="">{s.anyStatus}</option>
              {(Object.keys(zh.taskStatus) as (keyof typeof zh.taskStatus)[]).map(st => (
                <option key={st} value={st}>
                  {zh.taskStatus[st]}
                </option>
              ))}
            </select>
          </label>
          {filtered ? (
            <Link to={`?${clear.toString()}`} className="small search-clear">
              {s.clear}
            </Link>
          ) : null}
        </fieldset>
        {params.get('status') && !kind ? <p className="small muted search-note">{s.statusNote}</p> : null}
      </Form>

      {!result ? (
        <div className="panel empty">{s.prompt}</div>
      ) : (
        <>
          {result.partial ? (
            <div className="alert info">{s.partial}</div>
          ) : result.shortTerms && found ? (
            <p className="small muted">{s.short}</p>
          ) : null}
          {kind ? (
            <p className="small">
              <Link to={`?${back.toString()}`}>← {s.backToAll}</Link>
            </p>
          ) : null}
          {!found ? (
            <div className="panel empty">
              <p>{s.none(result.query.text)}</p>
              <p className="small">{s.noneHint}</p>
            </div>
          ) : (
            shown.map(g => <Group key={g.kind} group={g} preview={!kind} />)
          )}
          {kind && result.groups[0] ? <Pager page={result.groups[0].page} pageCount={result.groups[0].pageCount} /> : null}
        </>
      )}
    </>
  )
}
