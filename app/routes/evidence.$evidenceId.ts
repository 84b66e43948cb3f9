// Evidence downloads: only through a permission check, by id, never by a path the user gave.
import fs from 'node:fs'
import { createReadableStreamFromReadable, type LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '~/auth/session.server'
import { db } from '~/db.server'
import { AppError } from '~/errors'
import { getEvidenceFile } from '~/tasks/workflow.server'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, 'task:read')
  try {
    const file = await getEvidenceFile(db, user, params.evidenceId!)
    if (!fs.existsSync(file.path)) throw new Response('文件已丢失', { status: 410 })
    const stat = fs.statSync(file.path)
    return new Response(createReadableStreamFromReadable(fs.createReadStream(file.path)), {
      headers: {
        'Content-Type': file.mime,
        'Content-Length': String(stat.size),
        'Content-Disposition': `attachment; filename="evidence"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'private, no-store',
      },
    })
  } catch (err) {
    if (err instanceof AppError) throw new Response(err.message, { status: err.status })
    throw err
  }
}
