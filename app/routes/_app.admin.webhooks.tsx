// 群机器人: the admin sets each unit's DingTalk / WeCom group robots (list, add, test-send, stop or
// resume, delete after a confirmation step). Admin only, checked by loader and action; the robot's
// URL and secret are written, never read back in full (app/notify/webhook.server.ts masks them).
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { useState } from 'react'
import { z } from 'zod'
import { ActionResult } from '~/components/ActionResult'
import { requireUser } from '~/auth/session.server'
import { db } from '~/db.server'
import { AppError } from '~/errors'
import { ROBOT_KINDS } from '~/notify/webhook'
import { addUnitWebhook, deleteUnitWebhook, listUnitWebhooks, setUnitWebhookActive, testUnitWebhook } from '~/notify/webhook.server'
import { listUnits } from '~/org/org.server'
import { zh } from '~/ui/zh'

const t = zh.robotAdmin

export const meta: MetaFunction = () => [{ title: `${t.title} · ${zh.appName}` }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, 'admin')
  return json({ robots: await listUnitWebhooks(db), units: await listUnits(db) })
}

const RobotForm = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('add'),
    unitId: z.string().min(1, '请选择单位。'),
    kind: z.enum(['dingtalk', 'wecom'], { errorMap: () => ({ message: '请选择机器人类型。' }) }),
    url: z.string().trim().min(1, '请填写 Webhook 地址。').max(1000),
    secret: z.string().trim().max(200).optional(),
  }),
  z.object({ intent: z.literal('test'), robotId: z.string().min(1) }),
  z.object({ intent: z.literal('disable'), robotId: z.string().min(1) }),
  z.object({ intent: z.literal('enable'), robotId: z.string().min(1) }),
  z.object({
    intent: z.literal('delete'),
    robotId: z.string().min(1),
    confirmed: z.literal('yes', { errorMap: () => ({ message: t.deleteNeedsConfirm }) }),
  }),
])

type Result = { ok?: string; error?: string; errors: Record<string, string[] | undefined>; added?: boolean }
const answer = (r: Omit<Result, 'errors'> & { errors?: Result['errors'] }, status = 200) => json<Result>({ errors: {}, ...r }, { status })

export async function action({ request }: ActionFunctionArgs) {
  await requireUser(request, 'admin')
  const parsed = RobotForm.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) {
    const errors = parsed.error.flatten().fieldErrors as Result['errors']
    return answer({ errors, error: Object.values(errors).flat()[0] }, 400)
  }
  const d = parsed.data
  try {
    switch (d.intent) {
      case 'add':
        await addUnitWebhook(db, { unitId: d.unitId, kind: d.kind, url: d.url, secret: d.secret || null })
        return answer({ ok: t.added, added: true })
      case 'test': {
        const r = await testUnitWebhook(db, d.robotId)
        return r.ok ? answer({ ok: t.testOk }) : answer({ error: t.testFailed(r.message) }, 502)
      }
      case 'disable':
      case 'enable':
        await setUnitWebhookActive(db, d.robotId, d.intent === 'enable')
        return answer({ ok: d.intent === 'enable' ? t.enabled : t.disabled })
      case 'delete':
        await deleteUnitWebhook(db, d.robotId)
        return answer({ ok: t.deleted })
    }
  } catch (err) {
    if (err instanceof AppError) return answer({ error: err.message, errors: err.status === 400 ? { url: [err.message] } : {} }, err.status)
    throw err
  }
}

export default function AdminWebhooks() {
  const { robots, units } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const busy = useNavigation().state !== 'idle'
  const [search] = useSearchParams()
  const [kind, setKind] = useState<string>('dingtalk')
  const errors = result?.errors ?? {}
  const deleting = result?.ok ? null : robots.find(r => r.id === search.get('delete'))
  const depth = (path: string) => path.split('/').length - 3
  const c = t.columns
  return (
    <>
      <p>
        <Link to="/admin/units">← {t.backToUnits}</Link>
      </p>
      <h1>{t.title}</h1>
      <p className="muted small">{t.help}</p>
      <ActionResult result={result} />
      {deleting ? (
        <section role="alertdialog" aria-labelledby="delete-title" aria-describedby="delete-help" className="alert error">
          <h3 id="delete-title">{t.deleteConfirmTitle(`${deleting.unit_name}的${zh.robots[deleting.kind]}`)}</h3>
          <p id="delete-help">{t.deleteHelp}</p>
          <Form method="post" action="/admin/webhooks" style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
            <input type="hidden" name="intent" value="delete" />
            <input type="hidden" name="robotId" value={deleting.id} />
            <input type="hidden" name="confirmed" value="yes" />
            <button type="submit" className="btn danger" disabled={busy}>
              {t.deleteConfirm}
            </button>
            <Link to="." className="btn secondary" autoFocus>
              {t.cancel}
            </Link>
          </Form>
        </section>
      ) : null}
      <div className="panel">
        {robots.length === 0 ? (
          <p className="muted">{t.empty}</p>
        ) : (
          <table className="data cards">
            <thead>
              <tr>
                <th>{c.unit}</th>
                <th>{c.kind}</th>
                <th>{c.url}</th>
                <th>{c.signed}</th>
                <th>{c.status}</th>
                <th>{c.actions}</th>
              </tr>
            </thead>
            <tbody>
              {robots.map(r => (
                <tr key={r.id}>
                  <td className="card-title">{r.unit_name}</td>
                  <td data-label={c.kind}>{zh.robots[r.kind]}</td>
                  <td data-label={c.url} className="small" style={{ overflowWrap: 'anywhere' }}>
                    {r.url}
                  </td>
                  <td data-label={c.signed}>{r.secret ? t.signed(r.secret) : <span className="muted">{t.unsigned}</span>}</td>
                  <td data-label={c.status}>{r.active ? t.active : <span className="badge">{t.stopped}</span>}</td>
                  <td data-label={c.actions}>
                    <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
                      {r.active ? (
                        <Form method="post">
                          <input type="hidden" name="robotId" value={r.id} />
                          <button type="submit" name="intent" value="test" className="btn secondary" disabled={busy}>
                            {t.test}
                          </button>
                        </Form>
                      ) : null}
                      <Form method="post">
                        <input type="hidden" name="robotId" value={r.id} />
                        {r.active ? (
                          <button type="submit" name="intent" value="disable" className="btn secondary" disabled={busy}>
                            {t.disable}
                          </button>
                        ) : (
                          <button type="submit" name="intent" value="enable" className="btn secondary" disabled={busy}>
                            {t.enable}
                          </button>
                        )}
                      </Form>
                      <Link to={`?delete=${r.id}`} className="btn secondary">
                        {t.delete}
                      </Link>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <div className="panel">
        <h2>{t.add}</h2>
        {/* Keyed by the outcome so a saved robot's URL and secret leave the form. */}
        <Form method="post" className="stack" key={result?.added ? `added-${robots.length}` : 'form'} noValidate>
          <input type="hidden" name="intent" value="add" />
          <label>
            {t.unit}
            <select name="unitId" required defaultValue="">
              <option value="" disabled>
                请选择单位
              </option>
              {units.map(u => (
                <option key={u.id} value={u.id}>
                  {'　'.repeat(depth(u.path))}
                  {u.name}
                </option>
              ))}
            </select>
            {errors.unitId ? <span className="field-error">{errors.unitId[0]}</span> : null}
          </label>
          <label>
            {t.kind}
            <select name="kind" value={kind} onChange={e => setKind(e.currentTarget.value)}>
              {ROBOT_KINDS.map(k => (
                <option key={k} value={k}>
                  {zh.robots[k]}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t.url}
            <input
              type="url"
              name="url"
              required
              autoComplete="off"
              spellCheck={false}
              placeholder={
                kind === 'wecom'
                  ? 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…'
                  : 'https://oapi.dingtalk.com/robot/send?access_token=…'
              }
            />
            <span className="small muted">{t.urlHelp}</span>
            {errors.url ? <span className="field-error">{errors.url[0]}</span> : null}
          </label>
          {kind === 'dingtalk' ? (
            <label>
              {t.secret}
              <input type="password" name="secret" autoComplete="off" spellCheck={false} placeholder="SEC…" />
              <span className="small muted">{t.secretHelp}</span>
            </label>
          ) : null}
          <div>
            <button type="submit" className="btn" disabled={busy}>
              {t.add}
            </button>
          </div>
        </Form>
      </div>
    </>
  )
}
