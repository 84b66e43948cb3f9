import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { requireUser } from '~/auth/session.server'
import { SubmitButton } from '~/components/SubmitButton'
import { done, failure, pageAction } from '~/forms/page-action.server'
import { isActionFailure } from '~/forms/toast'
import { db } from '~/db.server'
import { createUnit, listUnits, unitExists } from '~/org/org.server'
import { zh } from '~/ui/zh'

export const meta: MetaFunction = () => [{ title: `${zh.admin.unitsTitle} · ${zh.appName}` }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, 'admin')
  return json({ units: await listUnits(db) })
}

const NewUnitForm = z.object({
  intent: z.literal('create'),
  name: z.string().trim().min(1, '请填写单位名称。').max(100),
  parentId: z.string().optional(),
})

export async function action(args: ActionFunctionArgs) {
  return pageAction(args, {
    permission: 'admin',
    schema: NewUnitForm,
    handlers: {
      create: async ({ data }) => {
        const parentId = data.parentId || null
        if (parentId && !(await unitExists(db, parentId))) {
          return failure(400, { error: '上级单位不存在。', fields: { parentId: ['上级单位不存在。'] }, intent: 'create' })
        }
        await createUnit(db, { name: data.name, parentId })
        return done(`已创建单位“${data.name}”。`)
      },
    },
  })
}

export default function AdminUnits() {
  const { units } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const errors: Record<string, string[] | undefined> = (isActionFailure(result) && result.fields) || {}
  const busy = useNavigation().state !== 'idle'
  const depth = (path: string) => path.split('/').length - 3
  return (
    <>
      <div className="toolbar">
        <h1>{zh.admin.unitsTitle}</h1>
        {/* Group robots are per unit; their page is reached from here (the header has no room for it). */}
        <Link to="/admin/webhooks">{zh.robotAdmin.manageLink}</Link>
      </div>
      <div className="panel">
        <ul style={{ listStyle: 'none', padding: 0, margin: 0, lineHeight: 2 }}>
          {units.map(u => (
            <li key={u.id} style={{ paddingLeft: depth(u.path) * 24 }}>
              {depth(u.path) > 0 ? '└ ' : ''}
              {u.name}
            </li>
          ))}
        </ul>
      </div>
      <div className="panel">
        <h2>{zh.admin.newUnit}</h2>
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="create" />
          <label>
            {zh.admin.unitName}
            <input type="text" name="name" required />
            {errors.name ? <span className="field-error">{errors.name[0]}</span> : null}
          </label>
          <label>
            {zh.admin.parent}
            <select name="parentId" defaultValue="">
              <option value="">{zh.admin.noParent}</option>
              {units.map(u => (
                <option key={u.id} value={u.id}>
                  {'　'.repeat(depth(u.path))}
                  {u.name}
                </option>
              ))}
            </select>
            {errors.parentId ? <span className="field-error">{errors.parentId[0]}</span> : null}
          </label>
          <div>
            <SubmitButton disabled={busy}>{zh.admin.create}</SubmitButton>
          </div>
        </Form>
      </div>
    </>
  )
}
