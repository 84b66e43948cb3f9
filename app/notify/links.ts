// Where the site lives, for links that leave it (emails, group robots): APP_URL, or the local web
// server when it is unset. Pages link relatively; only messages read elsewhere need the address.

type Env = Record<string, string | undefined>

/** APP_URL without a trailing slash; unset: http://localhost:<PORT or 3000>. */
export function appUrlFrom(env: Env): string {
  const raw = env.APP_URL?.trim()
  if (raw) {
    let url: URL
    try {
      url = new URL(raw)
    } catch {
      throw new Error(`APP_URL is not an absolute http(s) URL: ${raw}`)
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`APP_URL is not an absolute http(s) URL: ${raw}`)
    return url.href.replace(/\/+$/, '')
  }
  const port = Number(env.PORT) || 3000
  return `http://localhost:${port}`
}

/** The site's address from the environment (read at each call: tests and processes set it late). */
export const appUrl = (): string => appUrlFrom(process.env)

/** An app path ("/tasks/…") as an absolute URL under the site's address (which may have a path of its own). */
export function absoluteLink(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`
}
