// pageAction (app/forms/page-action.server.ts): the guard, the intent dispatch, the one refusal shape,
// and a success that redirects with a toast the root loader then shows once.
import { beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { request, sessionCookieFor, statusOf, useFreshAppDatabase } from '../support/app'

const dir = useFreshAppDatabase()
let cookies: Record<string, string>
let action: (args: { request: Request; params: Record<string, string>; context: unknown }) => Promise<Response>
let calls: string[] = []

beforeAll(async () => {
  const { db } = await import('../../app/db.server')
  const { migrateToLatest } = await import('../../db/db')
  const { seedDemo } = await import('../../app/org/demo.server')
  await migrateToLatest(db)
  await seedDemo(db, { password: 'demo-pass-1', fixturesDir: dir })
  cookies = {}
  for (const u of await db.selectFrom('users').select(['id', 'username']).execute()) cookies[u.username] = await sessionCookieFor(u.id)
  const { pageAction, done } = await import('../../app/forms/page-action.server')
  const { AppError } = await import('../../app/errors')
  const Schema = z.discriminatedUnion('intent', [
    z.object({ intent: z.literal('save'), title: z.string().min(1, '请填写标题。'), tags: z.array(z.string()).default([]) }),
    z.object({ intent: z.literal('refuse') }),
    z.object({ intent: z.literal('elsewhere') }),
  ])
  action = args =>
    pageAction(args as never, {
      permission: 'report:review',
      schema: Schema,
      arrays: ['tags'],
      load: async ({ params }) => {
        if (params.id === 'missing') throw new AppError(404, '找不到该记录，或您无权查看。')
        return { id: params.id }
      },
      handlers: {
        save: async ({ data, loaded }) => {
          calls.push(`save ${loaded.id} ${data.title} ${data.tags.join(',')}`)
          return done(`已保存“${data.title}”。`)
        },
        refuse: async () => {
          throw new AppError(409, '当前状态下不能执行此操作。')
        },
        elsewhere: async () => done('已删除。', '/reports'),
      },
    })
})

const post = (
  who: string | null,
  form: Record<string, string>,
  params: Record<string, string> = { id: 'r1' },
  url = '/things/r1?index&page=2',
) => {
  calls = []
  return action({ request: request(url, { cookie: who ? cookies[who] : undefined, form }), params, context: {} })
}

describe('pageAction', () => {
  it('signed out: sent to the login page; without the permission: 403; no handler runs', async () => {
    const res = await post(null, { intent: 'save', title: 'x' }).catch(e => e as Response)
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toMatch(/^\/login/)
    for (const role of ['staff', 'oversight']) expect(await statusOf(() => post(role, { intent: 'save', title: 'x' }))).toBe(403)
    expect(calls).toEqual([])
  })

  it('an unknown or missing intent is refused with 400 in the one shape', async () => {
    for (const intent of ['bogus', 'toString', '__proto__', '']) {
      const res = await post('supervisor', { intent, title: 'x' })
      expect(res.status, intent).toBe(400)
      expect(await res.json()).toMatchObject({ error: expect.stringContaining('未知的操作') })
    }
    expect(calls).toEqual([])
  })

  it('an AppError from the handler or from load becomes {error, intent} with its status', async () => {
    const refused = await post('supervisor', { intent: 'refuse' })
    expect(refused.status).toBe(409)
    expect(await refused.json()).toEqual({ error: '当前状态下不能执行此操作。', intent: 'refuse' })
    const missing = await post('supervisor', { intent: 'save', title: 'x' }, { id: 'missing' })
    expect(missing.status).toBe(404)
    expect((await missing.json()).error).toBe('找不到该记录，或您无权查看。')
    expect(calls).toEqual([])
  })

  it('invalid fields answer 400 with the first message and the field errors', async () => {
    const res = await post('supervisor', { intent: 'save', title: '' })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ error: '请填写标题。', fields: { title: ['请填写标题。'] }, intent: 'save' })
  })

  it('success redirects to the same page (without ?index) with a toast the root loader shows once', async () => {
    const form = new URLSearchParams([
      ['intent', 'save'],
      ['title', '栏目'],
      ['tags', 'a'],
      ['tags', 'b'],
    ])
    calls = []
    const res = await action({
      request: new Request('http://localhost/things/r1?index&page=2', {
        method: 'POST',
        headers: { Cookie: cookies.supervisor, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: form,
      }),
      params: { id: 'r1' },
      context: {},
    })
    expect(calls).toEqual(['save r1 栏目 a,b'])
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe('/things/r1?page=2')
    const setCookie = res.headers.get('Set-Cookie')!
    expect(setCookie).toMatch(/^ft_toast=/)
    expect(setCookie).toMatch(/HttpOnly/i)

    // The next page's root loader reads the toast and clears the cookie.
    const root = await import('../../app/root')
    const next = (await root.loader({
      request: request('/things/r1', { cookie: setCookie.split(';')[0] }),
      params: {},
      context: {},
    })) as Response
    expect((await next.json()).toast).toMatchObject({ type: 'success', description: '已保存“栏目”。' })
    expect(next.headers.get('Set-Cookie')).toMatch(/^ft_toast=;.*Max-Age=0/i)
    // Without the cookie (or with a forged one) there is nothing to show.
    const forged = `ft_toast=${Buffer.from(JSON.stringify({ id: 'x', type: 'success', description: '请拨打 400-…' })).toString('base64')}`
    for (const cookie of [undefined, forged]) {
      const none = (await root.loader({ request: request('/things/r1', { cookie }), params: {}, context: {} })) as Response
      expect((await none.json()).toast).toBeNull()
    }
  })

  it('a handler may send the person elsewhere', async () => {
    const res = await post('supervisor', { intent: 'elsewhere' })
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe('/reports')
  })
})
