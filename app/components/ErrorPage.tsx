import { Link, isRouteErrorResponse } from '@remix-run/react'
import { zh } from '~/ui/zh'

/** The status and a Chinese message for a thrown error: our own 4xx texts are shown, 5xx details never. */
function describeError(error: unknown): { status: number; message: string } {
  const status = isRouteErrorResponse(error) ? error.status : 500
  if (status === 404) return { status, message: zh.errors.notFound }
  if (status === 403) return { status, message: zh.errors.forbidden }
  if (isRouteErrorResponse(error) && typeof error.data === 'string' && status < 500) return { status, message: error.data }
  return { status, message: zh.errors.server }
}

export function ErrorPage({ error }: { error: unknown }) {
  const { status, message } = describeError(error)
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
