// The one place /api/v1 answers are made: method dispatch, Bearer authentication, and every error
// turned into `{"error": "…"}` with its status, so each route file stays a few lines.
import { MaxPartSizeExceededError, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { ZodError } from 'zod'
import { can, type Permission } from '../auth/permissions'
import type { SessionUser } from '../auth/session.server'
import { requireApiUser } from '../auth/tokens.server'
import { AppError } from '../errors'
import { zh } from '../ui/zh'

export function apiJson(data: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return new Response(JSON.stringify(data), {
    status: init.status ?? 200,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...init.headers },
  })
}

const STATUS_MESSAGES: Record<number, string> = {
  400: zh.api.invalid,
  401: zh.api.unauthorized,
  403: zh.api.forbidden,
  404: '找不到该记录，或您无权查看。',
  405: zh.api.methodNotAllowed,
  409: '当前状态下不能执行此操作。',
  413: '请求内容超过大小上限。',
  415: '不支持的内容类型。',
}

/** Field path → messages, e.g. {"items.0.ownerId": ["必填"]}. */
function fieldErrors(err: ZodError): Record<string, string[]> {
  const fields: Record<string, string[]> = {}
  for (const issue of err.issues) (fields[issue.path.join('.') || '_'] ??= []).push(issue.message)
  return fields
}

export async function errorResponse(err: unknown): Promise<Response> {
  if (err instanceof AppError) return apiJson({ error: err.message }, { status: err.status })
  if (err instanceof ZodError) return apiJson({ error: zh.api.invalid, fields: fieldErrors(err) }, { status: 400 })
  if (err instanceof MaxPartSizeExceededError) return apiJson({ error: STATUS_MESSAGES[413] }, { status: 413 })
  if (err instanceof Response) {
    // A thrown Response from shared code (e.g. a 404 guard, a rate limit): keep its status and
    // Retry-After, give it our shape.
    let message = STATUS_MESSAGES[err.status]
    try {
      const body = await err.clone().json()
      if (typeof body?.error === 'string') message = body.error
    } catch {
      // not JSON: a rate limit's (app/rate-limits.server.ts) plain Chinese text says how long to wait
      if (err.status === 429) message = await err.clone().text()
    }
    const retryAfter = err.headers.get('Retry-After')
    return apiJson(
      { error: message ?? '请求失败。' },
      { status: err.status >= 400 ? err.status : 500, headers: retryAfter ? { 'Retry-After': retryAfter } : {} },
    )
  }
  console.error('api: unexpected error', err)
  return apiJson({ error: zh.api.server }, { status: 500 })
}

export function requireApiPermission(user: SessionUser, permission: Permission): void {
  if (!can(user.role, permission)) throw new AppError(403, STATUS_MESSAGES[403])
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'
export interface ApiContext {
  request: Request
  params: LoaderFunctionArgs['params']
  user: SessionUser
}
type Handler = (ctx: ApiContext) => Promise<Response>

/**
 * Builds a resource route's loader and action from one handler per method. Remix sends GET to the
 * loader and the rest to the action; both go through the same dispatch, so a wrong method is a
 * 405 JSON answer with `Allow`, never Remix's HTML error.
 */
export function apiRoute(handlers: Partial<Record<Method, Handler>>) {
  const allow = Object.keys(handlers).join(', ')
  const run = async ({ request, params }: LoaderFunctionArgs | ActionFunctionArgs): Promise<Response> => {
    const method = (request.method.toUpperCase() === 'HEAD' ? 'GET' : request.method.toUpperCase()) as Method
    const handler = handlers[method]
    if (!handler) return apiJson({ error: STATUS_MESSAGES[405] }, { status: 405, headers: { Allow: allow } })
    try {
      const user = await requireApiUser(request)
      return await handler({ request, params, user })
    } catch (err) {
      return errorResponse(err)
    }
  }
  return { loader: run, action: run }
}
