// GET /ledger/export?format=xlsx|csv&<the ledger's filters>: the ledger file of exactly that filter.
import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '~/auth/session.server'
import { db } from '~/db.server'
import { AppError } from '~/errors'
import { readLedgerQuery, toTaskFilters } from '~/ledger/filters'
import { exportLedger } from '~/ledger/ledger.server'

/** RFC 6266: an ASCII fallback for old clients, the real (Chinese) name in filename*. */
function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '').replace(/["\\]/g, '').replace(/^-+/, '') || 'ledger'
  return `attachment; filename="ledger-${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'ledger:export')
  const url = new URL(request.url)
  const format = url.searchParams.get('format') ?? 'xlsx'
  if (format !== 'xlsx' && format !== 'csv') throw new Response('Bad Request', { status: 400 })
  try {
    const file = await exportLedger(db, user, toTaskFilters(readLedgerQuery(url.searchParams)), format)
    return new Response(file.body, {
      headers: {
        'Content-Type': file.contentType,
        'Content-Disposition': contentDisposition(file.filename),
        'Content-Length': String(file.body.byteLength),
        'Cache-Control': 'private, no-store',
        'X-Content-Type-Options': 'nosniff',
      },
    })
  } catch (err) {
    if (err instanceof AppError) throw new Response(err.message, { status: err.status })
    throw err
  }
}
