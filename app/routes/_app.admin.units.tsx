import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { requireUser } from '~/auth/session.server'
import { db } from '~/db.server'
import { createUnit, listUnits } from '~/org/org.server'
import { zh } from '~/ui/zh'

export const meta: MetaFunction = () => [{ title: `${zh.admin.unitsTitle} · ${zh.appName}` }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, 'admin')
  return json({ units: await listUnits(db) })
}

const NewUnitForm = z.object({ name: z.string().trim().min(1, '请填写单位名称。').max(100), parentId: z.string().optional() })

export async function action({ request }: ActionFunctionArgs) {
  await requireUser(request, 'admin')
  const parsed = NewUnitForm.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) return json({ ok: false as const, errors: parsed.error.flatten().fieldErrors }, { status: 400 })
  const parentId = parsed.data.parentId || null
  if (parentId && !(await db.selectFrom('units').select('id').where('id', '=', parentId).executeTakeFirst())) {
    return json({ ok: false as const, errors: { parentId: ['上级单位不存在。'] } }, { status: 400 })
  }
  await createUnit(db, { name: parsed.data.name, parentId })
  return json({ ok: true as const, errors: {} as Record<string, string[]> })
}

export default function AdminUnits() {
  const { units } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const errors: Record<string, string[] | undefined> = result?.errors ?? {}
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
        {result?.ok ? <div className="alert ok">{zh.admin.created}</div> : null}
        <Form method="post" className="stack">
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
            <button type="submit" className="btn" disabled={busy}>
              {zh.admin.create}
            </button>
          </div>
        </Form>
      </div>
    </>
  )
}
