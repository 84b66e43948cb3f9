// The one place a page's form posts are answered, as apiRoute (app/api/respond.server.ts) does for
// /api/v1: the session user and the permission checked, the form's `intent` dispatched to its
// handler, its fields parsed by the schema, every refusal (AppError, invalid fields, unknown intent)
// answered in one shape ({error, fields?, intent}), and every success a redirect carrying a toast.
import { json, type ActionFunctionArgs } from '@remix-run/node'
import { ZodError, type ZodType } from 'zod'
import type { Permission } from '../auth/permissions'
import { requireUser, type SessionUser } from '../auth/session.server'
import { AppError } from '../errors'
import type { ActionFailure, ToastType } from './toast'
import { redirectWithToast } from './toast.server'

/** What a handler answers when it worked: the toast's words and, if not this page, where to go. */
export interface Done {
  toast: string
  type?: ToastType
  redirectTo?: string
}
export const done = (toast: string, redirectTo?: string): Done => ({ toast, redirectTo })

export interface PageActionContext<Data, Loaded> {
  request: Request
  params: ActionFunctionArgs['params']
  user: SessionUser
  form: FormData
  data: Data
  /** What `load` found (e.g. the record in the URL, already checked to be in the user's scope). */
  loaded: Loaded
}

/** Without a schema a handler gets the form's text fields as they are. */
export type FormFields = { intent: string } & Record<string, string>

type Handlers<Data extends { intent: string }, Loaded> = {
  [K in Data['intent']]: (ctx: PageActionContext<Extract<Data, { intent: K }>, Loaded>) => Promise<Done | Response>
}

export interface PageActionOptions<Data extends { intent: string }, Loaded> {
  /** What the role must be allowed; left out, any signed-in user may post (e.g. their own settings). */
  permission?: Permission
  /** Parses the form's fields (a discriminated union on `intent` types each handler's data). */
  schema?: ZodType<Data, any, any>
  /** Fields sent more than once (checkbox lists): given to the schema as arrays. */
  arrays?: string[]
  /** Runs before the form is read: a record outside the user's scope is refused before anything else. */
  load?: (args: { request: Request; params: ActionFunctionArgs['params']; user: SessionUser }) => Promise<Loaded>
  /** Reads the body (e.g. a multipart upload); request.formData() by default. */
  readForm?: (request: Request, user: SessionUser) => Promise<FormData>
  handlers: Handlers<Data, Loaded>
}

export const UNKNOWN_INTENT = '未知的操作，请刷新页面后重试。'

export function failure(status: number, body: ActionFailure) {
  return json(body, { status })
}

/** Field path → messages, e.g. {"items.0.ownerId": ["必填"]}. */
function fieldErrors(err: ZodError): Record<string, string[]> {
  const fields: Record<string, string[]> = {}
  for (const issue of err.issues) (fields[issue.path.join('.') || '_'] ??= []).push(issue.message)
  return fields
}

/** The same page again after a post: its path and query, without Remix's `?index` marker. */
export function samePage(request: Request): string {
  const url = new URL(request.url)
  url.searchParams.delete('index')
  url.searchParams.delete('_data')
  return url.pathname + url.search
}

/**
 * Called from inside the route's `export async function action(args)`, never as
 * `export const action = pageAction(…)`: the browser build drops the action function whole, but a
 * top-level call would stay and run there, with this *.server module emptied (a broken page).
 */
export async function pageAction<Data extends { intent: string } = FormFields, Loaded = undefined>(
  { request, params }: ActionFunctionArgs,
  opts: PageActionOptions<Data, Loaded>,
): Promise<Response> {
  // Guards throw: a login redirect when signed out, 403 without the permission (as requireUser does for pages).
  const user = await requireUser(request, opts.permission)
  let intent: string | undefined
  try {
    const loaded = (opts.load ? await opts.load({ request, params, user }) : undefined) as Loaded
    const form = opts.readForm ? await opts.readForm(request, user) : await request.formData()
    const raw = form.get('intent')
    intent = typeof raw === 'string' ? raw : undefined
    const handler =
      intent && Object.hasOwn(opts.handlers, intent)
        ? (opts.handlers as Record<string, (ctx: PageActionContext<unknown, Loaded>) => Promise<Done | Response>>)[intent]
        : undefined
    if (!handler) return failure(400, { error: UNKNOWN_INTENT, intent })
    const fields: Record<string, unknown> = {}
    for (const [k, v] of form.entries()) if (typeof v === 'string' && !(k in fields)) fields[k] = v
    for (const k of opts.arrays ?? []) fields[k] = form.getAll(k).filter(v => typeof v === 'string')
    const data = opts.schema ? opts.schema.parse(fields) : fields
    const outcome = await handler({ request, params, user, form, data, loaded })
    if (outcome instanceof Response) return outcome
    return redirectWithToast(request, outcome.redirectTo ?? samePage(request), outcome.toast, outcome.type)
  } catch (err) {
    if (err instanceof AppError) return failure(err.status, { error: err.message, intent })
    if (err instanceof ZodError)
      return failure(400, { error: err.issues[0]?.message ?? '提交的内容不完整。', fields: fieldErrors(err), intent })
    throw err
  }
}
