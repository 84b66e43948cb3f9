import { Link, useSearchParams } from '@remix-run/react'
import { zh } from '~/ui/zh'

/** Previous / next links that keep the page's other query parameters (its filters). */
export function Pager({ page, pageCount }: { page: number; pageCount: number }) {
  const [params] = useSearchParams()
  if (pageCount <= 1) return null
  const to = (p: number) => {
    const next = new URLSearchParams(params)
    if (p <= 1) next.delete('page')
    else next.set('page', String(p))
    const q = next.toString()
    return q ? `?${q}` : '?'
  }
  return (
    <nav className="pager" aria-label={zh.pager.label}>
      {page > 1 ? (
        <Link to={to(page - 1)} rel="prev">
          {zh.pager.prev}
        </Link>
      ) : (
        <span className="muted">{zh.pager.prev}</span>
      )}
      <span>{zh.pager.page(page, pageCount)}</span>
      {page < pageCount ? (
        <Link to={to(page + 1)} rel="next">
          {zh.pager.next}
        </Link>
      ) : (
        <span className="muted">{zh.pager.next}</span>
      )}
    </nav>
  )
}
