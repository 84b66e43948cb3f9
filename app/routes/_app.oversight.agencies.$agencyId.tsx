// /oversight/agencies/:agencyId: one agency year over year (completion, problems admitted and
// recurring, on-time closing), its recurring problems and open tasks by age. Prints as a report.
import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireUser } from '~/auth/session.server'
import { BarChart, LineChart, PALETTE } from '~/components/charts/Chart'
import { ExportLinks, formatRate, Rate } from '~/components/Oversight'
import { PromiseKeeping } from '~/components/PromiseKeeping'
import { db } from '~/db.server'
import { AppError } from '~/errors'
import { oversightSearch, readOversightQuery } from '~/oversight/filters'
import { agency } from '~/oversight/oversight.server'
import { promiseFigures } from '~/oversight/promises.server'
import { topicLabel } from '~/oversight/recurring'
import { todayInShanghai } from '~/tasks/dates'
import { zh } from '~/ui/zh'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.page.agency.name ?? zh.oversight.title} · ${zh.oversight.title} · ${zh.appName}` },
]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'oversight:read')
  const query = readOversightQuery(new URL(request.url).searchParams)
  try {
    const page = await agency(db, user, params.agencyId!, {
      unitId: query.unit || undefined,
      yearFrom: query.from ? Number(query.from) : undefined,
      yearTo: query.to ? Number(query.to) : undefined,
    })
    return json({
      promises: await promiseFigures(db, page.reports),
      page: {
        ...page,
        recurrences: page.recurrences.map(r => ({ ...r, topicLabels: r.topics.map(t => topicLabel(t, zh.oversight.recurring.wording)) })),
      },
      search: oversightSearch({ ...query, sort: 'overdue', dir: 'desc', page: 1, status: '', pending: false, issue: '' }),
      today: todayInShanghai(),
    })
  } catch (err) {
    if (err instanceof AppError) throw new Response(err.message, { status: err.status })
    throw err
  }
}

export default function OversightAgency() {
  const { page, search, today, promises } = useLoaderData<typeof loader>()
  const a = zh.oversight.agency
  const { agency: info, years, totals, recurrences, openByAge, reports } = page
  const categories = years.map(y => a.year(y.year))
  const first = years[0]?.year
  const last = years.at(-1)?.year
  const confirmedRecurrences = years.reduce((n, y) => n + y.problemsRecurring, 0)
  return (
    <article className="agency-report">
      <div className="toolbar oversight-head">
        <div>
          <div className="no-print small">
            <Link to={`/oversight${search ? `?${search}` : ''}`}>← {a.back}</Link>
          </div>
          <h1>{info.name}</h1>
          <div className="small muted">
            {first !== undefined && last !== undefined ? a.range(first, last) : a.noData}
            {info.aliases.length ? ` · ${a.aliases}：${info.aliases.join('、')}` : ''}
            <span className="print-only"> · {a.printedAt(today)}</span>
          </div>
        </div>
        <div className="actions no-print">
          <button type="button" className="btn secondary" onClick={() => window.print()}>
            {a.print}
          </button>
        </div>
      </div>

      <dl className="stat-cards">
        <div>
          <dt>{a.cards.tasks}</dt>
          <dd>{totals.tasks}</dd>
        </div>
        <div>
          <dt>{a.cards.closedRate}</dt>
          <dd>{formatRate(totals.closedRate)}</dd>
        </div>
        <div className={totals.overdue ? 'bad' : undefined}>
          <dt>{a.cards.overdue}</dt>
          <dd>{totals.overdue}</dd>
        </div>
        <div>
          <dt>{a.cards.onTime}</dt>
          <dd>
            {totals.closedOnTime}
            <span className="small muted"> / {totals.closed}</span>
          </dd>
        </div>
        <div className={confirmedRecurrences ? 'warn' : undefined}>
          <dt>{a.cards.recurring}</dt>
          <dd>{confirmedRecurrences}</dd>
        </div>
      </dl>

      {years.length === 0 ? (
        <div className="panel empty">{a.noData}</div>
      ) : (
        <section className="chart-grid" aria-label={a.yearsTitle}>
          <LineChart
            title={a.charts.completion}
            categories={categories}
            percent
            series={[{ label: a.series.closedRate, values: years.map(y => y.closedRate), color: PALETTE.blue }]}
          />
          <BarChart
            title={a.charts.problems}
            categories={categories}
            series={[
              { label: a.series.admitted, values: years.map(y => y.problemsAdmitted), color: PALETTE.blue },
              { label: a.series.recurring, values: years.map(y => y.problemsRecurring), color: PALETTE.vermillion, texture: 'hatch' },
            ]}
          />
          <BarChart
            title={a.charts.closing}
            categories={categories}
            stacked
            series={[
              { label: a.series.onTime, values: years.map(y => y.closedOnTime), color: PALETTE.green },
              { label: a.series.late, values: years.map(y => y.closedLate), color: PALETTE.orange, texture: 'hatch' },
              { label: a.series.overdue, values: years.map(y => y.overdue), color: PALETTE.vermillion, texture: 'cross' },
              { label: a.series.notDue, values: years.map(y => y.notDue), color: '#BBBBBB', texture: 'dots' },
            ]}
          />
          <BarChart
            title={a.charts.age}
            description={a.ageHelp}
            categories={openByAge.map(b => a.ageBuckets[b.bucket])}
            series={[{ label: a.series.open, values: openByAge.map(b => b.count), color: PALETTE.sky }]}
          />
        </section>
      )}

      <PromiseKeeping years={promises} search={search} agencyId={info.id} />

      <section className="panel" aria-labelledby="years-title">
        <div className="section-head">
          <h2 id="years-title">{a.yearsTitle}</h2>
          <ExportLinks table="agency-years" search={search} agencyId={info.id} label={a.yearsTitle} />
        </div>
        <div className="table-scroll">
          <table className="data compact">
            <thead>
              <tr>
                {Object.values(a.columns).map(h => (
                  <th key={h} scope="col" className={h === a.columns.year ? undefined : 'num'}>
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {years.map(y => (
                <tr key={y.year}>
                  <th scope="row">{a.year(y.year)}</th>
                  <td className="num">{y.reports}</td>
                  <td className="num">{y.tasks}</td>
                  <td className="num">{y.closed}</td>
                  <td className="num">
                    <Rate value={y.closedRate} />
                  </td>
                  <td className="num">{y.closedOnTime}</td>
                  <td className="num">{y.closedLate}</td>
                  <td className={`num${y.overdue ? ' bad' : ''}`}>{y.overdue}</td>
                  <td className="num">{y.returned}</td>
                  <td className="num">{y.problemsAdmitted}</td>
                  <td className={`num${y.problemsRecurring ? ' warn' : ''}`}>{y.problemsRecurring}</td>
                  <td className="num">{y.commitments}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="panel" aria-labelledby="recurring-title">
        <div className="section-head">
          <h2 id="recurring-title">{a.recurringTitle}</h2>
          <ExportLinks table="agency-recurring" search={search} agencyId={info.id} label={a.recurringTitle} />
        </div>
        <p className="small muted">{a.recurringHelp}</p>
        {recurrences.length === 0 ? (
          <p className="muted">{a.recurringEmpty}</p>
        ) : (
          <div className="scroll-x">
            <table className="data compact recurring-list">
              <thead>
                <tr>
                  <th scope="col">{a.earlier}</th>
                  <th scope="col">{a.later}</th>
                  <th scope="col">{a.topic}</th>
                  <th scope="col">{a.status}</th>
                </tr>
              </thead>
              <tbody>
                {recurrences.map(r => (
                  <tr key={r.suggestionId}>
                    <td>
                      <span className="year-tag">{zh.oversight.recurring.inYear(r.earlierYear)}</span>
                      <Link to={`/reports/${r.earlierReportId}`}>{r.earlierTitle}</Link>
                    </td>
                    <td>
                      <span className="year-tag">{zh.oversight.recurring.inYear(r.laterYear)}</span>
                      {r.laterTaskId ? (
                        <Link to={`/tasks/${r.laterTaskId}`}>{r.laterTitle}</Link>
                      ) : (
                        <Link to={`/reports/${r.laterReportId}`}>{r.laterTitle}</Link>
                      )}
                    </td>
                    <td className="small">{r.topicLabels.join('；')}</td>
                    <td>
                      <span className={`badge ${r.status === 'confirmed' ? 'overdue' : 'queued'}`}>
                        {zh.oversight.recurring.statuses[r.status]}
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <div className="two-col">
        <section className="panel" aria-labelledby="age-title">
          <div className="section-head">
            <h2 id="age-title">{a.ageTitle}</h2>
            <ExportLinks table="agency-age" search={search} agencyId={info.id} label={a.ageTitle} />
          </div>
          <p className="small muted">{a.ageHelp}</p>
          <div className="scroll-x">
            <table className="data compact">
              <thead>
                <tr>
                  <th scope="col">{a.ageColumns.bucket}</th>
                  <th scope="col" className="num">
                    {a.ageColumns.count}
                  </th>
                </tr>
              </thead>
              <tbody>
                {openByAge.map(b => (
                  <tr key={b.bucket}>
                    <th scope="row">{a.ageBuckets[b.bucket]}</th>
                    <td className="num">{b.count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
        <section className="panel" aria-labelledby="reports-title">
          <h2 id="reports-title">{a.reportsTitle}</h2>
          <ul className="report-list">
            {reports.map(r => (
              <li key={r.id}>
                <span className="year-tag">{a.year(r.year)}</span>
                <Link to={`/reports/${r.id}`}>{r.title}</Link>
                {r.publishedAt ? <span className="small muted"> · {r.publishedAt.slice(0, 10)}</span> : null}
              </li>
            ))}
          </ul>
        </section>
      </div>
    </article>
  )
}
