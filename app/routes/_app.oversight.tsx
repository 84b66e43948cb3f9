// 督查总览: the oversight views (agencies, recurring problems, reporting compliance) under one set
// of tabs. Read-only, for oversight, supervisors (their subtree) and admins; staff are refused.
import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { NavLink, Outlet, useLocation } from '@remix-run/react'
import { requireUser } from '~/auth/session.server'
import { zh } from '~/ui/zh'

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, 'oversight:read')
  return json({})
}

/** The filters every view shares travel with the tabs. */
const SHARED = ['unit', 'region', 'from', 'to']

export default function OversightLayout() {
  const { search } = useLocation()
  const params = new URLSearchParams(search)
  const kept = new URLSearchParams()
  for (const k of SHARED) {
    const v = params.get(k)
    if (v) kept.set(k, v)
  }
  const q = kept.toString() ? `?${kept.toString()}` : ''
  const t = zh.oversight.tabs
  return (
    <div className="oversight">
      <nav className="oversight-tabs" aria-label={t.label}>
        <NavLink to={`/oversight${q}`} end>
          {t.overview}
        </NavLink>
        <NavLink to={`/oversight/recurring${q}`}>{t.recurring}</NavLink>
        <NavLink to={`/oversight/compliance${q}`}>{t.compliance}</NavLink>
      </nav>
      <Outlet />
    </div>
  )
}
