// Reading API input: JSON bodies with a size cap, query strings, and Zod with Chinese messages.
// Validation failures throw ZodError / AppError, which respond.server.ts turns into 400 / 413.
import { z, type ZodErrorMap, type ZodTypeAny } from 'zod'
import { AppError } from '../errors'
import { formatBytes, uploadLimits } from '../limits'

const zhErrorMap: ZodErrorMap = (issue, ctx) => {
  switch (issue.code) {
    case 'invalid_type':
      return { message: issue.received === 'undefined' ? '必填。' : `类型不正确：应为 ${issue.expected}。` }
    case 'too_small':
      return {
        message:
          issue.type === 'string'
            ? `至少 ${issue.minimum} 个字符。`
            : issue.type === 'array'
              ? `至少 ${issue.minimum} 项。`
              : `不能小于 ${issue.minimum}。`,
      }
    case 'too_big':
      return {
        message:
          issue.type === 'string'
            ? `最多 ${issue.maximum} 个字符。`
            : issue.type === 'array'
              ? `最多 ${issue.maximum} 项。`
              : `不能大于 ${issue.maximum}。`,
      }
    case 'invalid_enum_value':
      return { message: `取值应为：${issue.options.join('、')}。` }
    case 'unrecognized_keys':
      return { message: `未知字段：${issue.keys.join('、')}。` }
    case 'invalid_string':
      return { message: '格式不正确。' }
    default:
      return { message: ctx.defaultError }
  }
}

/** Validates with Chinese messages; throws ZodError (→ 400 with `fields`). */
export function parseWith<S extends ZodTypeAny>(schema: S, data: unknown): z.infer<S> {
  return schema.parse(data, { errorMap: zhErrorMap })
}

/** The body as text, refusing (413) more than maxBytes without reading it all into memory. */
export async function readBodyText(request: Request, maxBytes: number): Promise<string> {
  const tooLarge = () => new AppError(413, `请求内容超过大小上限（${formatBytes(maxBytes)}）。`)
  const declared = Number(request.headers.get('Content-Length') ?? NaN)
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge()
  if (!request.body) return ''
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > maxBytes) {
      await reader.cancel().catch(() => {})
      throw tooLarge()
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** A JSON body validated by `schema`. An empty body counts as `{}`, so optional bodies may be left out. */
export async function readJson<S extends ZodTypeAny>(
  request: Request,
  schema: S,
  maxBytes = uploadLimits().formBytes,
): Promise<z.infer<S>> {
  const text = await readBodyText(request, maxBytes)
  let data: unknown = {}
  if (text.trim()) {
    try {
      data = JSON.parse(text)
    } catch {
      throw new AppError(400, '请求体不是有效的 JSON。')
    }
  }
  return parseWith(schema, data)
}

/** Query parameters as a plain object (the last value wins), for a Zod schema. */
export function readQuery<S extends ZodTypeAny>(request: Request, schema: S): z.infer<S> {
  const params = Object.fromEntries(new URL(request.url).searchParams)
  return parseWith(schema, params)
}

export function isMultipart(request: Request): boolean {
  return /^multipart\/form-data/i.test(request.headers.get('Content-Type') ?? '')
}

// Shared field shapes.
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD。')
  .refine(s => !Number.isNaN(Date.parse(s)), '日期无效。')
export const id = z.string().trim().min(1).max(100)
export const priority = z.enum(['high', 'normal', 'low'])
