// Small request helpers shared by routes.
import { z, ZodIssueCode, type ZodErrorMap } from 'zod'

/** Client address for rate limiting, set by the web server from the socket (or a trusted proxy). */
export function clientIp(request: Request): string {
  return request.headers.get('x-ft-client-ip') || 'unknown'
}

/** A file to download, as the exports make them. */
export interface DownloadFile {
  filename: string
  contentType: string
  body: Uint8Array<ArrayBuffer>
}

/** RFC 6266: an ASCII fallback for old clients (`<fallback>-…`), the real (Chinese) name in filename*. */
export function contentDisposition(filename: string, fallback: string): string {
  const ascii =
    filename
      .replace(/[^\x20-\x7e]/g, '')
      .replace(/["\\]/g, '')
      .replace(/^-+/, '') || fallback
  return `attachment; filename="${fallback}-${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`
}

/** The response that downloads a generated file: never cached, never sniffed. */
export function downloadResponse(file: DownloadFile, fallback: string): Response {
  return new Response(file.body, {
    headers: {
      'Content-Type': file.contentType,
      'Content-Disposition': contentDisposition(file.filename, fallback),
      'Content-Length': String(file.body.byteLength),
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  })
}

/**
 * Zod's default messages are English ("Required", "Expected number, received nan") and the page
 * actions show them to users as they are. This map answers in Chinese; it is installed once, as a
 * global default, by the session module every route loads (schemas' own messages still win).
 */
export const chineseValidationMessages: ZodErrorMap = (issue, ctx) => {
  switch (issue.code) {
    case ZodIssueCode.invalid_type:
      if (issue.received === 'undefined' || issue.received === 'null') return { message: '必填。' }
      if (issue.expected === 'number' || issue.expected === 'integer' || issue.expected === 'bigint') return { message: '应为数字。' }
      if (issue.expected === 'date') return { message: '日期无效。' }
      return { message: '类型不正确。' }
    case ZodIssueCode.too_small:
      if (issue.type === 'string') return { message: issue.minimum === 1 ? '不能为空。' : `至少 ${issue.minimum} 个字符。` }
      if (issue.type === 'array' || issue.type === 'set') return { message: `至少 ${issue.minimum} 项。` }
      if (issue.type === 'date') return { message: '日期过早。' }
      return { message: `不能小于 ${issue.minimum}。` }
    case ZodIssueCode.too_big:
      if (issue.type === 'string') return { message: `最多 ${issue.maximum} 个字符。` }
      if (issue.type === 'array' || issue.type === 'set') return { message: `最多 ${issue.maximum} 项。` }
      if (issue.type === 'date') return { message: '日期过晚。' }
      return { message: `不能大于 ${issue.maximum}。` }
    case ZodIssueCode.invalid_enum_value:
      return { message: `取值应为：${issue.options.join('、')}。` }
    case ZodIssueCode.invalid_literal:
    case ZodIssueCode.invalid_union:
    case ZodIssueCode.invalid_union_discriminator:
      return { message: '取值不正确。' }
    case ZodIssueCode.unrecognized_keys:
      return { message: `未知字段：${issue.keys.join('、')}。` }
    case ZodIssueCode.invalid_date:
      return { message: '日期无效。' }
    case ZodIssueCode.not_multiple_of:
      return { message: `应为 ${String(issue.multipleOf)} 的倍数。` }
    case ZodIssueCode.not_finite:
      return { message: '应为有限的数字。' }
    case ZodIssueCode.invalid_string:
    case ZodIssueCode.invalid_arguments:
    case ZodIssueCode.invalid_return_type:
    case ZodIssueCode.invalid_intersection_types:
    case ZodIssueCode.custom:
      return { message: /[\u4e00-\u9fff]/.test(issue.message ?? '') ? issue.message! : '格式不正确。' }
    default:
      return { message: /[\u4e00-\u9fff]/.test(ctx.defaultError) ? ctx.defaultError : '输入不正确。' }
  }
}

let installed = false
export function installChineseValidationMessages(): void {
  if (installed) return
  installed = true
  z.setErrorMap(chineseValidationMessages)
}
