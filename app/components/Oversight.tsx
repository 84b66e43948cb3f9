// Pieces shared by the oversight pages (督查总览): the filter form, the export links, rates.
import { Form, Link } from '@remix-run/react'
import { zh } from '~/ui/zh'

export interface FilterQuery {
  unit: string
  region: string
  from: string
  to: string
  status: string
  pending: boolean
  issue: string
}

interface FilterFormProps {
  query: FilterQuery
  /** The year range in effect (the default when the URL has none). */
  range: { from: number; to: number }
  years: number[]
  units: { id: string; name: string; depth: number }[]
  /** Extra fields of one page. */
  show?: { status?: boolean; pending?: boolean; issue?: boolean }
  /** Where "clear" goes. */
  resetTo: string
  /** Keep the sort order when filtering. */
  hidden?: Record<string, string>
}

export function OversightFilterForm({ query, range, years, units, show = {}, resetTo, hidden = {} }: FilterFormProps) {
  const f = zh.oversight.filters
  // The selects offer every year with reports plus the range in effect.
  const options = [...new Set([...years, range.from, range.to])].sort((a, b) => b - a)
  const filtered = !!(query.unit || query.region || query.from || query.to || query.status || query.pending || query.issue)
  return (
    <Form method="get" className="panel oversight-filters" aria-label={f.label}>
      {Object.entries(hidden).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <label className="wide">
        {f.unit}
        <select name="unit" defaultValue={query.unit}>
          <option value="">{f.allUnits}</option>
          {units.map(u => (
            <option key={u.id} value={u.id}>
              {'　'.repeat(u.depth)}
              {u.name}
            </option>
          ))}
        </select>
      </label>
      <label className="wide">
        {f.region}
        <input type="text" name="region" defaultValue={query.region} placeholder={f.regionPlaceholder} maxLength={30} />
      </label>
      <label>
        {f.from}
        <select name="from" defaultValue={String(range.from)}>
          {options.map(y => (
            <option key={y} value={y}>
              {y}
            </option>
          ))}
        </select>
      </label>
      <label>
        {f.to}
        <select name="to" defaultValue={String(range.to)}>
          {options.map(y => (
            <option key={y} value={y}>
              {y}
            </option>
          ))}
        </select>
      </label>
      {show.status ? (
        <label className="wide">
          {f.status}
          <select name="status" defaultValue={query.status}>
            <option value="">{f.anyStatus}</option>
            <option value="overdue">{f.withOverdue}</option>
            {Object.entries(zh.taskStatus).map(([value, label]) => (
              <option key={value} value={value}>
                {f.withStatus(label)}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {show.issue ? (
        <label className="wide">
          {f.issue}
          <select name="issue" defaultValue={query.issue}>
            <option value="">{f.anyIssue}</option>
            {Object.entries(zh.oversight.compliance.issues).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {show.pending ? (
        <label className="check">
          <input type="checkbox" name="pending" value="1" defaultChecked={query.pending} />
          {f.pending}
        </label>
      ) : null}
      <div className="buttons">
        <button type="submit" className="btn">
          {f.apply}
        </button>
        {filtered ? (
          <Link to={resetTo} className="btn secondary">
            {f.reset}
          </Link>
        ) : null}
      </div>
    </Form>
  )
}

/** .xlsx and .csv of one table, with the page's filter. */
export function ExportLinks({ table, search, agencyId, label }: { table: string; search: string; agencyId?: string; label?: string }) {
  const href = (format: 'xlsx' | 'csv') => {
    const p = new URLSearchParams(search)
    p.delete('page')
    p.set('table', table)
    p.set('format', format)
    if (agencyId) p.set('agency', agencyId)
    return `/oversight/export?${p.toString()}`
  }
  return (
    <div className="actions export-links" role="group" aria-label={label}>
      <a className="btn small" href={href('xlsx')} download>
        {zh.oversight.exportXlsx}
      </a>
      <a className="btn small secondary" href={href('csv')} download>
        {zh.oversight.exportCsv}
      </a>
    </div>
  )
}

export function formatRate(rate: number | null): string {
  return rate === null ? zh.common.none : `${Math.round(rate * 1000) / 10}%`
}

/** A rate with a small bar, so a column of rates reads at a glance. */
export function Rate({ value }: { value: number | null }) {
  if (value === null) return <span className="muted">{zh.common.none}</span>
  return (
    <span className="rate">
      <span className="rate-text">{formatRate(value)}</span>
      <span className="rate-bar" aria-hidden="true">
        <span style={{ width: `${Math.round(value * 100)}%` }} />
      </span>
    </span>
  )
}
