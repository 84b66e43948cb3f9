// GET /p/:token: a report's rectification progress as its supervisor published it, without login.
// Shows only the public view (no people, files, addresses or internal ids); 404 once withdrawn.
import { json, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useLoaderData, useParams } from '@remix-run/react'
import { PublicProgressTable } from '~/components/PublicProgress'
import { publicCacheHeaders, requirePublishedView } from '~/publish/page.server'
import { formatDateTime } from '~/ui/format'
import { zh } from '~/ui/zh'

export const meta: MetaFunction<typeof loader> = ({ data, params }) =>
  data
    ? [
        { title: data.view.heading },
        {
          tagName: 'link',
          rel: 'alternate',
          type: 'application/atom+xml',
          title: zh.paperwork.public.feed,
          href: `/p/${params.token}/feed`,
        },
      ]
    : [{ title: zh.appName }]

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders

export async function loader({ params }: LoaderFunctionArgs) {
  const { view } = await requirePublishedView(params.token)
  return json({ view }, { headers: publicCacheHeaders() })
}

// The public page stands alone (no app chrome): a few rules of its own keep the table readable on a phone.
const PAGE_CSS = `
.public-page { max-width: 1100px; margin: 0 auto; padding: 16px; }
.public-page table { width: 100%; border-collapse: collapse; }
.public-page th, .public-page td { padding: 8px 6px; border-bottom: 1px solid #d0d7de; text-align: left; vertical-align: top; }
.public-page td ul { margin: 0; padding-left: 1.1em; }
.public-page .table-scroll { overflow-x: auto; }
`

export default function PublicProgressPage() {
  const { view } = useLoaderData<typeof loader>()
  const here = `/p/${useParams().token}`
  const p = zh.paperwork.public
  return (
    <main className="public-page">
      <style>{PAGE_CSS}</style>
      <h1>{view.heading}</h1>
      <p className="lead">
        <strong>{p.summary(view.totals.closed, view.totals.all, view.totals.percent)}</strong>
      </p>
      <p className="muted small">
        {p.publishedAt(formatDateTime(view.publishedAt))} · <a href={`${here}/feed`}>{p.feed}</a> · <a href={`${here}/print`}>{p.print}</a>
      </p>
      <PublicProgressTable view={view} />
      <p className="muted small">{p.footer}</p>
    </main>
  )
}
