// The user list and the creation form; each user is edited, deactivated or reset on its own page
// (_app.admin.users_.$userId.tsx).
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { z } from 'zod'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { ROLES } from '~/auth/permissions'
import { requireUser } from '~/auth/session.server'
import { SubmitButton } from '~/components/SubmitButton'
import { done, failure, pageAction } from '~/forms/page-action.server'
import { isActionFailure } from '~/forms/toast'
import { db } from '~/db.server'
import { createUser, listAccounts, listUnits, unitExists, usernameTaken } from '~/org/org.server'
import { NewUserForm } from '~/org/user-form'
import { zh } from '~/ui/zh'

export const meta: MetaFunction = () => [{ title: `${zh.admin.usersTitle} · ${zh.appName}` }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, 'admin')
  const users = await listAccounts(db)
  return json({ users, units: await listUnits(db) })
}

const CreateUser = NewUserForm.extend({ intent: z.literal('create') })

export async function action(args: ActionFunctionArgs) {
  return pageAction(args, {
    permission: 'admin',
    schema: CreateUser,
    handlers: {
      create: async ({ data: d }) => {
        if (await usernameTaken(db, d.username))
          return failure(400, { error: zh.admin.usernameTaken, fields: { username: [zh.admin.usernameTaken] }, intent: 'create' })
        if (!(await unitExists(db, d.unitId)))
          return failure(400, { error: '单位不存在。', fields: { unitId: ['单位不存在。'] }, intent: 'create' })
        await createUser(db, {
          username: d.username,
          displayName: d.displayName,
          password: d.password,
          role: d.role,
          unitId: d.unitId,
          email: d.email || null,
        })
        return done(`已创建用户“${d.displayName}”（${d.username}）。`)
      },
    },
  })
}

export default function AdminUsers() {
  const { users, units } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const errors: Record<string, string[] | undefined> = (isActionFailure(result) && result.fields) || {}
  const busy = useNavigation().state !== 'idle'
  return (
    <>
      <h1>{zh.admin.usersTitle}</h1>
      <table className="data cards" style={{ marginBottom: 20 }}>
        <thead>
          <tr>
            <th>{zh.login.username}</th>
            <th>{zh.admin.displayName}</th>
            <th>{zh.admin.role}</th>
            <th>{zh.admin.unit}</th>
            <th>{zh.admin.email}</th>
            <th>{zh.admin.status}</th>
            <th>{zh.admin.actions}</th>
          </tr>
        </thead>
        <tbody>
          {users.map(u => (
            <tr key={u.id}>
              <td data-label={zh.login.username}>{u.username}</td>
              <td className="card-title">{u.display_name}</td>
              <td data-label={zh.admin.role}>{zh.roles[u.role]}</td>
              <td data-label={zh.admin.unit}>{u.unit_name}</td>
              <td data-label={zh.admin.email} className="wrap-anywhere">
                {u.email ?? zh.common.none}
              </td>
              <td data-label={zh.admin.status}>{u.active ? zh.admin.active : <span className="badge">{zh.admin.inactive}</span>}</td>
              <td>
                <Link to={`/admin/users/${u.id}`} aria-label={`${zh.admin.edit} ${u.username}`}>
                  {zh.admin.edit}
                </Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="panel">
        <h2>{zh.admin.newUser}</h2>
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="create" />
          <label>
            {zh.login.username}
            <input type="text" name="username" required />
            {errors.username ? <span className="field-error">{errors.username[0]}</span> : null}
          </label>
          <label>
            {zh.admin.displayName}
            <input type="text" name="displayName" required />
            {errors.displayName ? <span className="field-error">{errors.displayName[0]}</span> : null}
          </label>
          <label>
            {zh.login.password}
            <input type="password" name="password" autoComplete="new-password" required />
            {errors.password ? <span className="field-error">{errors.password[0]}</span> : null}
          </label>
          <label>
            {zh.admin.role}
            <select name="role" defaultValue="staff">
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
            <select name="unitId">
              {units.map(u => (
                <option key={u.id} value={u.id}>
                  {'　'.repeat(u.path.split('/').length - 3)}
                  {u.name}
                </option>
              ))}
            </select>
            {errors.unitId ? <span className="field-error">{errors.unitId[0]}</span> : null}
          </label>
          <label>
            {zh.admin.email}
            <input type="email" name="email" />
            {errors.email ? <span className="field-error">{errors.email[0]}</span> : null}
          </label>
          <div>
            <SubmitButton disabled={busy}>{zh.admin.create}</SubmitButton>
          </div>
        </Form>
      </div>
    </>
  )
}
