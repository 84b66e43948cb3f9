// /oversight/compliance: per agency and year, was the report published on time, does it admit
// problems and promise measures, does it account for last year's; and who has not reported.
import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import type { ReactNode } from 'react'
import { requireUser } from '~/auth/session.server'
import { ExportLinks, OversightFilterForm } from '~/components/Oversight'
import { Pager } from '~/components/Pager'
import { db } from '~/db.server'
import { AppError } from '~/errors'
import { missingByAgency, pageOf } from '~/oversight/figures'
import { oversightSearch, readOversightQuery, type ComplianceIssue } from '~/oversight/filters'
import { compliance, oversightUnits, resolveFilters } from '~/oversight/oversight.server'
import { zh } from '~/ui/zh'

export const meta: MetaFunction = () => [{ title: `${zh.oversight.compliance.title} · ${zh.oversight.title} · ${zh.appName}` }]

const PAGE_ROWS = 100
const MISSING_SHOWN = 200

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'oversight:read')
  const query = readOversightQuery(new URL(request.url).searchParams)
  try {
    const { filters, years } = await resolveFilters(db, user, query)
    const [units, c] = await Promise.all([
      oversightUnits(db, user, filters.unitId),
      compliance(db, user, { ...filters, issue: query.issue }),
    ])
    const page = pageOf(c.rows, query.page, PAGE_ROWS)
    return json({
      query,
      search: oversightSearch(query),
      range: { from: filters.yearFrom, to: filters.yearTo },
      years,
      units,
      rows: page.rows,
      page: page.page,
      pageCount: page.pageCount,
      count: c.rows.length,
      summary: c.summary,
      missing: missingByAgency(c.missing).slice(0, MISSING_SHOWN),
      missingAgencies: missingByAgency(c.missing).length,
      missingCount: c.missing.length,
    })
  } catch (err) {
    if (err instanceof AppError) throw new Response(err.message, { status: err.status })
    throw err
  }
}

function Yes({ ok, children }: { ok: boolean; children: ReactNode }) {
  return <span className={ok ? 'ok-text' : 'bad-text'}>{children}</span>
}

export default function OversightCompliance() {
  const { query, search, range, years, units, rows, page, pageCount, count, summary, missing, missingAgencies, missingCount } =
    useLoaderData<typeof loader>()
  const t = zh.oversight.compliance
  const issueLink = (issue: ComplianceIssue) => `?${oversightSearch(query, { issue: query.issue === issue ? '' : issue, page: 1 })}`
  const cards: { key: keyof typeof t.summary; value: number; issue?: ComplianceIssue; bad?: boolean }[] = [
    { key: 'reports', value: summary.reports },
    { key: 'onTime', value: summary.onTime },
    { key: 'late', value: summary.late, issue: 'late', bad: true },
    { key: 'unknownDate', value: summary.unknownDate, issue: 'unknownDate' },
    { key: 'noProblems', value: summary.noProblems, issue: 'noProblems', bad: true },
    { key: 'noPlans', value: summary.noPlans, issue: 'noPlans', bad: true },
    { key: 'followUpNo', value: summary.followUpNo, issue: 'noFollowUp', bad: true },
    { key: 'missing', value: summary.missing, bad: true },
  ]
  return (
    <>
      <div className="toolbar oversight-head">
        <div>
          <h1>{t.title}</h1>
          <div className="small muted">
            {zh.oversight.yearRange(range.from, range.to)} · {t.count(count)}
          </div>
        </div>
        <ExportLinks table="compliance" search={search} label={t.title} />
      </div>
      <p className="muted small lead">{t.help}</p>
      <OversightFilterForm query={query} range={range} years={years} units={units} show={{ issue: true }} resetTo="/oversight/compliance" />

      <dl className="stat-cards">
        {cards.map(c => (
          <div key={c.key} className={c.bad && c.value ? 'bad' : undefined}>
            <dt>{t.summary[c.key]}</dt>
            <dd>
              {c.issue && c.value ? (
                <Link to={issueLink(c.issue)} aria-current={query.issue === c.issue ? 'true' : undefined}>
                  {c.value}
                </Link>
              ) : c.key === 'missing' && c.value ? (
                <a href="#missing-title">{c.value}</a>
              ) : (
                c.value
              )}
            </dd>
          </div>
        ))}
      </dl>

      {rows.length === 0 ? (
        <div className="panel empty">{t.empty}</div>
      ) : (
        <div className="table-scroll">
          <table className="data compliance-table">
            <caption className="sr-only">{t.title}</caption>
            <thead>
              <tr>
                <th scope="col">{t.columns.agency}</th>
                <th scope="col">{t.columns.year}</th>
                <th scope="col">{t.columns.title}</th>
                <th scope="col">{t.columns.published}</th>
                <th scope="col">{t.columns.deadline}</th>
                <th scope="col">{t.columns.timeliness}</th>
                <th scope="col">{t.columns.problems}</th>
                <th scope="col">{t.columns.plans}</th>
                <th scope="col" title={t.followUpHelp}>
                  {t.columns.followUp}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map(r => (
                <tr key={r.reportId}>
                  <th scope="row" className="agency">
                    {r.agencyId ? (
                      <Link to={`/oversight/agencies/${r.agencyId}${query.unit ? `?unit=${query.unit}` : ''}`}>{r.agencyName}</Link>
                    ) : (
                      r.agencyName
                    )}
                  </th>
                  <td className="num">{r.year}</td>
                  <td className="small">
                    <Link to={`/reports/${r.reportId}`}>{r.title}</Link>
                  </td>
                  <td className="date">{r.publishedAt?.slice(0, 10) ?? <span className="muted">{zh.common.none}</span>}</td>
                  <td className="date">{r.deadline}</td>
                  <td>
                    <span className={`badge ${r.timeliness === 'on_time' ? 'closed' : r.timeliness === 'late' ? 'overdue' : ''}`}>
                      {t.timeliness[r.timeliness]}
                    </span>
                  </td>
                  <td>
                    <Yes ok={r.problems > 0}>{t.items(r.problems)}</Yes>
                  </td>
                  <td>
                    <Yes ok={r.plans > 0}>{t.items(r.plans)}</Yes>
                  </td>
                  <td title={t.followUpHelp}>
                    {r.followUp === 'na' ? (
                      <span className="muted">{t.followUp.na}</span>
                    ) : (
                      <Yes ok={r.followUp === 'yes'}>{t.followUp[r.followUp]}</Yes>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={page} pageCount={pageCount} />

      <section className="panel" aria-labelledby="missing-title">
        <div className="section-head">
          <h2 id="missing-title">
            {t.missingTitle} <span className="small muted">{t.missingAgencies(missingAgencies, missingCount)}</span>
          </h2>
          <ExportLinks table="missing" search={search} label={t.missingTitle} />
        </div>
        <p className="small muted">{t.missingHelp}</p>
        {missing.length === 0 ? (
          <p className="muted">{t.missingEmpty}</p>
        ) : (
          <div className="scroll-x">
            <table className="data compact">
              <thead>
                <tr>
                  <th scope="col">{t.missingColumns.agency}</th>
                  <th scope="col">{t.missingColumns.year}</th>
                  <th scope="col" className="num">
                    {t.missingColumns.count}
                  </th>
                </tr>
              </thead>
              <tbody>
                {missing.map(m => (
                  <tr key={m.agencyId}>
                    <th scope="row">
                      <Link to={`/oversight/agencies/${m.agencyId}${query.unit ? `?unit=${query.unit}` : ''}`}>{m.agencyName}</Link>
                    </th>
                    <td>{m.years.join('、')}</td>
                    <td className="num">{m.years.length}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {missingAgencies > missing.length ? (
          <p className="small muted">{zh.oversight.recurring.more(missingAgencies - missing.length)}</p>
        ) : null}
      </section>
    </>
  )
}
