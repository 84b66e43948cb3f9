// /oversight/recurring: problems that come back year after year, across agencies, by topic.
import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireUser } from '~/auth/session.server'
import { ExportLinks, OversightFilterForm } from '~/components/Oversight'
import { db } from '~/db.server'
import { AppError } from '~/errors'
import { oversightSearch, readOversightQuery } from '~/oversight/filters'
import { oversightUnits, recurringBoard, resolveFilters } from '~/oversight/oversight.server'
import { zh } from '~/ui/zh'

export const meta: MetaFunction = () => [{ title: `${zh.oversight.recurring.title} · ${zh.oversight.title} · ${zh.appName}` }]

/** Entries shown per topic; the export has them all. */
const PER_TOPIC = 12

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'oversight:read')
  const query = readOversightQuery(new URL(request.url).searchParams)
  try {
    const { filters, years } = await resolveFilters(db, user, query)
    const [units, board] = await Promise.all([
      oversightUnits(db, user, filters.unitId),
      recurringBoard(db, user, { ...filters, includePending: query.pending }),
    ])
    return json({
      query,
      search: oversightSearch(query),
      range: { from: filters.yearFrom, to: filters.yearTo },
      years,
      units,
      recurrences: board.recurrences,
      agencies: board.agencies,
      truncated: board.truncated,
      groups: board.groups.map(g => ({ ...g, more: Math.max(0, g.entries.length - PER_TOPIC), entries: g.entries.slice(0, PER_TOPIC) })),
    })
  } catch (err) {
    if (err instanceof AppError) throw new Response(err.message, { status: err.status })
    throw err
  }
}

export default function OversightRecurring() {
  const { query, search, range, years, units, recurrences, agencies, truncated, groups } = useLoaderData<typeof loader>()
  const t = zh.oversight.recurring
  const agencyLink = (id: string) => `/oversight/agencies/${id}?from=${range.from}&to=${range.to}${query.unit ? `&unit=${query.unit}` : ''}`
  return (
    <>
      <div className="toolbar oversight-head">
        <div>
          <h1>{t.title}</h1>
          <div className="small muted">
            {zh.oversight.yearRange(range.from, range.to)} · {t.summary(recurrences, agencies)}
          </div>
        </div>
        <ExportLinks table="recurring" search={search} label={t.title} />
      </div>
      <p className="muted small lead">{t.help}</p>
      <OversightFilterForm
        query={query}
        range={range}
        years={years}
        units={units}
        show={{ pending: true }}
        resetTo="/oversight/recurring"
      />
      {truncated ? <div className="alert info">{t.truncated(recurrences)}</div> : null}
      {groups.length === 0 ? (
        <div className="panel empty">{t.empty}</div>
      ) : (
        <>
          <div className="scroll-x">
            <table className="data topic-summary">
              <caption className="sr-only">{t.title}</caption>
              <thead>
                <tr>
                  <th scope="col">{t.columns.topic}</th>
                  <th scope="col" className="num">
                    {t.columns.recurrences}
                  </th>
                  <th scope="col" className="num">
                    {t.columns.agencies}
                  </th>
                  <th scope="col">{t.columns.years}</th>
                </tr>
              </thead>
              <tbody>
                {groups.map(g => (
                  <tr key={g.topic}>
                    <th scope="row">
                      <a href={`#topic-${g.topic}`}>{g.label}</a>
                    </th>
                    <td className="num">
                      <span className="count-bar" aria-hidden="true">
                        <span style={{ width: `${Math.round((g.recurrences / groups[0].recurrences) * 100)}%` }} />
                      </span>
                      {g.recurrences}
                    </td>
                    <td className="num">{g.agencies}</td>
                    <td className="small">{g.years.join('、')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>

          {groups.map(g => (
            <section key={g.topic} id={`topic-${g.topic}`} className="panel topic" aria-labelledby={`topic-title-${g.topic}`}>
              <h2 id={`topic-title-${g.topic}`}>
                {g.label}{' '}
                <span className="small muted">
                  {t.columns.recurrences} {g.recurrences} · {t.columns.agencies} {g.agencies}
                </span>
              </h2>
              <div className="scroll-x">
                <table className="data compact recurring-list">
                  <thead>
                    <tr>
                      <th scope="col">{t.columns.agency}</th>
                      <th scope="col">{t.columns.earlier}</th>
                      <th scope="col">{t.columns.later}</th>
                      <th scope="col">{t.columns.status}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {g.entries.map(e => (
                      <tr key={e.suggestionId}>
                        <td>{e.agencyId ? <Link to={agencyLink(e.agencyId)}>{e.agencyName}</Link> : e.agencyName}</td>
                        <td>
                          <span className="year-tag">{t.inYear(e.earlierYear)}</span>
                          <Link to={`/reports/${e.earlierReportId}`}>{e.earlierTitle}</Link>
                        </td>
                        <td>
                          <span className="year-tag">{t.inYear(e.laterYear)}</span>
                          <Link to={`/reports/${e.laterReportId}`}>{e.laterTitle}</Link>
                        </td>
                        <td>
                          <span className={`badge ${e.status === 'confirmed' ? 'overdue' : 'queued'}`}>{t.statuses[e.status]}</span>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {g.more ? <p className="small muted">{t.more(g.more)}</p> : null}
            </section>
          ))}
        </>
      )}
    </>
  )
}
