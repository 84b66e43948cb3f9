// 设置: every signed-in user's own notification channels, API tokens and password (never anyone else's).
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useState } from 'react'
import { z } from 'zod'
import { PASSWORD_MAX, passwordField } from '~/auth/password-rules'
import { requireUser, sessionIdFrom } from '~/auth/session.server'
import { enforceRateLimit } from '~/rate-limits.server'
import { createApiToken, listApiTokens, revokeApiToken } from '~/auth/tokens.server'
import { AppError } from '~/errors'
import { done, failure, pageAction } from '~/forms/page-action.server'
import { isActionFailure } from '~/forms/toast'
import { ConfirmButton } from '~/components/ConfirmButton'
import { SubmitButton } from '~/components/SubmitButton'
import { db } from '~/db.server'
import { getChannels, setEmailNotifications } from '~/notify/preferences.server'
import { changeOwnPassword } from '~/org/accounts.server'
import { formatDateTime } from '~/ui/format'
import { zh } from '~/ui/zh'

/** Same limit as tokens.server.ts; kept here because the form (browser code) needs it too. */
const TOKEN_NAME_MAX = 100

export const meta: MetaFunction = () => [{ title: `${zh.settings.title} · ${zh.appName}` }]

// Every signed-in user manages their own tokens; a token carries exactly its user's permissions.
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return json({ tokens: await listApiTokens(db, user.id), channels: await getChannels(db, user.id) })
}

const SettingsForm = z
  .discriminatedUnion('intent', [
    z.object({ intent: z.literal('create-token'), name: z.string().trim().min(1, zh.settings.tokenNameRequired).max(TOKEN_NAME_MAX) }),
    z.object({ intent: z.literal('revoke-token'), tokenId: z.string().min(1) }),
    // The signed-in user's own channels; a checkbox sends "on" or nothing.
    z.object({ intent: z.literal('channels'), email: z.literal('on').optional() }),
    // Always the signed-in user's own password: the form names nobody, and any user id sent is ignored.
    z.object({
      intent: z.literal('change-password'),
      currentPassword: z.string().min(1, '请输入当前密码。').max(PASSWORD_MAX),
      newPassword: passwordField,
      repeatPassword: z.string(),
    }),
  ])
  .superRefine((d, ctx) => {
    if (d.intent === 'change-password' && d.newPassword !== d.repeatPassword)
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: zh.settings.passwordMismatch, path: ['repeatPassword'] })
  })

export async function action(args: ActionFunctionArgs) {
  return pageAction(args, {
    schema: SettingsForm,
    handlers: {
      channels: async ({ user, data }) => {
        const email = data.email === 'on'
        await setEmailNotifications(db, user.id, email)
        return done(zh.settings.channelsSaved(email))
      },
      'change-password': async ({ request, user, data }) => {
        try {
          await changeOwnPassword(db, user.id, {
            current: data.currentPassword,
            next: data.newPassword,
            keepSessionId: await sessionIdFrom(request),
          })
        } catch (err) {
          if (err instanceof AppError)
            return failure(err.status, {
              error: err.message,
              fields: { [/当前密码/.test(err.message) ? 'currentPassword' : 'newPassword']: [err.message] },
              intent: data.intent,
            })
          throw err
        }
        return done(zh.settings.passwordChanged)
      },
      'create-token': async ({ user, data }) => {
        enforceRateLimit(user, 'token')
        try {
          // Shown once, on this answer: a new token never travels in a redirect or a cookie.
          const { token, name } = await createApiToken(db, user.id, data.name)
          return json({ created: { token, name } })
        } catch (err) {
          if (err instanceof AppError)
            return failure(err.status, { error: err.message, fields: { name: [err.message] }, intent: data.intent })
          throw err
        }
      },
      'revoke-token': async ({ user, data }) => {
        // Only the user's own tokens: anyone else's id is "not found", whoever asks.
        if (!(await revokeApiToken(db, user.id, data.tokenId))) throw new Response('Not Found', { status: 404 })
        return done(zh.settings.revokedOk)
      },
    },
  })
}

function NewToken({ token, name }: { token: string; name: string }) {
  const [copied, setCopied] = useState(false)
  return (
    <div className="alert ok" role="status">
      <strong>
        {zh.settings.createdTitle}：{name}
      </strong>
      <p className="small">{zh.settings.createdHelp}</p>
      <div style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
        <input
          type="text"
          readOnly
          value={token}
          aria-label={zh.settings.createdTitle}
          style={{ flex: 1, fontFamily: 'monospace' }}
          onFocus={e => e.currentTarget.select()}
        />
        <button
          type="button"
          className="btn secondary"
          onClick={() => {
            void navigator.clipboard?.writeText(token).then(() => setCopied(true))
          }}
        >
          {copied ? zh.settings.copied : zh.settings.copy}
        </button>
      </div>
    </div>
  )
}

export default function Settings() {
  const { tokens, channels } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const busy = useNavigation().state !== 'idle'
  const errors: Record<string, string[] | undefined> = (isActionFailure(result) && result.fields) || {}
  const created = result && 'created' in result ? result.created : null
  return (
    <>
      <h1>{zh.settings.title}</h1>
      <div className="panel">
        <h2>{zh.settings.channelsTitle}</h2>
        <p className="muted small">{zh.settings.channelsHelp}</p>
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="channels" />
          <label className="check">
            <input type="checkbox" checked disabled /> {zh.settings.inApp}
          </label>
          <label className="check">
            <input type="checkbox" name="email" defaultChecked={channels.email} /> {zh.settings.email}
          </label>
          {!channels.hasAddress ? <p className="small muted">{zh.settings.noAddress}</p> : null}
          <p className="small muted">{zh.settings.robotsHelp}</p>
          <div>
            <SubmitButton reset={false}>{zh.settings.saveChannels}</SubmitButton>
          </div>
        </Form>
      </div>
      <div className="panel">
        <h2>{zh.settings.tokensTitle}</h2>
        <p className="muted small">{zh.settings.tokensHelp}</p>
        {created ? <NewToken token={created.token} name={created.name} /> : null}
        {tokens.length === 0 ? (
          <p className="muted">{zh.settings.empty}</p>
        ) : (
          <table className="data">
            <thead>
              <tr>
                <th>{zh.settings.columns.name}</th>
                <th>{zh.settings.columns.created}</th>
                <th>{zh.settings.columns.lastUsed}</th>
                <th>{zh.settings.columns.status}</th>
                <th>{zh.settings.columns.actions}</th>
              </tr>
            </thead>
            <tbody>
              {tokens.map(t => (
                <tr key={t.id}>
                  <td>{t.name}</td>
                  <td>{formatDateTime(t.created_at)}</td>
                  <td>{t.last_used_at ? formatDateTime(t.last_used_at) : zh.settings.never}</td>
                  <td>
                    {t.revoked_at ? <span className="badge">{zh.settings.revoked(formatDateTime(t.revoked_at))}</span> : zh.settings.active}
                  </td>
                  <td>
                    {t.revoked_at ? null : (
                      <Form method="post">
                        <input type="hidden" name="intent" value="revoke-token" />
                        <input type="hidden" name="tokenId" value={t.id} />
                        <ConfirmButton
                          className="btn secondary danger"
                          disabled={busy}
                          aria-label={`${zh.settings.revoke} ${t.name}`}
                          message={zh.settings.revokeConfirm(t.name)}
                          confirmLabel={zh.settings.revoke}
                          pendingLabel="正在撤销…"
                        >
                          {zh.settings.revoke}
                        </ConfirmButton>
                      </Form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <div className="panel">
        <h2>{zh.settings.create}</h2>
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="create-token" />
          <label>
            {zh.settings.tokenName}
            <input type="text" name="name" required maxLength={TOKEN_NAME_MAX} placeholder={zh.settings.tokenNamePlaceholder} />
            {errors.name ? <span className="field-error">{errors.name[0]}</span> : null}
          </label>
          <div>
            <SubmitButton disabled={busy} pendingLabel="正在创建…">
              {zh.settings.create}
            </SubmitButton>
          </div>
        </Form>
        <p className="muted small">{zh.settings.docsHint}</p>
      </div>
      <div className="panel">
        <h2>{zh.settings.passwordTitle}</h2>
        <p className="muted small">{zh.settings.passwordHelp}</p>
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="change-password" />
          <label>
            {zh.settings.currentPassword}
            <input type="password" name="currentPassword" autoComplete="current-password" required />
            {errors.currentPassword ? <span className="field-error">{errors.currentPassword[0]}</span> : null}
          </label>
          <label>
            {zh.settings.newPassword}
            <input type="password" name="newPassword" autoComplete="new-password" required />
            {errors.newPassword ? <span className="field-error">{errors.newPassword[0]}</span> : null}
          </label>
          <label>
            {zh.settings.repeatPassword}
            <input type="password" name="repeatPassword" autoComplete="new-password" required />
            {errors.repeatPassword ? <span className="field-error">{errors.repeatPassword[0]}</span> : null}
          </label>
          <div>
            <SubmitButton disabled={busy}>{zh.settings.changePassword}</SubmitButton>
          </div>
        </Form>
      </div>
    </>
  )
}
