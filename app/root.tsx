import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useLoaderData, useRouteError } from '@remix-run/react'
import { ErrorPage } from './components/ErrorPage'
import { Toaster } from './components/Toaster'
import { readToast } from './forms/toast.server'
import { useChineseValidity } from './ui/validity'
import type { ReactNode } from 'react'
import styles from './styles/app.css'
import { useNonce } from './ui/nonce'
import { zh } from './ui/zh'

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: styles },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
]
export const meta: MetaFunction = () => [{ title: zh.appName }]

/** The toast an action left for this page (read once: the cookie is cleared with the answer). */
export async function loader({ request }: LoaderFunctionArgs) {
  const { toast, headers } = await readToast(request)
  return json({ toast }, { headers })
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce()
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
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  )
}

export default function App() {
  const { toast } = useLoaderData<typeof loader>()
  useChineseValidity()
  return (
    <>
      <Outlet />
      <Toaster toast={toast} />
    </>
  )
}

export function ErrorBoundary() {
  return <ErrorPage error={useRouteError()} />
}
