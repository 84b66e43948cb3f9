import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, NavLink, Outlet, isRouteErrorResponse, useLoaderData, useRouteError } from '@remix-run/react'
import { can } from '~/auth/permissions'
import { requireUser } from '~/auth/session.server'
import { zh } from '~/ui/zh'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return json({ user, isAdmin: can(user.role, 'admin'), canUpload: can(user.role, 'report:create') })
}

export default function AppLayout() {
  const { user, isAdmin, canUpload } = useLoaderData<typeof loader>()
  return (
    <>
      <header className="header">
        <span className="brand">{zh.appName}</span>
        <nav aria-label="主导航">
          <NavLink to="/reports" end>
            {zh.nav.reports}
          </NavLink>
          {canUpload ? <NavLink to="/reports/new">{zh.nav.upload}</NavLink> : null}
          <NavLink to="/tasks">{zh.nav.tasks}</NavLink>
          {isAdmin ? <NavLink to="/admin/users">{zh.nav.users}</NavLink> : null}
          {isAdmin ? <NavLink to="/admin/units">{zh.nav.units}</NavLink> : null}
        </nav>
        <div className="user">
          <span>
            {user.displayName}（{zh.roles[user.role]} · {user.unitName}）
          </span>
          <Form method="post" action="/logout">
            <button type="submit">{zh.nav.logout}</button>
          </Form>
        </div>
      </header>
      <main>
        <Outlet />
      </main>
    </>
  )
}

/** Errors inside the app keep the header and navigation. */
export function ErrorBoundary() {
  const error = useRouteError()
  const status = isRouteErrorResponse(error) ? error.status : 500
  const message = status === 404 ? zh.errors.notFound : status === 403 ? zh.errors.forbidden : zh.errors.server
  return (
    <main>
      <div className="error-page">
        <div className="code">{status}</div>
        <p>{message}</p>
        <Link to="/" className="btn">
          {zh.errors.back}
        </Link>
      </div>
    </main>
  )
}
