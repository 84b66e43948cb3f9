// GET /p/:token/print: the published progress as a plain page for printing (same public view).
import { json, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { PublicProgressTable } from '~/components/PublicProgress'
import { publicCacheHeaders, requirePublishedView } from '~/publish/page.server'
import { formatDateTime } from '~/ui/format'
import { zh } from '~/ui/zh'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.view.heading ?? zh.appName }]

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders

export async function loader({ params }: LoaderFunctionArgs) {
  const { view } = await requirePublishedView(params.token)
  return json({ view }, { headers: publicCacheHeaders() })
}

const PRINT_CSS = `
.public-print { max-width: 1000px; margin: 0 auto; padding: 16px; color: #000; background: #fff; font-family: "FangSong", "仿宋_GB2312", "仿宋", serif; }
.public-print h1 { font-family: "SimHei", "黑体", sans-serif; text-align: center; font-size: 22px; }
.public-print table { width: 100%; border-collapse: collapse; font-size: 13px; }
.public-print th, .public-print td { border: 1px solid #000; padding: 4px 6px; vertical-align: top; text-align: left; }
.public-print ul { margin: 0; padding-left: 1.2em; }
@media print { .public-print { padding: 0; max-width: none; } }
`

export default function PublicProgressPrint() {
  const { view } = useLoaderData<typeof loader>()
  const p = zh.paperwork.public
  return (
    <main className="public-print">
      <style>{PRINT_CSS}</style>
      <h1>{view.heading}</h1>
      <p>
        {p.summary(view.totals.closed, view.totals.all, view.totals.percent)} · {p.publishedAt(formatDateTime(view.publishedAt))}
      </p>
      <PublicProgressTable view={view} />
    </main>
  )
}
