// The task page's loader data, as its panels receive it (serialised, as useLoaderData gives it).
import type { SerializeFrom } from '@remix-run/node'
import type { loader } from '~/routes/_app.tasks.$taskId'

export type TaskPageData = SerializeFrom<typeof loader>
export type TaskView = TaskPageData['task']
