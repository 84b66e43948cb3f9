// The public routes' shared loader: the published view by token, or 404; cached briefly by anyone
// (a withdrawal reaches shared caches within PUBLIC_MAX_AGE seconds).
import { appUrl, absoluteLink } from '../notify/links'
import { db } from '../db.server'
import { loadPublicProgress } from './publish.server'

export const PUBLIC_MAX_AGE = 60

export const publicCacheHeaders = (maxAge = PUBLIC_MAX_AGE) => ({ 'Cache-Control': `public, max-age=${maxAge}` })

export async function requirePublishedView(token: string | undefined) {
  const view = token ? await loadPublicProgress(db, token) : null
  if (!view)
    throw new Response('页面不存在或已撤回。', {
      status: 404,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
    })
  return { view, pageUrl: absoluteLink(appUrl(), `/p/${token}`) }
}
