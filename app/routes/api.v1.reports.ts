// GET /api/v1/reports: reports in scope. POST /api/v1/reports: upload (multipart `file`, or JSON {filename, text}).
import { MaxPartSizeExceededError, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from '@remix-run/node'
import { z } from 'zod'
import { isMultipart, parseWith, readJson } from '~/api/parse.server'
import { apiJson, apiRoute, requireApiPermission } from '~/api/respond.server'
import { AppError } from '~/errors'
import { apiReportJsonBytes, uploadLimits } from '~/limits'
import { db } from '~/db.server'
import { enforceRateLimit } from '~/rate-limits.server'
import { listReportsForUser } from '~/reports/queries.server'
import { maxUploadBytes, uploadReport, type UploadInput } from '~/reports/upload.server'

const PastedReport = z.object({ filename: z.string().trim().max(200).optional(), text: z.string() })

async function readUpload(request: Request): Promise<UploadInput> {
  const maxBytes = maxUploadBytes()
  if (isMultipart(request)) {
    // MaxPartSizeExceededError becomes 413 in the error wrapper; a form the parser cannot read
    // (e.g. a file name with "=" or a stray quote in its header) is the client's error, not ours.
    const form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: maxBytes + 1 })).catch(
      err => {
        if (err instanceof MaxPartSizeExceededError) throw err
        throw new AppError(400, '无法读取上传的表单（文件名或表单头格式不正确），请改名后重试。')
      },
    )
    const file = form.get('file')
    if (!(file instanceof File) || file.size === 0) throw new AppError(400, '请在表单字段 file 中上传报告文件。')
    return { kind: 'file', bytes: new Uint8Array(await file.arrayBuffer()), filename: file.name }
  }
  // JSON escapes can double the text's size; decodePastedText enforces the real limit on the text.
  const body = await readJson(request, PastedReport, apiReportJsonBytes(uploadLimits()))
  const filename = body.filename || '粘贴文本.txt'
  // An HTML page sent as text is decoded as HTML (page chrome removed); anything else as plain text.
  if (/\.html?$/i.test(filename)) return { kind: 'file', bytes: new TextEncoder().encode(body.text), filename }
  return { kind: 'paste', text: body.text, title: filename.replace(/\.(txt|text)$/i, '') }
}

export const { loader, action } = apiRoute({
  async GET({ user }) {
    requireApiPermission(user, 'report:read')
    const reports = await listReportsForUser(db, user)
    return apiJson({
      reports: reports.map(r => ({
        id: r.id,
        filename: r.filename,
        status: r.status,
        error: r.error,
        agency: r.agency_name,
        year: r.year,
        problems: Number(r.problems ?? 0),
        plans: Number(r.plans ?? 0),
        createdAt: r.created_at,
      })),
    })
  },
  async POST({ request, user }) {
    requireApiPermission(user, 'report:create')
    enforceRateLimit(user, 'upload')
    const input = await readUpload(request)
    const result = await uploadReport(db, user, input)
    if (!result.ok) throw new AppError(result.status as AppError['status'], result.error)
    const { id, status } = result.report
    return result.duplicate
      ? apiJson({ id, status, duplicate: true }, { status: 200 })
      : apiJson({ id, status }, { status: 202, headers: { Location: `/api/v1/reports/${id}` } })
  },
})
