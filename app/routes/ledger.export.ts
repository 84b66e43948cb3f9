// GET /ledger/export?format=xlsx|csv&<the ledger's filters>: the ledger file of exactly that filter.
import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '~/auth/session.server'
import { enforceRateLimit } from '~/rate-limits.server'
import { db } from '~/db.server'
import { AppError } from '~/errors'
import { downloadResponse } from '~/http.server'
import { readLedgerQuery, toTaskFilters } from '~/ledger/filters'
import { exportLedger } from '~/ledger/ledger.server'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'ledger:export')
  const url = new URL(request.url)
  const format = url.searchParams.get('format') ?? 'xlsx'
  if (format !== 'xlsx' && format !== 'csv') throw new Response('Bad Request', { status: 400 })
  enforceRateLimit(user, 'export')
  try {
    const file = await exportLedger(db, user, toTaskFilters(readLedgerQuery(url.searchParams)), format)
    return downloadResponse(file, 'ledger')
  } catch (err) {
    if (err instanceof AppError) throw new Response(err.message, { status: err.status })
    throw err
  }
}
