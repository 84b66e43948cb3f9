// One user's account, for the admin: edit name, email, role and unit; deactivate (after a
// confirmation step on the page) or reactivate; reset the password to a temporary one shown once,
// or to one the admin types. The rules live in app/org/accounts.server.ts.
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { useEffect, useState } from 'react'
import { z } from 'zod'
import { ActionResult } from '~/components/ActionResult'
import { passwordField } from '~/auth/password-rules'
import { ROLES } from '~/auth/permissions'
import { requireUser } from '~/auth/session.server'
import { db } from '~/db.server'
import { done, pageAction } from '~/forms/page-action.server'
import { isActionFailure } from '~/forms/toast'
import { SubmitButton } from '~/components/SubmitButton'
import {
  deactivateUser,
  openTasksOwnedBy,
  reactivateUser,
  setUserPassword,
  temporaryPassword,
  updateUserAccount,
} from '~/org/accounts.server'
import { getAccount, listUnits } from '~/org/org.server'
import { UserFields } from '~/org/user-form'
import { zh } from '~/ui/zh'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? zh.admin.editTitle(data.user.username) : zh.admin.usersTitle} · ${zh.appName}` },
]

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, 'admin')
  const user = await getAccount(db, params.userId!)
  if (!user) throw new Response('Not Found', { status: 404 })
  // Open tasks the user owns: a change of unit must say whether they move with the user.
  return json({ user, units: await listUnits(db), openTasks: (await openTasksOwnedBy(db, user.id)).length })
}

const AccountForm = z.discriminatedUnion('intent', [
  UserFields.extend({ intent: z.literal('update'), openTasks: z.enum(['move', 'keep']).optional() }),
  z.object({
    intent: z.literal('deactivate'),
    confirmed: z.literal('yes', { errorMap: () => ({ message: zh.admin.deactivateNeedsConfirm }) }),
  }),
  z.object({ intent: z.literal('reactivate') }),
  z.object({ intent: z.literal('generate-password') }),
  z.object({ intent: z.literal('set-password'), password: passwordField }),
])

export async function action(args: ActionFunctionArgs) {
  return pageAction(args, {
    permission: 'admin',
    schema: AccountForm,
    load: async ({ params }) => {
      const target = await getAccount(db, params.userId!)
      if (!target) throw new Response('Not Found', { status: 404 })
      return target
    },
    handlers: {
      update: async ({ user: admin, loaded: target, data: d }) => {
        const r = await updateUserAccount(db, admin, target.id, {
          displayName: d.displayName,
          email: d.email || null,
          role: d.role,
          unitId: d.unitId,
          openTasks: d.openTasks ?? null,
        })
        return done(r.message === '已保存。' ? zh.admin.saved : r.message)
      },
      deactivate: async ({ user: admin, loaded: target }) => {
        await deactivateUser(db, target.id, admin.id)
        // back to the page itself, without the confirmation step (?confirm=deactivate)
        return done(zh.admin.deactivated, `/admin/users/${target.id}`)
      },
      reactivate: async ({ loaded: target }) => {
        await reactivateUser(db, target.id)
        return done(zh.admin.reactivated)
      },
      'generate-password': async ({ loaded: target }) => {
        const password = temporaryPassword()
        await setUserPassword(db, target.id, password)
        // Shown in this answer only; never stored, logged, or carried in a redirect.
        return json({ temporary: { username: target.username, password } })
      },
      'set-password': async ({ loaded: target, data: d }) => {
        await setUserPassword(db, target.id, d.password)
        return done(zh.admin.passwordSet)
      },
    },
  })
}

export default function AdminUser() {
  const { user, units, openTasks } = useLoaderData<typeof loader>()
  const [unitId, setUnitId] = useState(user.unit_id)
  // After a save the loader's unit is the new one: the choice is asked again only for a further change.
  useEffect(() => setUnitId(user.unit_id), [user.unit_id])
  const result = useActionData<typeof action>()
  const busy = useNavigation().state !== 'idle'
  const [search] = useSearchParams()
  const errors: Record<string, string[] | undefined> = (isActionFailure(result) && result.fields) || {}
  const temporary = result && 'temporary' in result ? result.temporary : null
  // The confirmation step is a page state (?confirm=deactivate), so it works without scripts too.
  const confirming = search.get('confirm') === 'deactivate' && !!user.active
  return (
    <>
      <p>
        <Link to="/admin/users">← {zh.admin.backToUsers}</Link>
      </p>
      <h1>{zh.admin.editTitle(user.username)}</h1>
      <ActionResult result={result} />
      {temporary ? (
        <div className="alert ok" role="status">
          <p>{zh.admin.tempShown(temporary.username)}</p>
          <input
            type="text"
            readOnly
            value={temporary.password}
            aria-label={zh.admin.newPassword}
            style={{ fontFamily: 'monospace' }}
            onFocus={e => e.currentTarget.select()}
          />
        </div>
      ) : null}
      <div className="panel">
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="update" />
          <label>
            {zh.admin.displayName}
            <input type="text" name="displayName" required maxLength={50} defaultValue={user.display_name} />
            {errors.displayName ? <span className="field-error">{errors.displayName[0]}</span> : null}
          </label>
          <label>
            {zh.admin.email}
            <input type="email" name="email" defaultValue={user.email ?? ''} />
            {errors.email ? <span className="field-error">{errors.email[0]}</span> : null}
          </label>
          <label>
            {zh.admin.role}
            <select name="role" defaultValue={user.role}>
              {ROLES.map(r => (
                <option key={r} value={r}>
                  {zh.roles[r]}
                </option>
              ))}
            </select>
            {errors.role ? <span className="field-error">{errors.role[0]}</span> : null}
          </label>
          <label>
            {zh.admin.unit}
            <select name="unitId" value={unitId} onChange={e => setUnitId(e.currentTarget.value)}>
              {units.map(u => (
                <option key={u.id} value={u.id}>
                  {'　'.repeat(u.path.split('/').length - 3)}
                  {u.name}
                </option>
              ))}
            </select>
            {errors.unitId ? <span className="field-error">{errors.unitId[0]}</span> : null}
          </label>
          {openTasks > 0 && unitId !== user.unit_id ? (
            <fieldset className="stack open-tasks-choice">
              <legend>{zh.admin.openTasksLegend(openTasks)}</legend>
              <label className="check">
                <input type="radio" name="openTasks" value="move" required /> {zh.admin.openTasksMove}
              </label>
              <label className="check">
                <input type="radio" name="openTasks" value="keep" required /> {zh.admin.openTasksKeep}
              </label>
              {errors.openTasks ? <span className="field-error">{errors.openTasks[0]}</span> : null}
            </fieldset>
          ) : openTasks > 0 ? (
            <p className="small muted">{zh.admin.openTasksNote(openTasks)}</p>
          ) : null}
          <div>
            <SubmitButton className="btn" disabled={busy} reset={false}>
              {zh.admin.save}
            </SubmitButton>
          </div>
        </Form>
      </div>

      <div className="panel">
        <h2>{zh.admin.accountTitle}</h2>
        <p>{user.active ? zh.admin.active : zh.admin.inactive}</p>
        {!user.active ? (
          <Form method="post">
            <p className="muted small">{zh.admin.reactivateHelp}</p>
            <input type="hidden" name="intent" value="reactivate" />
            <SubmitButton className="btn" disabled={busy}>
              {zh.admin.reactivate}
            </SubmitButton>
          </Form>
        ) : confirming ? (
          <section role="alertdialog" aria-labelledby="deactivate-title" aria-describedby="deactivate-help" className="alert error">
            <h3 id="deactivate-title">{zh.admin.deactivateConfirmTitle(`${user.display_name}（${user.username}）`)}</h3>
            <p id="deactivate-help">{zh.admin.deactivateHelp}</p>
            <Form method="post" style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
              <input type="hidden" name="intent" value="deactivate" />
              <input type="hidden" name="confirmed" value="yes" />
              <SubmitButton className="btn danger" disabled={busy}>
                {zh.admin.deactivateConfirm}
              </SubmitButton>
              <Link to="." className="btn secondary" autoFocus>
                {zh.admin.cancel}
              </Link>
            </Form>
          </section>
        ) : (
          <>
            <p className="muted small">{zh.admin.deactivateHelp}</p>
            <Link to="?confirm=deactivate" className="btn secondary">
              {zh.admin.deactivate}
            </Link>
          </>
        )}
      </div>

      <div className="panel">
        <h2>{zh.admin.resetTitle}</h2>
        <p className="muted small">{zh.admin.resetHelp}</p>
        <Form method="post">
          <input type="hidden" name="intent" value="generate-password" />
          <SubmitButton className="btn secondary" disabled={busy}>
            {zh.admin.generate}
          </SubmitButton>
        </Form>
        <Form method="post" className="stack" style={{ marginTop: 12 }}>
          <input type="hidden" name="intent" value="set-password" />
          <label>
            {zh.admin.newPassword}
            <input type="password" name="password" autoComplete="new-password" required />
            {errors.password ? <span className="field-error">{errors.password[0]}</span> : null}
          </label>
          <div>
            <SubmitButton className="btn" disabled={busy}>
              {zh.admin.setTyped}
            </SubmitButton>
          </div>
        </Form>
      </div>
    </>
  )
}
