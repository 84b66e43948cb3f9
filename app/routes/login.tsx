import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { z } from 'zod'
import { attemptLogin, waitMessage } from '~/auth/login.server'
import { createUserSession, getUser, safeRedirect } from '~/auth/session.server'
import { db } from '~/db.server'
import { clientIp } from '~/http.server'
import { zh } from '~/ui/zh'
import { demoLoginHint } from '../org/demo.server'

export const meta: MetaFunction = () => [{ title: `${zh.login.title} · ${zh.appName}` }]

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) return redirect('/')
  return json({ demoPassword: await demoLoginHint(db) })
}

const LoginForm = z.object({
  username: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(200),
  redirectTo: z.string().optional(),
})

export async function action({ request }: ActionFunctionArgs) {
  const parsed = LoginForm.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) return json({ error: zh.login.required }, { status: 400 })
  const result = await attemptLogin(db, { username: parsed.data.username, password: parsed.data.password, ip: clientIp(request) })
  if (!result.ok && result.reason === 'locked')
    return json(
      { error: waitMessage(result.retryAfterMs) },
      { status: 429, headers: { 'Retry-After': String(Math.ceil(result.retryAfterMs / 1000)) } },
    )
  if (!result.ok) return json({ error: zh.login.invalid }, { status: 401 })
  return createUserSession(request, result.userId, safeRedirect(parsed.data.redirectTo, '/'))
}

export default function Login() {
  const { demoPassword } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [params] = useSearchParams()
  const busy = useNavigation().state !== 'idle'
  return (
    <div className="login-wrap">
      <div className="login-card">
        <h1>{zh.appName}</h1>
        <div className="tagline">{zh.appTagline}</div>
        {actionData?.error ? (
          <div className="alert error" role="alert">
            {actionData.error}
          </div>
        ) : null}
        <Form method="post" className="stack">
          <input type="hidden" name="redirectTo" value={params.get('redirectTo') ?? ''} />
          <label>
            {zh.login.username}
            <input type="text" name="username" autoComplete="username" autoFocus required />
          </label>
          <label>
            {zh.login.password}
            <input type="password" name="password" autoComplete="current-password" required />
          </label>
          <button type="submit" className="btn" disabled={busy}>
            {zh.login.submit}
          </button>
        </Form>
        {demoPassword ? (
          <p className="alert info small" style={{ marginTop: 20 }}>
            {zh.login.demoHint(demoPassword)}
          </p>
        ) : null}
      </div>
    </div>
  )
}
