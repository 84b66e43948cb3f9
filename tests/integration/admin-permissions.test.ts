// Every admin page and action answers 403 to every role but admin, and changes nothing.
import { beforeAll, describe, expect, it } from 'vitest'
import { request, sessionCookieFor, statusOf, useFreshAppDatabase } from '../support/app'

const dir = useFreshAppDatabase()

type RouteModule = { loader: (a: any) => Promise<unknown>; action?: (a: any) => Promise<unknown> }
let cookies: Record<string, string>
let rootUnitId: string
let routes: Record<string, RouteModule>

beforeAll(async () => {
  const { db } = await import('../../app/db.server')
  const { migrateToLatest } = await import('../../db/db')
  const { seedDemo } = await import('../../app/org/demo.server')
  await migrateToLatest(db)
  await seedDemo(db, { password: 'demo-pass-1', fixturesDir: dir })
  const users = await db.selectFrom('users').select(['id', 'username', 'unit_id']).execute()
  cookies = {}
  for (const u of users) cookies[u.username] = await sessionCookieFor(u.id)
  rootUnitId = users.find(u => u.username === 'admin')!.unit_id
  routes = {
    '/admin/users': await import('../../app/routes/_app.admin.users'),
    '/admin/units': await import('../../app/routes/_app.admin.units'),
  }
})

async function counts() {
  const { db } = await import('../../app/db.server')
  const users = await db
    .selectFrom('users')
    .select(eb => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  const units = await db
    .selectFrom('units')
    .select(eb => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return { users: Number(users.n), units: Number(units.n) }
}

const forms: Record<string, () => Record<string, string>> = {
  '/admin/users': () => ({
    intent: 'create',
    username: `u${Math.random().toString(36).slice(2, 8)}`,
    displayName: '测试',
    password: 'password-123',
    role: 'staff',
    unitId: rootUnitId,
  }),
  '/admin/units': () => ({ intent: 'create', name: `新单位${Math.random().toString(36).slice(2, 6)}`, parentId: rootUnitId }),
}

describe('admin pages and actions', () => {
  for (const path of ['/admin/users', '/admin/units']) {
    for (const role of ['supervisor', 'staff', 'oversight']) {
      it(`${path}: ${role} gets 403 from the page and the action, and nothing changes`, async () => {
        const before = await counts()
        expect(
          await statusOf(() => routes[path].loader({ request: request(path, { cookie: cookies[role] }), params: {}, context: {} })),
        ).toBe(403)
        expect(
          await statusOf(() =>
            routes[path].action!({ request: request(path, { cookie: cookies[role], form: forms[path]() }), params: {}, context: {} }),
          ),
        ).toBe(403)
        expect(await counts()).toEqual(before)
      })
    }
    it(`${path}: signed out is sent to the login page`, async () => {
      const status = await statusOf(() => routes[path].loader({ request: request(path), params: {}, context: {} }))
      expect(status).toBe(302)
    })
    it(`${path}: admin sees the page and the action creates one record`, async () => {
      const before = await counts()
      expect(
        await statusOf(() => routes[path].loader({ request: request(path, { cookie: cookies.admin }), params: {}, context: {} })),
      ).toBe(200)
      // success: back to the page with a toast
      expect(
        await statusOf(() =>
          routes[path].action!({ request: request(path, { cookie: cookies.admin, form: forms[path]() }), params: {}, context: {} }),
        ),
      ).toBe(302)
      const after = await counts()
      expect(after.users + after.units).toBe(before.users + before.units + 1)
    })
  }

  it('an invalid form answers 400 with field errors and creates nothing', async () => {
    const before = await counts()
    const res = (await routes['/admin/users'].action!({
      request: request('/admin/users', {
        cookie: cookies.admin,
        form: { intent: 'create', username: '!', displayName: '', password: 'x', role: 'king', unitId: rootUnitId },
      }),
      params: {},
      context: {},
    })) as Response
    expect(res.status).toBe(400)
    const body = await res.json()
    expect(Object.keys(body.fields).sort()).toEqual(['displayName', 'password', 'role', 'username'])
    expect(await counts()).toEqual(before)
  })
})
