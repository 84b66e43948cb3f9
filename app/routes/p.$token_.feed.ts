// GET /p/:token/feed: an Atom feed of the published report's close-outs (销号), without login.
import type { LoaderFunctionArgs } from '@remix-run/node'
import { publicCacheHeaders, requirePublishedView } from '~/publish/page.server'
import { closuresFeed } from '~/publish/public'

export async function loader({ params }: LoaderFunctionArgs) {
  const { view, pageUrl } = await requirePublishedView(params.token)
  return new Response(closuresFeed(view, pageUrl), {
    headers: { 'Content-Type': 'application/atom+xml; charset=utf-8', 'X-Content-Type-Options': 'nosniff', ...publicCacheHeaders(300) },
  })
}
