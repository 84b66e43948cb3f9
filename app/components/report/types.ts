// The report page's loader data, as its panels receive it (serialised, as useLoaderData gives it).
import type { SerializeFrom } from '@remix-run/node'
import type { loader } from '~/routes/_app.reports.$reportId'

export type ReportPageData = SerializeFrom<typeof loader>
export type ReportView = ReportPageData['report']
export type ReportItem = ReportPageData['items'][number]
