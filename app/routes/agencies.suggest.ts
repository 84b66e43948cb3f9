// GET /agencies/suggest?q=…: the registry's agencies matching what a reviewer types (JSON for the
// review page's agency field). Reviewers only; the registry holds public bodies' names, no records.
import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '~/auth/session.server'
import { db } from '~/db.server'
import { suggestAgencies } from '~/agencies/suggest.server'

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, 'report:review')
  const q = new URL(request.url).searchParams.get('q') ?? ''
  return json({ agencies: await suggestAgencies(db, q) }, { headers: { 'Cache-Control': 'private, max-age=30' } })
}
