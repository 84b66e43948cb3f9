/** The outcome of a form post: an error (role=alert) or a confirmation (role=status). */
export function ActionResult({ result }: { result: { error: string } | { ok: string } | Record<string, unknown> | undefined }) {
  if (result && 'error' in result && typeof result.error === 'string')
    return (
      <div className="alert error" role="alert">
        {result.error}
      </div>
    )
  if (result && 'ok' in result && typeof result.ok === 'string')
    return (
      <div className="alert ok" role="status">
        {result.ok}
      </div>
    )
  return null
}
