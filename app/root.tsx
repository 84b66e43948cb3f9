import type { LinksFunction, MetaFunction } from '@remix-run/node'
import { Link, Links, Meta, Outlet, Scripts, ScrollRestoration, isRouteErrorResponse, useRouteError } from '@remix-run/react'
import type { ReactNode } from 'react'
import styles from './styles/app.css'
import { zh } from './ui/zh'

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: styles },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
]
export const meta: MetaFunction = () => [{ title: zh.appName }]

export function Layout({ children }: { children: ReactNode }) {
  return (
    <html lang="zh-CN">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  )
}

export default function App() {
  return <Outlet />
}

export function ErrorBoundary() {
  const error = useRouteError()
  const status = isRouteErrorResponse(error) ? error.status : 500
  const message = status === 404 ? zh.errors.notFound : status === 403 ? zh.errors.forbidden : isRouteErrorResponse(error) && typeof error.data === 'string' && status < 500 ? error.data : zh.errors.server
  return (
    <div className="error-page">
      <div className="code">{status}</div>
      <p>{message}</p>
      <Link to="/" className="btn">
        {zh.errors.back}
      </Link>
    </div>
  )
}
