// /oversight: per agency, for the scope and year range, reports by year and the figures of their
// tasks, with a totals row; sortable, filterable in the URL, exported as shown.
import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireUser } from '~/auth/session.server'
import { ExportLinks, OversightFilterForm, Rate } from '~/components/Oversight'
import { Pager } from '~/components/Pager'
import { db } from '~/db.server'
import { AppError } from '~/errors'
import type { OverviewRow } from '~/oversight/figures'
import { oversightSearch, readOversightQuery, sortLink, type OverviewSort } from '~/oversight/filters'
import { overview, oversightUnits, resolveFilters } from '~/oversight/oversight.server'
import { zh } from '~/ui/zh'

export const meta: MetaFunction = () => [{ title: `${zh.oversight.title} · ${zh.appName}` }]

const PAGE_ROWS = 100

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'oversight:read')
  const query = readOversightQuery(new URL(request.url).searchParams)
  try {
    const { filters, years } = await resolveFilters(db, user, query)
    const [units, o] = await Promise.all([
      oversightUnits(db, user, filters.unitId),
      overview(db, user, { ...filters, status: query.status, sort: query.sort, dir: query.dir, page: query.page, pageSize: PAGE_ROWS }),
    ])
    return json({
      query,
      search: oversightSearch(query),
      range: { from: filters.yearFrom, to: filters.yearTo },
      years,
      units,
      yearsInRange: o.years,
      rows: o.rows,
      page: o.page,
      pageCount: o.pageCount,
      count: o.count,
      totals: o.totals,
    })
  } catch (err) {
    if (err instanceof AppError) throw new Response(err.message, { status: err.status })
    throw err
  }
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>

function SortHeader({ label, column, help, numeric = true }: { label: string; column: OverviewSort; help?: string; numeric?: boolean }) {
  const { query } = useLoaderData<typeof loader>()
  const active = query.sort === column
  const arrow = active ? (query.dir === 'asc' ? '▲' : '▼') : ''
  return (
    <th
      scope="col"
      className={numeric ? 'num' : undefined}
      aria-sort={active ? (query.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
      title={help}
    >
      <Link to={`?${sortLink(query, column)}`} aria-label={zh.oversight.sortBy(label)} preventScrollReset>
        {label}
        <span className="sort-arrow" aria-hidden="true">
          {arrow}
        </span>
      </Link>
    </th>
  )
}

function YearChips({ row, years }: { row: OverviewRow; years: number[] }) {
  return (
    <span className="year-chips">
      {years.map(y => {
        const n = row.reportsByYear[y] ?? 0
        return (
          <span
            key={y}
            className={`year-chip${n ? ' has' : ''}`}
            title={zh.oversight.yearCell(y, n)}
            aria-label={zh.oversight.yearCell(y, n)}
          >
            {String(y).slice(2)}
            {n > 1 ? `×${n}` : ''}
          </span>
        )
      })}
    </span>
  )
}

function Figures({ row }: { row: Data['totals'] }) {
  return (
    <>
      <td className="num">{row.tasks}</td>
      <td className="num">{row.commitments}</td>
      <td className="num">{row.problems}</td>
      <td className="num">
        <Rate value={row.closedRate} />
      </td>
      <td className={`num${row.overdue ? ' bad' : ''}`}>{row.overdue}</td>
      <td className="num">{row.returned}</td>
      <td className={`num${row.recurring ? ' warn' : ''}`}>{row.recurring}</td>
      <td className="num">{row.evidenced}</td>
    </>
  )
}

export default function OversightOverview() {
  const { query, search, range, years, units, yearsInRange, rows, page, pageCount, count, totals } = useLoaderData<typeof loader>()
  const c = zh.oversight.columns
  const h = zh.oversight.columnHelp
  const drill = (id: string) => {
    const p = new URLSearchParams()
    if (query.unit) p.set('unit', query.unit)
    p.set('from', String(range.from))
    p.set('to', String(range.to))
    return `/oversight/agencies/${id}?${p.toString()}`
  }
  return (
    <>
      <div className="toolbar oversight-head">
        <div>
          <h1>{zh.oversight.title}</h1>
          <div className="small muted">
            {zh.oversight.yearRange(range.from, range.to)} · {zh.oversight.count(count)}
          </div>
        </div>
        <ExportLinks table="overview" search={search} label={zh.oversight.tables.overview} />
      </div>

      <OversightFilterForm
        query={query}
        range={range}
        years={years}
        units={units}
        show={{ status: true }}
        resetTo="/oversight"
        hidden={query.sort !== 'overdue' || query.dir !== 'desc' ? { sort: query.sort, dir: query.dir } : {}}
      />

      {rows.length === 0 ? (
        <div className="panel empty">{zh.oversight.empty}</div>
      ) : (
        <div className="table-scroll">
          <table className="data oversight-table">
            <caption className="sr-only">
              {zh.oversight.title} {zh.oversight.yearRange(range.from, range.to)}
            </caption>
            <thead>
              <tr>
                <SortHeader label={c.agency} column="name" numeric={false} />
                <SortHeader label={c.reports} column="reports" help={h.reports} numeric={false} />
                <SortHeader label={c.tasks} column="tasks" help={h.tasks} />
                <SortHeader label={c.commitments} column="commitments" help={h.commitments} />
                <SortHeader label={c.problems} column="problems" help={h.problems} />
                <SortHeader label={c.closedRate} column="closedRate" help={h.closedRate} />
                <SortHeader label={c.overdue} column="overdue" help={h.overdue} />
                <SortHeader label={c.returned} column="returned" help={h.returned} />
                <SortHeader label={c.recurring} column="recurring" help={h.recurring} />
                <SortHeader label={c.evidenced} column="evidenced" help={h.evidenced} />
              </tr>
            </thead>
            <tbody>
              {rows.map(r => (
                <tr key={r.agencyId ?? 'unknown'}>
                  <th scope="row" className="agency">
                    {r.agencyId ? (
                      <Link to={drill(r.agencyId)} title={zh.oversight.open(r.name)}>
                        {r.name}
                      </Link>
                    ) : (
                      <span className="muted">{r.name}</span>
                    )}
                  </th>
                  <td>
                    <YearChips row={r} years={yearsInRange} />
                  </td>
                  <Figures row={r} />
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{totals.name}</th>
                <td className="small">{zh.oversight.reportsTotal(totals.reports)}</td>
                <Figures row={totals} />
              </tr>
            </tfoot>
          </table>
        </div>
      )}
      <Pager page={page} pageCount={pageCount} />
      <p className="small muted legend-note">{zh.oversight.readOnly}</p>
    </>
  )
}
