import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, NavLink, Outlet, useLoaderData, useLocation, useRouteError, useRouteLoaderData } from '@remix-run/react'
import { ErrorPage } from '~/components/ErrorPage'
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react'
import { can } from '~/auth/permissions'
import { requireUser } from '~/auth/session.server'
import { keepRetryAfter } from '~/rate-limits.server'
import { db } from '~/db.server'
import { countUnread } from '~/notify/notifications.server'
import { MAX_QUERY_CHARS } from '~/search/query'
import { countPendingSuggestions, mayViewSuggestionQueue } from '~/followup/suggestions.server'
import { countTodo } from '~/tasks/todo.server'
import { zh } from '~/ui/zh'

/** A page refused by a rate limit (429) keeps its Retry-After: the error is rendered by this layout's boundary. */
export const headers = keepRetryAfter

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  // One indexed count per page view, for the bell in the header.
  const unread = await countUnread(db, user.id)
  // Pending cross-year suggestions, counted only for those who decide them (0 without a query otherwise).
  const followupPending = await countPendingSuggestions(db, user)
  // What waits for this person to act (the 待办 page's actionable lists): a few indexed counts.
  const todoCount = await countTodo(db, user)
  return json({
    todoCount,
    user,
    isAdmin: can(user.role, 'admin'),
    canUpload: can(user.role, 'report:create'),
    unread,
    canFollowup: mayViewSuggestionQueue(user.role),
    followupPending,
    canOversee: can(user.role, 'oversight:read'),
  })
}

type LayoutData = Awaited<ReturnType<Awaited<ReturnType<typeof loader>>['json']>>

function Shell({ data, children }: { data: LayoutData | undefined; children: ReactNode }) {
  // The search page has its own, larger box.
  const { pathname, search } = useLocation()
  // On a phone the navigation, search box and account sit behind one 菜单 button: a <details>, so
  // it opens without JavaScript too (the CSS shows them while it is open). After hydration the
  // button also says whether it is open, and the menu closes on navigation and on Escape.
  const menu = useRef<HTMLDetailsElement>(null)
  const [menuOpen, setMenuOpen] = useState<boolean | undefined>(undefined)
  useEffect(() => {
    if (menu.current) menu.current.open = false
    setMenuOpen(false)
  }, [pathname, search])
  const closeOnEscape = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && menu.current?.open) {
      menu.current.open = false
      menu.current.querySelector('summary')?.focus()
    }
  }
  return (
    <>
      <header className="header" onKeyDown={closeOnEscape}>
        <Link to="/" className="brand">
          {zh.appName}
        </Link>
        {data ? (
          <>
            <details ref={menu} className="menu-toggle" onToggle={e => setMenuOpen(e.currentTarget.open)}>
              <summary aria-label={zh.menu.label} aria-expanded={menuOpen} aria-controls="main-nav">
                <svg
                  aria-hidden="true"
                  width="20"
                  height="20"
                  viewBox="0 0 24 24"
                  fill="none"
                  stroke="currentColor"
                  strokeWidth="2"
                  strokeLinecap="round"
                >
                  <path d="M4 6h16M4 12h16M4 18h16" />
                </svg>
                <span>{zh.menu.open}</span>
              </summary>
            </details>
            <nav aria-label="主导航" id="main-nav">
              <NavLink to="/todo" aria-label={zh.todo.navTitle(data.todoCount)} title={zh.todo.navTitle(data.todoCount)}>
                {zh.todo.nav}
                {data.todoCount > 0 ? (
                  <span className="nav-count" aria-hidden="true">
                    {data.todoCount > 99 ? '99+' : data.todoCount}
                  </span>
                ) : null}
              </NavLink>
              <NavLink to="/reports" end>
                {zh.nav.reports}
              </NavLink>
              {data.canUpload ? <NavLink to="/reports/new">{zh.nav.upload}</NavLink> : null}
              <NavLink to="/tasks">{zh.nav.tasks}</NavLink>
              <NavLink to="/ledger">{zh.ledger.nav}</NavLink>
              {data.canOversee ? <NavLink to="/oversight">{zh.oversight.nav}</NavLink> : null}
              {data.canFollowup ? (
                <NavLink
                  to="/followup"
                  aria-label={zh.followup.navTitle(data.followupPending)}
                  title={zh.followup.navTitle(data.followupPending)}
                >
                  {zh.followup.nav}
                  {data.followupPending > 0 ? (
                    <span className="nav-count" aria-hidden="true">
                      {data.followupPending > 99 ? '99+' : data.followupPending}
                    </span>
                  ) : null}
                </NavLink>
              ) : null}
              {data.isAdmin ? <NavLink to="/admin/users">{zh.nav.users}</NavLink> : null}
              {data.isAdmin ? <NavLink to="/admin/units">{zh.nav.units}</NavLink> : null}
              {data.isAdmin ? <NavLink to="/admin/agencies">{zh.agencies.nav}</NavLink> : null}
              {data.isAdmin ? <NavLink to="/admin/ops">{zh.ops.nav}</NavLink> : null}
              <NavLink to="/settings">{zh.settings.nav}</NavLink>
            </nav>
            {pathname !== '/search' ? (
              <Form method="get" action="/search" role="search" className="header-search">
                <input type="search" name="q" placeholder={zh.search.placeholder} aria-label={zh.search.box} maxLength={MAX_QUERY_CHARS} />
              </Form>
            ) : null}
            <NavLink
              to="/notifications"
              className="bell"
              aria-label={zh.notifications.bell(data.unread)}
              title={zh.notifications.bell(data.unread)}
            >
              <svg
                aria-hidden="true"
                width="18"
                height="18"
                viewBox="0 0 24 24"
                fill="none"
                stroke="currentColor"
                strokeWidth="2"
                strokeLinecap="round"
                strokeLinejoin="round"
              >
                <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
                <path d="M13.7 21a2 2 0 0 1-3.4 0" />
              </svg>
              <span className="bell-text">{zh.notifications.nav}</span>
              {data.unread > 0 ? (
                <span className="bell-count" aria-hidden="true">
                  {data.unread > 99 ? '99+' : data.unread}
                </span>
              ) : null}
            </NavLink>
            <div className="user" aria-label={zh.menu.account} role="group">
              <span className="who" title={`${data.user.displayName}（${zh.roles[data.user.role]} · ${data.user.unitName}）`}>
                {data.user.displayName}
                <span className="who-detail">
                  （{zh.roles[data.user.role]} · {data.user.unitName}）
                </span>
              </span>
              <Form method="post" action="/logout">
                <button type="submit">{zh.nav.logout}</button>
              </Form>
            </div>
          </>
        ) : null}
      </header>
      <main>{children}</main>
    </>
  )
}

export default function AppLayout() {
  return (
    <Shell data={useLoaderData<typeof loader>()}>
      <Outlet />
    </Shell>
  )
}

/** Errors inside the app (403, 404, 500) keep the header and navigation. */
export function ErrorBoundary() {
  const error = useRouteError()
  return (
    <Shell data={useRouteLoaderData<typeof loader>('routes/_app')}>
      <ErrorPage error={error} />
    </Shell>
  )
}
